import { Prisma } from "@admit/db";

/** One line of an order as recorded: tickets of one showing and type sold at one list price. */
export interface OrderLineRecord {
  showingId: number;
  type: string;
  count: number;
  /** The list price of one ticket. */
  unitPrice: Prisma.Decimal;
  /** What the group discount took off the whole line. */
  discount: Prisma.Decimal;
  /** What was charged for the line: `unitPrice × count − discount`. */
  amount: Prisma.Decimal;
}

export interface SoldTicketPrice {
  showingId: number;
  type: string;
  /** The ticket's list price. */
  listPrice: Prisma.Decimal;
  /** What the buyer paid for it (pricing's per-ticket amount, the group discount applied). */
  amountPaid: Prisma.Decimal;
}

/**
 * The lines of a sold order, from what each ticket was sold for: tickets of one showing, type and list price make
 * one line, in the order their first ticket came. Adds up; decides no price (pricing.ts did).
 */
export function orderLinesOf(tickets: SoldTicketPrice[]): OrderLineRecord[] {
  const lines = new Map<string, OrderLineRecord>();
  for (const t of tickets) {
    const key = `${t.showingId}\u0000${t.type}\u0000${t.listPrice.toFixed(2)}`;
    const line = lines.get(key) ?? {
      showingId: t.showingId,
      type: t.type,
      count: 0,
      unitPrice: t.listPrice,
      discount: new Prisma.Decimal(0),
      amount: new Prisma.Decimal(0),
    };
    line.count += 1;
    line.amount = line.amount.plus(t.amountPaid);
    line.discount = line.unitPrice.mul(line.count).minus(line.amount);
    lines.set(key, line);
  }
  return [...lines.values()];
}

/** An order's total: what its lines charged. */
export function orderTotal(lines: OrderLineRecord[]): Prisma.Decimal {
  return lines.reduce((sum, line) => sum.plus(line.amount), new Prisma.Decimal(0));
}
