import type { PaymentStatus } from "@admit/db";

/** What the storefront's result page tells the buyer, one word per way a payment can end. */
export type PaymentOutcome = "paid" | "declined" | "cancelled" | "error" | "review" | "expired" | "refund";

export type PaymentChannel = "browser" | "merchant";

export interface ReplyResult {
  paymentId: string;
  referenceNumber: string;
  status: PaymentStatus;
  outcome: PaymentOutcome;
}

const OUTCOMES: Record<PaymentStatus, PaymentOutcome> = {
  PENDING: "error",
  PAID: "paid",
  DECLINED: "declined",
  CANCELLED: "cancelled",
  ERROR: "error",
  REVIEW: "review",
  EXPIRED: "expired",
  SUPERSEDED: "expired",
  REFUND_NEEDED: "refund",
  REFUNDED: "refund",
};

export function outcomeOf(status: PaymentStatus): PaymentOutcome {
  return OUTCOMES[status];
}

/** Once money is kept with tickets, or owed back, no later reply changes the attempt. */
export const SETTLED_STATUSES: readonly PaymentStatus[] = ["PAID", "REFUND_NEEDED", "REFUNDED"];

/** Attempts a DECLINE, CANCEL or ERROR still ends; an attempt that already ended stays as it is. */
export const OPEN_STATUSES: readonly PaymentStatus[] = ["PENDING", "REVIEW"];
