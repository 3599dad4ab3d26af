import type { Prisma } from "@admit/db";
import { releaseAttemptHolds } from "../payments/claim.ts";

type Tx = Prisma.TransactionClient;

export type EndedAttemptStatus = "SUPERSEDED" | "EXPIRED";

/**
 * Ends a pending checkout attempt and frees the tickets it held. The status changes only if it is still PENDING,
 * so an attempt the payment reply has just settled is left alone (and keeps its tickets). The Payment row is kept:
 * a late ACCEPT for it is still recognised and honoured or refunded.
 */
export async function endAttempt(tx: Tx, paymentId: string, status: EndedAttemptStatus): Promise<boolean> {
  const ended = await tx.payment.updateMany({ where: { id: paymentId, status: "PENDING" }, data: { status } });
  if (ended.count === 0) return false;
  await releaseAttemptHolds(tx, paymentId);
  return true;
}

/** The caller's pending attempts, newest first (normally at most one: starting a new one ends the others). */
export function pendingAttempts(tx: Tx, userId: string) {
  return tx.payment.findMany({
    where: { userId, status: "PENDING" },
    orderBy: { createdAt: "desc" },
    select: {
      id: true,
      referenceNumber: true,
      transactionUuid: true,
      amount: true,
      currency: true,
      buyerName: true,
      buyerEmail: true,
      holdExpiresAt: true,
      createdAt: true,
    },
  });
}

export type PendingAttempt = Awaited<ReturnType<typeof pendingAttempts>>[number];
