import type { Prisma } from "@admit/db";
import type { Clock } from "../clock.ts";
import { renderEmail } from "../mail/layout.ts";
import { enqueueMail, type OutgoingMessage } from "../mail/outbox.ts";
import { requestRefund, type RefundOutcome } from "../refunds/request.ts";
import { sqlTime } from "../sql-time.ts";

type Tx = Prisma.TransactionClient;

export const RESALE_REASON = "Resold on the exchange";

/** A ticket fulfilment just sold that had an owner: it was on offer on the exchange. */
export interface Resold {
  ticketId: string;
  sellerId: string;
  /** The buyer's new order, which names this resale (one refund per resale). */
  buyerOrderId: string;
}

export interface ResaleDeps {
  clock: Clock;
  publicUrl: string;
  /** REST keys: the refund goes out by itself (PENDING); else it is a task for the club (MANUAL). */
  automaticRefunds: boolean;
}

interface PayingOrder {
  orderId: string;
  buyerId: string;
  clubId: number;
}

/**
 * After a paid (or free) order took tickets someone offered on the exchange, in the same transaction: each ticket
 * leaves the order that paid for it, and what was paid for it and not yet refunded goes back to the card it was
 * paid with (`requestRefund` in its "resale" mode: the ticket is not voided, it is the new buyer's). The key
 * `resale:<ticket>:<buyer's order>` makes it one refund per resale, however often this runs. The seller is e-mailed
 * once: by the refund notice when they bought the ticket themselves, else here (a complimentary ticket, or one given
 * to them: nothing of theirs to pay back). Runs only inside fulfilment, so never before the resale is paid.
 */
export async function settleResales(tx: Tx, deps: ResaleDeps, resold: Resold[]): Promise<RefundOutcome[]> {
  if (resold.length === 0) return [];
  const outcomes: RefundOutcome[] = [];
  const toldByHand: Array<Resold & { paidBy: PayingOrder | null }> = [];
  for (const sale of resold) {
    const paidBy = await payingOrder(tx, sale);
    if (paidBy) {
      outcomes.push(
        await requestRefund(tx, deps, {
          orderId: paidBy.orderId,
          ticketIds: [sale.ticketId],
          clubId: paidBy.clubId,
          amount: "full",
          reason: RESALE_REASON,
          idempotencyKey: `resale:${sale.ticketId}:${sale.buyerOrderId}`,
          requestedById: null,
          returnToSale: false,
          voidReason: "resold",
          mode: "resale",
        }),
      );
    }
    if (paidBy?.buyerId !== sale.sellerId) toldByHand.push({ ...sale, paidBy });
  }
  const notices: OutgoingMessage[] = [];
  for (const sale of toldByHand) notices.push(await sellerNotice(tx, sale, deps.publicUrl));
  await enqueueMail(tx, notices);
  return outcomes;
}

/**
 * Locks the orders that paid for the offered tickets a checkout still holds, before settlement locks any ticket: an
 * officer refunding such an order locks the order and then its tickets, so settlement takes them in the same order
 * (`settleResales` refunds these orders once the tickets are sold). Only under a live hold, when the payment is sure
 * to get exactly these tickets: a payment whose hold lapsed may fall back on other offered tickets, whose orders it
 * can lock only after claiming them, and holding its first orders meanwhile would let two such payments wait for
 * each other's.
 */
export async function lockOrdersOfHeldOffers(tx: Tx, paymentId: string, now: Date): Promise<void> {
  await tx.$queryRaw`
    SELECT id FROM "Order" WHERE id IN (
      SELECT ot."orderId" FROM "OrderTicket" ot JOIN "Ticket" t ON t.id = ot."ticketId"
      WHERE t."heldForPaymentId" = ${paymentId}::uuid AND t."holdExpiresAt" > ${sqlTime(now)}
        AND t."ownerId" IS NOT NULL AND ot."voidedAt" IS NULL)
    ORDER BY id FOR UPDATE`;
}

/** The order the ticket was bought with, other than the resale's own; none for a complimentary ticket. */
async function payingOrder(tx: Tx, sale: Resold): Promise<PayingOrder | null> {
  const row = await tx.orderTicket.findFirst({
    where: { ticketId: sale.ticketId, voidedAt: null, orderId: { not: sale.buyerOrderId } },
    select: {
      orderId: true,
      order: { select: { userId: true } },
      ticket: { select: { showing: { select: { event: { select: { clubId: true } } } } } },
    },
  });
  return row ? { orderId: row.orderId, buyerId: row.order.userId, clubId: row.ticket.showing.event.clubId } : null;
}

/** The seller's e-mail when no refund notice reaches them: their ticket sold, and why nothing comes back to them. */
async function sellerNotice(tx: Tx, sale: Resold & { paidBy: PayingOrder | null }, publicUrl: string): Promise<OutgoingMessage> {
  const seller = await tx.user.findUniqueOrThrow({ where: { id: sale.sellerId }, select: { email: true, fullName: true } });
  const ticket = await tx.ticket.findUniqueOrThrow({
    where: { id: sale.ticketId },
    select: { type: true, showing: { select: { event: { select: { name: true } } } } },
  });
  const what = `${ticket.showing.event.name} (${ticket.type})`;
  const money = sale.paidBy
    ? "You did not buy it yourself (it was given to you), so what was paid for it goes back to the card of the person who bought it."
    : "It was complimentary, so there is nothing to pay back.";
  const title = "Your ticket sold on the exchange";
  const { text, html } = renderEmail({
    title,
    paragraphs: [
      `Hi ${seller.fullName}, another student bought your ticket to ${what} on the exchange. It is theirs now, and your QR code for it no longer admits anyone.`,
      money,
    ],
    action: { label: "Your tickets", url: `${publicUrl}/tickets` },
  });
  return { to: seller.email, subject: title, text, html, dedupeKey: `resale-seller:${sale.ticketId}:${sale.buyerOrderId}` };
}

