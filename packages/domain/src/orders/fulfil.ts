import { Prisma } from "@admit/db";
import { sellableSql } from "../availability.ts";
import type { DomainDeps } from "../deps.ts";
import { DomainError } from "../errors.ts";
import { renderEmail } from "../mail/layout.ts";
import { enqueueMail, type OutgoingMessage } from "../mail/outbox.ts";
import { formatMoney } from "../money.ts";
import { sqlTime, UTC_TEXT } from "../sql-time.ts";
import { formatShowingTime } from "./showing-time.ts";

export interface FulfilRequest {
  userId: string;
  /** The payment the tickets were bought with; null for free checkouts. */
  paymentId: string | null;
  tickets: Array<{ id: string; amountPaid: Prisma.Decimal }>;
  /** The origin e-mail links point at, e.g. https://tickets.example.edu. */
  publicUrl: string;
  /** IANA zone the showing times are written in; UTC unless the caller knows the campus zone. */
  timeZone?: string;
}

interface SoldRow {
  id: string;
  type: string;
  email: string;
  fullName: string;
  startTime: string;
  endTime: string;
  location: string | null;
  eventName: string;
}

/**
 * Hands tickets to their buyer inside the caller's transaction: ownership, the price actually paid, no hold,
 * out of the buyer's cart, and one confirmation e-mail per ticket queued in the outbox (sent after commit).
 *
 * Refuses (CONFLICT, so the whole transaction rolls back) when any ticket is already owned or is held by someone
 * else whose hold has not expired: a ticket is never sold twice, whatever path reached here.
 *
 * Only the buyer's cart loses the tickets: in anyone else's cart a sold ticket is stale, and viewing that cart swaps
 * it for another ticket of the same showing and type (or reports it sold out) instead of silently shrinking their
 * order.
 */
export async function fulfilTickets(
  tx: Prisma.TransactionClient,
  deps: Pick<DomainDeps, "clock">,
  request: FulfilRequest,
): Promise<void> {
  await fulfilOrders(tx, deps, [request]);
}

/** `fulfilTickets` for several orders (of different buyers, or the same one) in two statements in all. */
export async function fulfilOrders(
  tx: Prisma.TransactionClient,
  deps: Pick<DomainDeps, "clock">,
  requests: FulfilRequest[],
): Promise<void> {
  const lines = requests.flatMap((request) => request.tickets.map((ticket) => ({ ...ticket, request })));
  if (lines.length === 0) return;
  const ids = lines.map((t) => t.id);
  if (new Set(ids).size !== ids.length) {
    throw new DomainError("CONFLICT", "The same ticket was listed twice in one order.");
  }
  const at = deps.clock.now();
  const now = sqlTime(at);
  // One statement: assign, leave each buyer's cart, and read back what the confirmations need.
  const sold = await tx.$queryRaw<SoldRow[]>`
    WITH paid AS (
      SELECT * FROM unnest(${ids}::uuid[], ${lines.map((t) => t.amountPaid.toFixed(2))}::numeric(12,2)[],
                           ${lines.map((t) => t.request.userId)}::text[], ${lines.map((t) => t.request.paymentId)}::uuid[])
        AS paid(id, amount, "userId", "paymentId")
    ), sold AS (
      UPDATE "Ticket" t
      SET "ownerId" = paid."userId", "paymentId" = paid."paymentId", "amountPaid" = paid.amount,
          "holderId" = NULL, "holdExpiresAt" = NULL, "heldForPaymentId" = NULL, "updatedAt" = ${now}
      FROM paid
      WHERE t.id = paid.id AND ${sellableSql({ now: at, purpose: "handover", holder: Prisma.sql`paid."userId"` })}
      RETURNING t.id, t.type, t."showingId", t."ownerId"
    ), left_cart AS (
      DELETE FROM "CartTicket" ct USING "Cart" c, sold
      WHERE c.id = ct."cartId" AND c."userId" = sold."ownerId" AND ct."ticketId" = sold.id
    )
    SELECT sold.id::text AS id, sold.type, u.email, u."fullName",
           to_char(s."startTime", ${UTC_TEXT}) AS "startTime", to_char(s."endTime", ${UTC_TEXT}) AS "endTime",
           s.location, e.name AS "eventName"
    FROM sold
    JOIN "Showing" s ON s.id = sold."showingId"
    JOIN "Event" e ON e.id = s."eventId"
    JOIN "User" u ON u.id = sold."ownerId"
    ORDER BY sold.id`;
  if (sold.length !== ids.length) {
    throw new DomainError("CONFLICT", "Some of these tickets were taken by someone else before the order finished.");
  }
  const lineOf = new Map(lines.map((line) => [line.id, line]));
  await enqueueMail(
    tx,
    sold.map((ticket) => {
      const line = lineOf.get(ticket.id)!;
      return confirmation(ticket, line.amountPaid, line.request);
    }),
  );
}

function confirmation(ticket: SoldRow, amountPaid: Prisma.Decimal, request: FulfilRequest): OutgoingMessage {
  const event = ticket.eventName;
  const when = formatShowingTime(new Date(ticket.startTime), new Date(ticket.endTime), request.timeZone);
  const cid = `qr-${ticket.id}`;
  const { text, html } = renderEmail({
    title: `Your ticket to ${event}`,
    paragraphs: [
      `Hi ${ticket.fullName}, here is your ticket to ${event}.`,
      `When: ${when}`,
      ...(ticket.location ? [`Where: ${ticket.location}`] : []),
      `Ticket: ${ticket.type}, paid $${formatMoney(amountPaid)}`,
      "Show the QR code below at the door. It is yours alone: do not share it.",
    ],
    images: [{ cid, alt: `QR code for ticket ${ticket.id}`, caption: `Ticket ${ticket.id}` }],
    action: { label: "View your ticket", url: `${request.publicUrl}/tickets/${ticket.id}` },
  });
  return {
    to: ticket.email,
    subject: `Your ticket to ${event}`,
    text,
    html,
    attachments: [{ filename: `ticket-${ticket.id}.png`, qrTicketId: ticket.id, cid }],
    dedupeKey: `confirmation:${ticket.id}:${request.paymentId ?? "free"}`,
  };
}
