import { refundPayment, type RestCredentials } from "@admit/cybersource";
import type { Prisma } from "@admit/db";
import type { DomainDeps } from "../deps.ts";
import { renderEmail } from "../mail/layout.ts";
import { enqueueMail } from "../mail/outbox.ts";
import { formatMoney } from "../money.ts";

type Tx = Prisma.TransactionClient;

/** A refund attempt that failed (or a process that died mid-way) is tried again after this long. */
export const REFUND_RETRY_AFTER_MS = 5 * 60_000;

export interface RefundNotice {
  paymentId: string;
  referenceNumber: string;
  amount: Prisma.Decimal;
  buyerName: string;
  buyerEmail: string;
}

/** Tells the buyer, once, that the money is coming back; queued in the same transaction that decided it. */
export async function queueRefundEmail(tx: Tx, notice: RefundNotice, publicUrl: string): Promise<void> {
  const amount = `$${formatMoney(notice.amount)}`;
  const { text, html } = renderEmail({
    title: "We are refunding your payment",
    paragraphs: [
      `Hi ${notice.buyerName}, your card payment of ${amount} (reference ${notice.referenceNumber}) reached us after your tickets were no longer available, so we could not issue them.`,
      `We are refunding the full ${amount} to the card you paid with. Refunds usually show up within 5 to 10 business days.`,
      "You do not need to do anything. If you have a question, reply to this e-mail and quote the reference.",
    ],
    action: { label: "Find other events", url: `${publicUrl}/` },
  });
  await enqueueMail(tx, [
    {
      to: notice.buyerEmail,
      subject: "We are refunding your payment",
      text,
      html,
      dedupeKey: `refund:${notice.paymentId}`,
    },
  ]);
}

/**
 * Asks CyberSource to refund one REFUND_NEEDED payment. The caller must hold the refund lease (a fresh `updatedAt`,
 * see `claimDueRefunds`) so two processes never refund the same payment at once. A failure keeps REFUND_NEEDED with
 * the reason for officers; the retry job tries again later.
 */
export async function attemptRefund(deps: DomainDeps, rest: RestCredentials, paymentId: string): Promise<boolean> {
  const payment = await deps.prisma.payment.findUnique({
    where: { id: paymentId },
    select: { status: true, transactionId: true, amount: true, currency: true, referenceNumber: true },
  });
  if (payment?.status !== "REFUND_NEEDED") return false;
  if (!payment.transactionId) {
    await noteRefundProblem(deps, paymentId, "There is no CyberSource transaction id to refund; refund it in the Business Center.");
    return false;
  }
  const result = await refundPayment(
    rest,
    {
      transactionId: payment.transactionId,
      amount: formatMoney(payment.amount),
      currency: payment.currency,
      referenceNumber: payment.referenceNumber,
    },
    fetch,
    () => deps.clock.now(),
  );
  const now = deps.clock.now();
  if (!result.ok) {
    const status = result.httpStatus === null ? "could not be reached" : `answered ${result.httpStatus}`;
    await noteRefundProblem(deps, paymentId, `The automatic refund failed: CyberSource ${status} (${result.reason}). It will be tried again.`);
    return false;
  }
  const done = await deps.prisma.payment.updateMany({
    where: { id: paymentId, status: "REFUND_NEEDED" },
    data: {
      status: "REFUNDED",
      refundedAt: now,
      refundReference: result.refundId,
      statusReason: `Refunded through CyberSource (refund ${result.refundId}).`,
      updatedAt: now,
    },
  });
  return done.count === 1;
}

async function noteRefundProblem(deps: DomainDeps, paymentId: string, reason: string) {
  await deps.prisma.payment.updateMany({
    where: { id: paymentId, status: "REFUND_NEEDED" },
    data: { statusReason: reason, updatedAt: deps.clock.now() },
  });
}

/**
 * Takes the refund lease on every REFUND_NEEDED payment nobody touched for a while, in one statement, so parallel
 * retry jobs in several processes split the work instead of refunding twice.
 */
export async function claimDueRefunds(deps: DomainDeps, limit = 20): Promise<string[]> {
  const now = deps.clock.now();
  const staleBefore = new Date(now.getTime() - REFUND_RETRY_AFTER_MS);
  const rows = await deps.prisma.$queryRaw<Array<{ id: string }>>`
    UPDATE "Payment" SET "updatedAt" = ${now.toISOString()}::timestamp(3)
    WHERE id IN (
      SELECT id FROM "Payment"
      WHERE status = 'REFUND_NEEDED' AND "updatedAt" <= ${staleBefore.toISOString()}::timestamp(3)
      ORDER BY "updatedAt" LIMIT ${limit}
      FOR UPDATE SKIP LOCKED)
    RETURNING id::text AS id`;
  return rows.map((r) => r.id);
}
