import { Prisma } from "@admit/db";
import { roundCents } from "./money.ts";

export interface PricedTicketInput {
  id: string;
  showingId: number;
  type: string;
  price: Prisma.Decimal;
  groupDiscount: Prisma.Decimal;
  groupSize: number | null;
}

export interface OrderLine {
  showingId: number;
  type: string;
  count: number;
  /** What the line costs after any group discount. */
  amount: Prisma.Decimal;
}

export interface PricedOrder {
  total: Prisma.Decimal;
  lines: OrderLine[];
  /** What each ticket costs in this order; the amounts add up to `total` exactly. */
  ticketAmounts: Map<string, Prisma.Decimal>;
}

const lineKey = (showingId: number, type: string) => `${showingId}\u0000${type}`;

/**
 * Prices an order. A group discount counts the tickets of one showing and type only: the same type name in another
 * event or showing is a different offering and never adds to the group. When the group is big enough, every
 * ticket of it gets the discount, each rounded to whole cents.
 */
export function priceOrder(tickets: PricedTicketInput[]): PricedOrder {
  const counts = new Map<string, number>();
  for (const t of tickets) counts.set(lineKey(t.showingId, t.type), (counts.get(lineKey(t.showingId, t.type)) ?? 0) + 1);

  const lines = new Map<string, OrderLine>();
  const ticketAmounts = new Map<string, Prisma.Decimal>();
  let total = new Prisma.Decimal(0);
  for (const t of tickets) {
    const key = lineKey(t.showingId, t.type);
    const count = counts.get(key) ?? 0;
    const discounted = t.groupSize !== null && count >= t.groupSize && t.groupDiscount.greaterThan(0);
    const amount = discounted ? roundCents(t.price.mul(new Prisma.Decimal(1).minus(t.groupDiscount))) : t.price;
    ticketAmounts.set(t.id, amount);
    total = total.plus(amount);
    const line = lines.get(key) ?? { showingId: t.showingId, type: t.type, count: 0, amount: new Prisma.Decimal(0) };
    line.count += 1;
    line.amount = line.amount.plus(amount);
    lines.set(key, line);
  }
  return { total, lines: [...lines.values()], ticketAmounts };
}
