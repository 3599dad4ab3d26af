import { Prisma } from "@admit/db";
import { formatMoney } from "../money.ts";
import { isoInZone, monthInZone } from "../time-zone.ts";
import type { ClubRefund, ClubSale } from "./facts.ts";

const ZERO = new Prisma.Decimal(0);

/** Money figures as the API writes them ("15.00"). */
export interface FinanceFigures {
  sales: string;
  /** Refunds that went back (SUCCEEDED). */
  refunded: string;
  /** sales - refunded. */
  net: string;
  /** Refunds asked for and not yet done (PENDING: automatic, being sent; MANUAL: the club's task). */
  owed: string;
  orders: number;
  tickets: number;
}

export interface FinanceReport {
  timeZone: string;
  currency: string;
  totals: FinanceFigures;
  /** Calendar months in the club's zone, oldest first ("2026-12"). */
  months: Array<FinanceFigures & { month: string }>;
  events: Array<FinanceFigures & { eventId: number; eventName: string }>;
  /** Sales and refunds per day in the club's zone ("2026-12-05"), oldest first: the dashboard's chart. */
  days: Array<{ day: string; sales: string; refunded: string }>;
}

class Tally {
  sales = ZERO;
  refunded = ZERO;
  owed = ZERO;
  orders = new Set<string>();
  tickets = 0;

  figures(): FinanceFigures {
    return {
      sales: formatMoney(this.sales),
      refunded: formatMoney(this.refunded),
      net: formatMoney(this.sales.minus(this.refunded)),
      owed: formatMoney(this.owed),
      orders: this.orders.size,
      tickets: this.tickets,
    };
  }
}

function tallyOf<K>(map: Map<K, Tally>, key: K): Tally {
  let tally = map.get(key);
  if (!tally) {
    tally = new Tally();
    map.set(key, tally);
  }
  return tally;
}

/**
 * Sales, refunds and net per month (in the club's zone) and per event. A sale counts in the month its order was
 * placed; a refund in the month the money went back, or, while owed, the month it was asked for.
 */
export function financeReport(sales: ClubSale[], refunds: ClubRefund[], timeZone: string, currency = "USD"): FinanceReport {
  const total = new Tally();
  const months = new Map<string, Tally>();
  const events = new Map<number, Tally>();
  const eventNames = new Map<number, string>();
  const days = new Map<string, Tally>();
  const dayOf = (at: Date) => tallyOf(days, isoInZone(at, timeZone).slice(0, 10));

  for (const sale of sales) {
    const month = tallyOf(months, monthInZone(sale.at, timeZone));
    const day = dayOf(sale.at);
    for (const line of sale.lines) {
      eventNames.set(line.eventId, line.eventName);
      for (const tally of [total, month, day, tallyOf(events, line.eventId)]) {
        tally.sales = tally.sales.plus(line.amount);
        tally.tickets += line.count;
        tally.orders.add(sale.orderId);
      }
    }
  }
  for (const refund of refunds) {
    const done = refund.status === "SUCCEEDED";
    const add = (tally: Tally, amount: Prisma.Decimal) => {
      if (done) tally.refunded = tally.refunded.plus(amount);
      else tally.owed = tally.owed.plus(amount);
    };
    add(total, refund.amount);
    add(tallyOf(months, monthInZone(refund.at, timeZone)), refund.amount);
    add(dayOf(refund.at), refund.amount);
    for (const share of refund.perEvent) {
      eventNames.set(share.eventId, share.eventName);
      add(tallyOf(events, share.eventId), share.amount);
    }
  }

  return {
    timeZone,
    currency,
    totals: total.figures(),
    months: [...months.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([month, t]) => ({ month, ...t.figures() })),
    events: [...events.entries()]
      .map(([eventId, t]) => ({ eventId, eventName: eventNames.get(eventId) ?? "", ...t.figures() }))
      .sort((a, b) => a.eventName.localeCompare(b.eventName) || a.eventId - b.eventId),
    days: [...days.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([day, t]) => ({ day, sales: formatMoney(t.sales), refunded: formatMoney(t.refunded) })),
  };
}
