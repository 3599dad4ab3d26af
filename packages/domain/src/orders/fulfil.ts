import { Prisma } from "@admit/db";
import { sellableSql } from "../availability.ts";
import type { DomainDeps } from "../deps.ts";
import { DomainError } from "../errors.ts";
import { enqueueMail } from "../mail/outbox.ts";
import { sqlTime, UTC_TEXT } from "../sql-time.ts";
import { zoneOfClub } from "../time-zone.ts";
import { orderLinesOf, type OrderLineRecord } from "./lines.ts";
import { receiptMessage, type Receipt, type ReceiptShowing } from "./receipt.ts";
import { endTurnsOfBuyers } from "./demand.ts";
import { recordOrders, type RecordedOrder } from "./record.ts";
import { settleResales } from "../exchange/resale.ts";
import type { RefundOutcome } from "../refunds/request.ts";

export interface FulfilRequest {
  userId: string;
  /** The payment the tickets were bought with; null for free checkouts. */
  paymentId: string | null;
  /** CyberSource's transaction id of that payment, printed on the receipt. */
  transactionId?: string | null;
  tickets: Array<{ id: string; amountPaid: Prisma.Decimal }>;
  /** The origin e-mail links point at, e.g. https://tickets.example.edu. */
  publicUrl: string;
}

interface SoldRow {
  id: string;
  /** Who owned the ticket before this sale: set when it was bought on the exchange. */
  sellerId: string | null;
  type: string;
  price: string;
  showingId: number;
  email: string;
  fullName: string;
  startTime: string;
  endTime: string;
  location: string | null;
  eventName: string;
  clubTimeZone: string | null;
}

/** What fulfilment needs beyond the clock: the zone receipts fall back to, and how a resale's refund goes out. */
export type FulfilDeps = Pick<DomainDeps, "clock" | "siteTimeZone"> & {
  /** REST keys are configured: a resold ticket's seller is refunded automatically (else a task for the club). */
  automaticRefunds?: boolean;
};

export interface FulfilledOrder extends RecordedOrder {
  /** The refunds of tickets it bought on the exchange (to be sent after commit when automatic). */
  resaleRefunds: RefundOutcome[];
}

/**
 * Hands tickets to their buyer inside the caller's transaction: ownership, the price actually paid, no hold,
 * out of the buyer's cart; records the order (lines and tickets) and queues its receipt in the outbox (sent after
 * commit). Returns the order.
 *
 * A ticket that had an owner was on offer on the exchange (availability.ts): it is a resale. The previous owner is
 * read in the same statement, before the row changes; the listing ends, the QR generation goes up (the seller's
 * code is refused at the door after its next sync) and the seller is refunded what they paid (exchange/resale.ts).
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
  deps: FulfilDeps,
  request: FulfilRequest,
): Promise<FulfilledOrder> {
  const [order] = await fulfilOrders(tx, deps, [request]);
  if (!order) throw new Error("fulfilment recorded no order");
  return order;
}

/**
 * `fulfilTickets` for several orders (of different buyers, or the same one) in three statements in all: sell,
 * record the orders, queue the receipts. Returns the orders in the requests' order.
 */
export async function fulfilOrders(
  tx: Prisma.TransactionClient,
  deps: FulfilDeps,
  requests: FulfilRequest[],
): Promise<FulfilledOrder[]> {
  if (requests.some((request) => request.tickets.length === 0)) throw new Error("an order needs at least one ticket");
  const lines = requests.flatMap((request) => request.tickets.map((ticket) => ({ ...ticket, request })));
  if (lines.length === 0) return [];
  const ids = lines.map((t) => t.id);
  if (new Set(ids).size !== ids.length) {
    throw new DomainError("CONFLICT", "The same ticket was listed twice in one order.");
  }
  const at = deps.clock.now();
  const now = sqlTime(at);
  // One statement: assign, leave each buyer's cart, and read back what the order and its receipt need.
  const sold = await tx.$queryRaw<SoldRow[]>`
    WITH paid AS (
      SELECT * FROM unnest(${ids}::uuid[], ${lines.map((t) => t.amountPaid.toFixed(2))}::numeric(12,2)[],
                           ${lines.map((t) => t.request.userId)}::text[], ${lines.map((t) => t.request.paymentId)}::uuid[])
        AS paid(id, amount, "userId", "paymentId")
    ), before AS (
      SELECT t.id, t."ownerId" AS "sellerId" FROM "Ticket" t JOIN paid ON paid.id = t.id ORDER BY t.id FOR UPDATE OF t
    ), sold AS (
      UPDATE "Ticket" t
      SET "ownerId" = paid."userId", "paymentId" = paid."paymentId", "amountPaid" = paid.amount,
          "holderId" = NULL, "holdExpiresAt" = NULL, "heldForPaymentId" = NULL, "exchangeListedAt" = NULL,
          "qrGeneration" = t."qrGeneration" + CASE WHEN before."sellerId" IS NULL THEN 0 ELSE 1 END,
          "updatedAt" = ${now}
      FROM paid JOIN before ON before.id = paid.id
      WHERE t.id = paid.id AND ${sellableSql({ now: at, purpose: "handover", holder: Prisma.sql`paid."userId"` })}
      RETURNING t.id, t.type, t.price, t."showingId", t."ownerId", before."sellerId"
    ), left_cart AS (
      DELETE FROM "CartTicket" ct USING "Cart" c, sold
      WHERE c.id = ct."cartId" AND c."userId" = sold."ownerId" AND ct."ticketId" = sold.id
    )
    SELECT sold.id::text AS id, sold."sellerId", sold.type, sold.price::text AS price, sold."showingId", u.email, u."fullName",
           to_char(s."startTime", ${UTC_TEXT}) AS "startTime", to_char(s."endTime", ${UTC_TEXT}) AS "endTime",
           s.location, e.name AS "eventName", c."timeZone" AS "clubTimeZone"
    FROM sold
    JOIN "Showing" s ON s.id = sold."showingId"
    JOIN "Event" e ON e.id = s."eventId"
    JOIN "Club" c ON c.id = e."clubId"
    JOIN "User" u ON u.id = sold."ownerId"
    ORDER BY sold.id`;
  if (sold.length !== ids.length) {
    throw new DomainError("CONFLICT", "Some of these tickets were taken by someone else before the order finished.");
  }
  const soldById = new Map(sold.map((row) => [row.id, row]));
  const sales = requests.map((request) => {
    const tickets = request.tickets.map((ticket) => {
      const row = soldById.get(ticket.id);
      if (!row) throw new Error(`ticket ${ticket.id} was sold but not read back`);
      return { ...ticket, row };
    });
    const lines = orderLinesOf(
      tickets.map(({ row, amountPaid }) => ({ showingId: row.showingId, type: row.type, listPrice: new Prisma.Decimal(row.price), amountPaid })),
    );
    return { request, tickets, lines };
  });
  const orders = await recordOrders(
    tx,
    deps,
    sales.map(({ request, lines }) => ({ userId: request.userId, paymentId: request.paymentId, lines, tickets: request.tickets })),
  );
  await endTurnsOfBuyers(
    tx,
    at,
    sales.flatMap(({ request, tickets }) => tickets.map(({ row }) => ({ userId: request.userId, showingId: row.showingId }))),
  );
  await enqueueMail(
    tx,
    sales.map(({ request, tickets, lines }, i) => receiptMessage(receiptOf(orders[i], request, tickets, lines, deps.siteTimeZone))),
  );
  const fulfilled: FulfilledOrder[] = [];
  for (const [i, order] of orders.entries()) fulfilled.push({ ...order, resaleRefunds: await resales(tx, deps, order, sales[i]) });
  return fulfilled;
}

/** The refunds of one order's tickets bought on the exchange; nothing (and no statement) when there were none. */
async function resales(
  tx: Prisma.TransactionClient,
  deps: FulfilDeps,
  order: RecordedOrder,
  sale: { request: FulfilRequest; tickets: Array<{ row: SoldRow }> } | undefined,
): Promise<RefundOutcome[]> {
  const resold = (sale?.tickets ?? []).flatMap(({ row }) =>
    row.sellerId ? [{ ticketId: row.id, sellerId: row.sellerId, buyerOrderId: order.id }] : [],
  );
  if (resold.length === 0 || !sale) return [];
  const refundDeps = { clock: deps.clock, publicUrl: sale.request.publicUrl, automaticRefunds: deps.automaticRefunds ?? false };
  return settleResales(tx, refundDeps, resold);
}

function receiptOf(
  order: RecordedOrder | undefined,
  request: FulfilRequest,
  tickets: Array<{ row: SoldRow }>,
  lines: OrderLineRecord[],
  siteTimeZone: string | undefined,
): Receipt {
  const buyer = tickets[0]?.row;
  if (!order || !buyer) throw new Error("a receipt needs its order and at least one ticket");
  const showings = new Map<number, ReceiptShowing>(
    tickets.map(({ row }) => [
      row.showingId,
      {
        eventName: row.eventName,
        startTime: new Date(row.startTime),
        endTime: new Date(row.endTime),
        location: row.location,
        timeZone: zoneOfClub(row.clubTimeZone, siteTimeZone),
      },
    ]),
  );
  return {
    orderId: order.id,
    reference: order.reference,
    total: order.total,
    currency: order.currency,
    buyer: { email: buyer.email, fullName: buyer.fullName },
    payment: request.paymentId ? { transactionId: request.transactionId ?? null } : null,
    lines: lines.flatMap((line) => {
      const showing = showings.get(line.showingId);
      return showing ? [{ ...line, showing }] : [];
    }),
    tickets: tickets.map(({ row }) => ({ id: row.id, type: row.type, eventName: row.eventName })),
    publicUrl: request.publicUrl,
  };
}
