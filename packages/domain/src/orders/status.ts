import type { Prisma } from "@admit/db";

export type OrderStatus = "paid" | "partly_refunded" | "refunded" | "cancelled";

export interface OrderFacts {
  /** What the order charged. */
  total: Prisma.Decimal;
  /** Its tickets: whether each left the order (refunded, returned, cancelled). */
  tickets: Array<{ voided: boolean }>;
  /** Money going back, whatever its state (pending, waiting for the club, done). */
  refunded: Prisma.Decimal;
}

/**
 * An order's status, worked out from its tickets and refunds (never stored):
 * - "paid": nothing refunded, nothing voided (a free order that stands is "paid" too: it is complete);
 * - "refunded": every ticket voided and everything paid refunded or on its way back (a paid order with no tickets,
 *   whose seats were gone, once its refund is recorded);
 * - "cancelled": every ticket voided and nothing was paid (a free order returned or its showing cancelled);
 * - "partly_refunded": anything in between.
 */
export function orderStatus(order: OrderFacts): OrderStatus {
  const voided = order.tickets.filter((t) => t.voided).length;
  const allVoided = voided === order.tickets.length;
  const paid = order.total.greaterThan(0);
  if (!paid) {
    if (order.tickets.length > 0 && allVoided) return "cancelled";
    return voided > 0 ? "partly_refunded" : "paid";
  }
  const fullyRefunded = order.refunded.greaterThanOrEqualTo(order.total);
  if (allVoided && fullyRefunded) return "refunded";
  if (voided > 0 || order.refunded.greaterThan(0)) return "partly_refunded";
  return "paid";
}


/** A refund as the buyer and officers read it: on its way, failing (being retried), waiting for the club, done. */
export type RefundState = "pending" | "failing" | "waiting_for_club" | "refunded";

export function refundState(refund: { status: "PENDING" | "MANUAL" | "SUCCEEDED"; lastError: string | null }): RefundState {
  switch (refund.status) {
    case "SUCCEEDED":
      return "refunded";
    case "MANUAL":
      return "waiting_for_club";
    case "PENDING":
      return refund.lastError ? "failing" : "pending";
  }
}
