import type { VerifiedReply } from "@admit/cybersource";
import { Prisma, type PaymentStatus } from "@admit/db";
import type { DomainDeps } from "../deps.ts";
import { formatMoney } from "../money.ts";
import { fulfilTickets } from "../orders/fulfil.ts";
import { claimPaidTickets, dropUnavailableFromCart, lockShowingsAgainstChange, releaseAttemptHolds, type PaymentItemRow } from "./claim.ts";
import { OPEN_STATUSES, SETTLED_STATUSES } from "./outcome.ts";
import { lockOrdersOfHeldOffers } from "../exchange/resale.ts";
import { refundLatePayment } from "../refunds/late-payment.ts";
import type { RefundDeps, RefundOutcome } from "../refunds/request.ts";

type Tx = Prisma.TransactionClient;

export interface LockedPayment {
  id: string;
  userId: string;
  referenceNumber: string;
  status: PaymentStatus;
  amount: Prisma.Decimal;
  currency: string;
  buyerName: string;
  buyerEmail: string;
  /** What it pays for, in checkout's order (items never change after checkout). */
  items: PaymentItemRow[];
}

export type Settlement =
  | { kind: "settled"; status: PaymentStatus; refunds: RefundOutcome[] }
  | { kind: "mismatch"; status: PaymentStatus; message: string };

/**
 * Locks the attempt's row until the transaction ends: deliveries of one attempt's results take turns. First the
 * showings it pays for, `FOR SHARE` (its items never change): an officer's change to a showing (cancelling it,
 * pausing it) locks the showing and then ends the checkouts holding its tickets, so settlement takes the two in the
 * same order. The change either commits before the claim reads the showing or waits until the tickets are handed
 * over; it never lands between the two.
 */
export async function lockPayment(tx: Tx, paymentId: string): Promise<LockedPayment | null> {
  const items = await tx.paymentItem.findMany({
    where: { paymentId },
    select: { showingId: true, type: true, count: true, amount: true },
    orderBy: { id: "asc" },
  });
  await lockShowingsAgainstChange(tx, items.map((item) => item.showingId));
  const rows = await tx.$queryRaw<Array<Omit<LockedPayment, "amount" | "items"> & { amount: string }>>`
    SELECT id::text AS id, "userId", "referenceNumber", status::text AS status, amount::text AS amount, currency,
           "buyerName", "buyerEmail"
    FROM "Payment" WHERE id = ${paymentId}::uuid FOR UPDATE`;
  const row = rows[0];
  return row ? { ...row, amount: new Prisma.Decimal(row.amount), items } : null;
}

/**
 * Applies one verified reply to its locked attempt. Each result changes the attempt at most once: a reply that
 * finds the attempt already settled (or already ended the same way) changes nothing and reports the recorded status.
 */
export async function settleReply(
  tx: Tx,
  deps: DomainDeps,
  payment: LockedPayment,
  reply: VerifiedReply,
  refundDeps: RefundDeps,
): Promise<Settlement> {
  const now = deps.clock.now();
  const mismatch = amountMismatch(payment, reply);
  if (mismatch) {
    if (SETTLED_STATUSES.includes(payment.status)) return { kind: "mismatch", status: payment.status, message: mismatch };
    // Nothing is assigned and the holds stay until they lapse; officers see the attempt and why.
    await setStatus(tx, payment.id, "REVIEW", reply, now, `Needs review: ${mismatch}`);
    return { kind: "mismatch", status: "REVIEW", message: mismatch };
  }
  if (SETTLED_STATUSES.includes(payment.status)) return { kind: "settled", status: payment.status, refunds: [] };

  switch (reply.decision) {
    case "ACCEPT":
      return accept(tx, deps, payment, reply, refundDeps);
    case "REVIEW": {
      if (payment.status === "REVIEW") return { kind: "settled", status: "REVIEW", refunds: [] };
      const reason = `CyberSource held this payment for review (reason ${reply.reasonCode}). Accept or reject it in the Business Center; that result settles it here. Its tickets stay held until the hold ends.`;
      await setStatus(tx, payment.id, "REVIEW", reply, now, reason);
      return { kind: "settled", status: "REVIEW", refunds: [] };
    }
    case "DECLINE":
    case "CANCEL":
    case "ERROR": {
      if (!OPEN_STATUSES.includes(payment.status)) return { kind: "settled", status: payment.status, refunds: [] };
      const status = reply.decision === "DECLINE" ? "DECLINED" : reply.decision === "CANCEL" ? "CANCELLED" : "ERROR";
      await setStatus(tx, payment.id, status, reply, now, null);
      await releaseAttemptHolds(tx, payment.id);
      return { kind: "settled", status, refunds: [] };
    }
  }
}

function amountMismatch(payment: LockedPayment, reply: VerifiedReply): string | null {
  const expected = `${formatMoney(payment.amount)} ${payment.currency}`;
  if (!new Prisma.Decimal(reply.amount).equals(payment.amount) || reply.currency !== payment.currency) {
    return `the payment result is for ${reply.amount} ${reply.currency}, but this checkout was for ${expected}.`;
  }
  if (reply.decision === "ACCEPT" && (reply.authAmount === null || !new Prisma.Decimal(reply.authAmount).equals(reply.amount))) {
    return `the card issuer approved ${reply.authAmount ?? "an unknown amount"} of ${expected} (partial approval, reason ${reply.reasonCode}). Refund or complete it in the Business Center.`;
  }
  return null;
}

/**
 * An ACCEPT always ends in tickets or a refund: the attempt's own held tickets, or the same or equivalent seats if
 * the hold lapsed; when there are not enough, the money is owed back (REFUND_NEEDED) and the buyer is told.
 */
async function accept(tx: Tx, deps: DomainDeps, payment: LockedPayment, reply: VerifiedReply, refundDeps: RefundDeps): Promise<Settlement> {
  const { publicUrl } = refundDeps;
  const now = deps.clock.now();
  const { items } = payment;
  await lockOrdersOfHeldOffers(tx, payment.id, now);
  const claimed = items.length ? await claimPaidTickets(tx, { paymentId: payment.id, userId: payment.userId, items, now }) : null;
  if (!claimed) {
    await releaseAttemptHolds(tx, payment.id);
    const reason = items.length
      ? "The payment arrived after the hold ended and there were not enough tickets left to issue, so the full amount is owed back: a refund is recorded for each club (see its dashboard)."
      : "This payment has no ticket items to issue, so the full amount is owed back; refund it in the CyberSource Business Center.";
    await setStatus(tx, payment.id, "REFUND_NEEDED", reply, now, reason);
    // Checkout always writes items; a payment without any names no club, so it is left to the Business Center.
    const refunds = items.length ? await refundLatePayment(tx, refundDeps, payment) : [];
    return { kind: "settled", status: "REFUND_NEEDED", refunds };
  }
  // Tickets bought on the exchange refund their sellers here, now that the resale is paid.
  const order = await fulfilTickets(tx, { ...deps, automaticRefunds: refundDeps.automaticRefunds }, {
    userId: payment.userId,
    paymentId: payment.id,
    transactionId: reply.transactionId || null,
    tickets: claimed.tickets,
    publicUrl,
  });
  await releaseAttemptHolds(tx, payment.id);
  await dropUnavailableFromCart(tx, { userId: payment.userId, items, now });
  const reason = claimed.replaced
    ? `Paid after the hold ended; ${claimed.replaced} of the ${claimed.tickets.length} tickets were replaced by free tickets of the same showing and type.`
    : null;
  await setStatus(tx, payment.id, "PAID", reply, now, reason);
  return { kind: "settled", status: "PAID", refunds: order.resaleRefunds };
}

async function setStatus(tx: Tx, paymentId: string, status: PaymentStatus, reply: VerifiedReply, now: Date, reason: string | null) {
  await tx.payment.update({
    where: { id: paymentId },
    data: {
      status,
      decision: reply.decision,
      reasonCode: reply.reasonCode,
      transactionId: reply.transactionId,
      processedAt: now,
      statusReason: reason,
      updatedAt: now,
    },
  });
}
