import { Prisma } from "@admit/db";
import { formatMoney, roundCents } from "./money.ts";

/** A ticket type's price and group rule (one per showing and type: every ticket of a type shares them). */
export interface Offer {
  price: Prisma.Decimal;
  groupDiscount: Prisma.Decimal;
  groupSize: number | null;
}

export interface PricedTicketInput extends Offer {
  id: string;
  showingId: number;
  type: string;
}

/** An offer's group discount as a buyer reads it: "buy 4 or more: 20% off, $12.00 each". */
export interface GroupQuote {
  /** How many tickets of one showing and type make a group. */
  size: number;
  /** The fraction taken off, as stored ("0.2"). */
  fraction: Prisma.Decimal;
  /** The same as a percentage ("20", "12.5"). */
  percentOff: Prisma.Decimal;
  /** What each ticket of a group costs, rounded half up to cents. */
  unitPrice: Prisma.Decimal;
}

export interface PricedLine {
  count: number;
  /** The face value of one ticket. */
  listPrice: Prisma.Decimal;
  /** What one ticket of the line costs in this order, after any group discount. */
  unitPrice: Prisma.Decimal;
  /** What the line costs: `unitPrice` times `count`. */
  amount: Prisma.Decimal;
  /** What the group discount takes off the line (zero without one). */
  discount: Prisma.Decimal;
  quote: GroupQuote | null;
}

export interface OrderLine extends PricedLine {
  showingId: number;
  type: string;
}

export interface PricedOrder {
  total: Prisma.Decimal;
  /** The face value of the whole order; `listTotal - discount = total`. */
  listTotal: Prisma.Decimal;
  discount: Prisma.Decimal;
  lines: OrderLine[];
  /** What each ticket costs in this order; the amounts add up to `total` exactly. */
  ticketAmounts: Map<string, Prisma.Decimal>;
}

const ZERO = new Prisma.Decimal(0);

export function groupQuote(offer: Offer): GroupQuote | null {
  if (offer.groupSize === null || !offer.groupDiscount.greaterThan(0)) return null;
  return {
    size: offer.groupSize,
    fraction: offer.groupDiscount,
    percentOff: offer.groupDiscount.mul(100),
    unitPrice: roundCents(offer.price.mul(new Prisma.Decimal(1).minus(offer.groupDiscount))),
  };
}

/** A quote as answers carry it: `{ size: 4, percentOff: "20", unitPrice: "12.00" }`. */
export function formatQuote(quote: GroupQuote | null) {
  return quote && { size: quote.size, percentOff: quote.percentOff.toString(), unitPrice: formatMoney(quote.unitPrice) };
}

/**
 * `count` tickets of one offer, bought where `groupCount` tickets of its showing and type are in the order (the
 * line itself and any of the same showing and type already in the cart). When the group is big enough, every ticket
 * of it gets the discount, each rounded to whole cents.
 */
export function priceLine(offer: Offer, count: number, groupCount = count): PricedLine {
  const quote = groupQuote(offer);
  const unitPrice = quote && groupCount >= quote.size ? quote.unitPrice : offer.price;
  const amount = unitPrice.mul(count);
  return { count, listPrice: offer.price, unitPrice, amount, discount: offer.price.mul(count).minus(amount), quote };
}

const lineKey = (showingId: number, type: string) => `${showingId}\u0000${type}`;

/**
 * Prices an order. A group discount counts the tickets of one showing and type only: the same type name in another
 * event or showing is a different offering and never adds to the group.
 */
export function priceOrder(tickets: PricedTicketInput[]): PricedOrder {
  const counts = new Map<string, number>();
  for (const t of tickets) counts.set(lineKey(t.showingId, t.type), (counts.get(lineKey(t.showingId, t.type)) ?? 0) + 1);

  const lines = new Map<string, OrderLine>();
  const ticketAmounts = new Map<string, Prisma.Decimal>();
  for (const t of tickets) {
    const key = lineKey(t.showingId, t.type);
    // Each ticket on its own offer, should rows of one type ever disagree; the line sums them.
    const each = priceLine(t, 1, counts.get(key) ?? 0);
    ticketAmounts.set(t.id, each.amount);
    const line = lines.get(key);
    lines.set(
      key,
      line
        ? { ...line, count: line.count + 1, amount: line.amount.plus(each.amount), discount: line.discount.plus(each.discount) }
        : { showingId: t.showingId, type: t.type, ...each },
    );
  }
  const all = [...lines.values()];
  const total = all.reduce((sum, l) => sum.plus(l.amount), ZERO);
  const discount = all.reduce((sum, l) => sum.plus(l.discount), ZERO);
  return { total, listTotal: total.plus(discount), discount, lines: all, ticketAmounts };
}
