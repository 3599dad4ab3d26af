import { Prisma, type PrismaClient, type RefundStatus } from "@admit/db";

type Db = PrismaClient | Prisma.TransactionClient;

/** What one order sold of one club: only that club's lines, so an order spanning clubs is split between them. */
export interface ClubSale {
  orderId: string;
  reference: string;
  at: Date;
  currency: string;
  /** The whole order's charge, as the Business Center shows the transaction (every club's lines). */
  orderTotal: Prisma.Decimal;
  transactionId: string | null;
  paid: boolean;
  buyer: { fullName: string; email: string };
  lines: Array<{
    eventId: number;
    eventName: string;
    showingId: number;
    showingStart: Date;
    count: number;
    amount: Prisma.Decimal;
  }>;
}

/** Money going back for one club's tickets, with its share per event. */
export interface ClubRefund {
  id: string;
  orderId: string;
  reference: string;
  transactionId: string | null;
  status: RefundStatus;
  amount: Prisma.Decimal;
  currency: string;
  /** When the money went back (done), or when it was asked for (still owed). */
  at: Date;
  processorRefundId: string | null;
  buyer: { fullName: string; email: string };
  perEvent: Array<{ eventId: number; eventName: string; showingId: number; showingStart: Date; amount: Prisma.Decimal }>;
}

/** Every order line and refund of the club, read in two queries. */
export async function loadClubMoney(db: Db, clubId: number): Promise<{ sales: ClubSale[]; refunds: ClubRefund[] }> {
  const lines = await db.orderLine.findMany({
    where: { showing: { event: { clubId } } },
    select: {
      count: true,
      amount: true,
      showing: { select: { id: true, startTime: true, event: { select: { id: true, name: true } } } },
      order: {
        select: {
          id: true,
          reference: true,
          createdAt: true,
          total: true,
          currency: true,
          user: { select: { fullName: true, email: true } },
          payment: { select: { transactionId: true, buyerName: true, buyerEmail: true } },
        },
      },
    },
    orderBy: [{ order: { createdAt: "asc" } }, { orderId: "asc" }, { id: "asc" }],
  });
  const sales = new Map<string, ClubSale>();
  for (const line of lines) {
    const { order, showing } = line;
    let sale = sales.get(order.id);
    if (!sale) {
      sale = {
        orderId: order.id,
        reference: order.reference,
        at: order.createdAt,
        currency: order.currency,
        orderTotal: order.total,
        transactionId: order.payment?.transactionId ?? null,
        paid: order.payment !== null,
        buyer: order.payment
          ? { fullName: order.payment.buyerName, email: order.payment.buyerEmail }
          : { fullName: order.user.fullName, email: order.user.email },
        lines: [],
      };
      sales.set(order.id, sale);
    }
    sale.lines.push({
      eventId: showing.event.id,
      eventName: showing.event.name,
      showingId: showing.id,
      showingStart: showing.startTime,
      count: line.count,
      amount: line.amount,
    });
  }

  const rows = await db.refund.findMany({
    where: { clubId },
    select: {
      id: true,
      orderId: true,
      status: true,
      amount: true,
      currency: true,
      createdAt: true,
      completedAt: true,
      processorRefundId: true,
      order: {
        select: {
          reference: true,
          user: { select: { fullName: true, email: true } },
          payment: { select: { transactionId: true, buyerName: true, buyerEmail: true } },
        },
      },
      tickets: {
        select: { amount: true, ticket: { select: { showing: { select: { id: true, startTime: true, event: { select: { id: true, name: true } } } } } } },
        orderBy: { ticketId: "asc" },
      },
    },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  const refunds = rows.map((row): ClubRefund => {
    const perEvent = row.tickets.map((t) => ({
      eventId: t.ticket.showing.event.id,
      eventName: t.ticket.showing.event.name,
      showingId: t.ticket.showing.id,
      showingStart: t.ticket.showing.startTime,
      amount: t.amount,
    }));
    const { order } = row;
    return {
      id: row.id,
      orderId: row.orderId,
      reference: order.reference,
      transactionId: order.payment?.transactionId ?? null,
      status: row.status,
      amount: row.amount,
      currency: row.currency,
      at: row.status === "SUCCEEDED" ? (row.completedAt ?? row.createdAt) : row.createdAt,
      processorRefundId: row.processorRefundId,
      buyer: order.payment
        ? { fullName: order.payment.buyerName, email: order.payment.buyerEmail }
        : { fullName: order.user.fullName, email: order.user.email },
      perEvent: attribute(row.amount, perEvent, sales.get(row.orderId)),
    };
  });
  return { sales: [...sales.values()], refunds };
}

type EventShare = ClubRefund["perEvent"][number];

/**
 * A refund's share per event: its tickets' amounts, and whatever no ticket carries (a late payment whose seats were
 * gone has lines but no tickets) spread over the club's lines of the order in proportion to what they charged.
 */
function attribute(amount: Prisma.Decimal, fromTickets: EventShare[], sale: ClubSale | undefined): EventShare[] {
  const carried = fromTickets.reduce((sum, t) => sum.plus(t.amount), new Prisma.Decimal(0));
  const rest = amount.minus(carried);
  if (rest.lessThanOrEqualTo(0) || !sale || sale.lines.length === 0) return fromTickets;
  const charged = sale.lines.reduce((sum, l) => sum.plus(l.amount), new Prisma.Decimal(0));
  const shares: EventShare[] = [...fromTickets];
  let left = rest;
  sale.lines.forEach((line, i) => {
    const last = i === sale.lines.length - 1;
    const share = last
      ? left
      : charged.isZero()
        ? new Prisma.Decimal(0)
        : rest.times(line.amount).dividedBy(charged).toDecimalPlaces(2, Prisma.Decimal.ROUND_HALF_UP);
    left = left.minus(share);
    shares.push({ eventId: line.eventId, eventName: line.eventName, showingId: line.showingId, showingStart: line.showingStart, amount: share });
  });
  return shares;
}
