import { Prisma } from "@admit/db";
import { orderStatus, refundState, type OrderStatus, type RefundState } from "./status.ts";

export interface OrderLineView {
  event: { id: number; name: string };
  showing: { id: number; startTime: Date; endTime: Date; location: string | null };
  type: string;
  count: number;
  unitPrice: Prisma.Decimal;
  discount: Prisma.Decimal;
  amount: Prisma.Decimal;
}

export interface OrderTicketView {
  id: string;
  event: { id: number; name: string };
  showing: { id: number; startTime: Date };
  type: string;
  amountPaid: Prisma.Decimal;
  refundedAmount: Prisma.Decimal;
  voidedAt: Date | null;
  voidReason: string | null;
  /** Still the buyer's: not voided, not transferred to someone else. */
  current: boolean;
}

export interface OrderRefundView {
  id: string;
  amount: Prisma.Decimal;
  state: RefundState;
  reason: string;
  createdAt: Date;
  completedAt: Date | null;
}

export interface OrderView {
  id: string;
  reference: string;
  createdAt: Date;
  status: OrderStatus;
  total: Prisma.Decimal;
  currency: string;
  /** Every refund of the order, whatever its state. */
  refundedTotal: Prisma.Decimal;
  buyer: { fullName: string; email: string };
  payment: { referenceNumber: string; transactionId: string | null } | null;
  lines: OrderLineView[];
  tickets: OrderTicketView[];
  refunds: OrderRefundView[];
}

const eventOf = { select: { id: true, name: true, clubId: true } } as const;

export const orderViewSelect = {
  id: true,
  reference: true,
  userId: true,
  total: true,
  currency: true,
  createdAt: true,
  user: { select: { fullName: true, email: true } },
  payment: { select: { referenceNumber: true, transactionId: true } },
  lines: {
    select: {
      type: true,
      count: true,
      unitPrice: true,
      discount: true,
      amount: true,
      showing: { select: { id: true, startTime: true, endTime: true, location: true, event: eventOf } },
    },
    orderBy: { id: "asc" },
  },
  tickets: {
    select: {
      amountPaid: true,
      refundedAmount: true,
      voidedAt: true,
      voidReason: true,
      ticket: {
        select: { id: true, type: true, ownerId: true, showing: { select: { id: true, startTime: true, event: eventOf } } },
      },
    },
  },
  refunds: {
    select: { id: true, clubId: true, amount: true, status: true, lastError: true, reason: true, createdAt: true, completedAt: true },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  },
} satisfies Prisma.OrderSelect;

export type OrderRow = Prisma.OrderGetPayload<{ select: typeof orderViewSelect }>;

/** The clubs whose showings the order is for: their officers may see it. */
export function clubsOf(order: OrderRow): number[] {
  return [...new Set(order.lines.map((line) => line.showing.event.clubId))];
}

/** The part of an order some clubs' officers see: those clubs' lines, tickets and refunds; other clubs' stay private. */
export function onlyClubs(order: OrderRow, clubIds: ReadonlySet<number>): OrderRow {
  return {
    ...order,
    lines: order.lines.filter((line) => clubIds.has(line.showing.event.clubId)),
    tickets: order.tickets.filter((t) => clubIds.has(t.ticket.showing.event.clubId)),
    refunds: order.refunds.filter((refund) => clubIds.has(refund.clubId)),
  };
}

export function toOrderView(order: OrderRow): OrderView {
  const refundedTotal = order.refunds.reduce((sum, r) => sum.plus(r.amount), new Prisma.Decimal(0));
  const tickets = order.tickets
    .map(({ ticket, amountPaid, refundedAmount, voidedAt, voidReason }) => ({
      id: ticket.id,
      event: { id: ticket.showing.event.id, name: ticket.showing.event.name },
      showing: { id: ticket.showing.id, startTime: ticket.showing.startTime },
      type: ticket.type,
      amountPaid,
      refundedAmount,
      voidedAt,
      voidReason,
      current: voidedAt === null && ticket.ownerId === order.userId,
    }))
    .sort((a, b) => a.showing.startTime.getTime() - b.showing.startTime.getTime() || a.type.localeCompare(b.type) || a.id.localeCompare(b.id));
  return {
    id: order.id,
    reference: order.reference,
    createdAt: order.createdAt,
    status: orderStatus({ total: order.total, tickets: tickets.map((t) => ({ voided: t.voidedAt !== null })), refunded: refundedTotal }),
    total: order.total,
    currency: order.currency,
    refundedTotal,
    buyer: order.user,
    payment: order.payment,
    lines: order.lines
      .map((line) => ({
      event: { id: line.showing.event.id, name: line.showing.event.name },
      showing: { id: line.showing.id, startTime: line.showing.startTime, endTime: line.showing.endTime, location: line.showing.location },
      type: line.type,
      count: line.count,
      unitPrice: line.unitPrice,
      discount: line.discount,
      amount: line.amount,
    }))
      .sort(
        (a, b) =>
          a.showing.startTime.getTime() - b.showing.startTime.getTime() ||
          a.showing.id - b.showing.id ||
          a.type.localeCompare(b.type) ||
          a.unitPrice.comparedTo(b.unitPrice),
      ),
    tickets,
    refunds: order.refunds.map((refund) => ({
      id: refund.id,
      amount: refund.amount,
      state: refundState(refund),
      reason: refund.reason,
      createdAt: refund.createdAt,
      completedAt: refund.completedAt,
    })),
  };
}
