import { refundPayment, type RestCredentials } from "@admit/cybersource";
import { Prisma } from "@admit/db";
import type { DomainDeps } from "../deps.ts";
import { formatMoney } from "../money.ts";
import { sqlTime } from "../sql-time.ts";
import { queueRefundDoneNotice } from "./notices.ts";

type Tx = Prisma.TransactionClient;

/** A claimed refund belongs to its process this long: longer than a CyberSource call may take (20 s), short enough that a dead process's work is picked up soon. */
export const REFUND_LEASE_MS = 5 * 60_000;
/** After a failure: 1 minute, doubling, at most 6 hours between tries. */
const FIRST_RETRY_MS = 60_000;
const LONGEST_RETRY_MS = 6 * 3_600_000;

export function retryDelayMs(attempts: number): number {
  return Math.min(LONGEST_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1));
}

/**
 * Sends PENDING refunds through CyberSource's REST refund. Every server process runs it; a refund is claimed with a
 * lease (`nextAttemptAt` moved past the lease, under SKIP LOCKED) so two processes never send the same refund at
 * once, and a process that dies mid-call leaves it to be tried again when the lease ends.
 *
 * Our refund id goes to CyberSource as the client reference (clientReferenceInformation.code): a refund retried after
 * an answer was lost is recognisable in the Business Center, and CyberSource refuses to refund more than the payment's
 * remaining balance, so a repeat can never pay back more than was paid.
 */
export class RefundProcessor {
  constructor(
    private readonly deps: DomainDeps,
    private readonly settings: { rest?: RestCredentials; publicUrl: string; fetch?: typeof fetch },
  ) {}

  get automatic(): boolean {
    return this.settings.rest !== undefined;
  }

  /** The periodic job: claims due refunds (in any process) and sends each. */
  async processDue(limit = 20): Promise<{ attempted: number; succeeded: number }> {
    if (!this.settings.rest) return { attempted: 0, succeeded: 0 };
    const ids = await this.claim(null, limit);
    let succeeded = 0;
    for (const id of ids) if (await this.send(id)) succeeded += 1;
    return { attempted: ids.length, succeeded };
  }

  /**
   * The prompt first try, right after the transaction that requested the refunds commits. A refund another process
   * has claimed meanwhile, or one not due, is left alone. Never throws: the periodic job is the safety net.
   */
  async sendNow(refundIds: string[]): Promise<void> {
    if (!this.settings.rest) return;
    for (const refundId of refundIds) {
      try {
        const [claimed] = await this.claim(refundId, 1);
        if (claimed) await this.send(claimed);
      } catch {
        // Left PENDING and due: the periodic job sends it.
      }
    }
  }

  private async claim(refundId: string | null, limit: number): Promise<string[]> {
    const now = this.deps.clock.now();
    const leaseEnd = new Date(now.getTime() + REFUND_LEASE_MS);
    const rows = await this.deps.prisma.$queryRaw<Array<{ id: string }>>`
      UPDATE "Refund" SET "nextAttemptAt" = ${sqlTime(leaseEnd)}, "updatedAt" = ${sqlTime(now)}
      WHERE id IN (
        SELECT id FROM "Refund"
        WHERE status = 'PENDING' AND "nextAttemptAt" <= ${sqlTime(now)}
          ${refundId ? Prisma.sql`AND id = ${refundId}::uuid` : Prisma.empty}
        ORDER BY "nextAttemptAt" LIMIT ${limit}
        FOR UPDATE SKIP LOCKED)
      RETURNING id::text AS id`;
    return rows.map((r) => r.id);
  }

  /** One CyberSource call for a claimed refund, and its result recorded; true when the money went back. */
  private async send(refundId: string): Promise<boolean> {
    const rest = this.settings.rest;
    if (!rest) return false;
    const refund = await this.deps.prisma.refund.findUniqueOrThrow({
      where: { id: refundId },
      select: { amount: true, currency: true, attempts: true, order: { select: { payment: { select: { transactionId: true } } } } },
    });
    const transactionId = refund.order.payment?.transactionId;
    const result = transactionId
      ? await refundPayment(
          rest,
          { transactionId, amount: formatMoney(refund.amount), currency: refund.currency, referenceNumber: refundId },
          this.settings.fetch ?? fetch,
          () => this.deps.clock.now(),
        )
      : ({ ok: false, httpStatus: null, reason: "the order has no CyberSource transaction id" } as const);
    const now = this.deps.clock.now();
    const attempts = refund.attempts + 1;
    if (!result.ok) {
      const answer = result.httpStatus === null ? "could not be reached" : `answered ${result.httpStatus}`;
      await this.deps.prisma.refund.updateMany({
        where: { id: refundId, status: "PENDING" },
        data: {
          attempts,
          lastError: `CyberSource ${answer}: ${result.reason}`.slice(0, 500),
          nextAttemptAt: new Date(now.getTime() + retryDelayMs(attempts)),
          updatedAt: now,
        },
      });
      return false;
    }
    return this.deps.prisma.$transaction(async (tx) => {
      const done = await tx.refund.updateMany({
        where: { id: refundId, status: "PENDING" },
        data: {
          status: "SUCCEEDED",
          processorRefundId: result.refundId,
          attempts,
          lastError: null,
          nextAttemptAt: null,
          completedAt: now,
          updatedAt: now,
        },
      });
      if (done.count === 0) return false;
      await finishRefund(tx, refundId, now, this.settings.publicUrl);
      return true;
    });
  }
}

/**
 * After a refund SUCCEEDED (sent by CyberSource or marked done by an officer): the buyer is told, and a late payment's
 * Payment becomes REFUNDED once every refund of its order has succeeded and together they return the whole amount.
 */
export async function finishRefund(tx: Tx, refundId: string, now: Date, publicUrl: string): Promise<void> {
  const refund = await tx.refund.findUniqueOrThrow({
    where: { id: refundId },
    select: {
      amount: true,
      processorRefundId: true,
      order: {
        select: {
          id: true,
          reference: true,
          total: true,
          paymentId: true,
          user: { select: { email: true, fullName: true } },
          refunds: { select: { status: true, amount: true } },
        },
      },
    },
  });
  const { order } = refund;
  await queueRefundDoneNotice(
    tx,
    {
      refundId,
      orderId: order.id,
      orderReference: order.reference,
      amount: refund.amount,
      buyerEmail: order.user.email,
      buyerName: order.user.fullName,
    },
    publicUrl,
  );
  if (!order.paymentId) return;
  const allDone = order.refunds.every((r) => r.status === "SUCCEEDED");
  const returned = order.refunds.reduce((sum, r) => sum.plus(r.amount), new Prisma.Decimal(0));
  if (!allDone || !returned.equals(order.total)) return;
  await tx.payment.updateMany({
    where: { id: order.paymentId, status: "REFUND_NEEDED" },
    data: {
      status: "REFUNDED",
      refundedAt: now,
      refundReference: refund.processorRefundId,
      statusReason: "The full amount has been refunded.",
      updatedAt: now,
    },
  });
}
