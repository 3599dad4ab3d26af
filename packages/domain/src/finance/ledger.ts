import type { Prisma } from "@admit/db";
import { formatMoney } from "../money.ts";
import { formatInZone, isoInZone } from "../time-zone.ts";
import type { ClubRefund, ClubSale } from "./facts.ts";

/**
 * One row of the reconciliation file: a payment or a refund, keyed as the CyberSource Business Center knows it
 * (transaction id and our reference number), its time in the club's zone with the offset.
 */
export interface LedgerEntry {
  /** "2026-12-05T14:00:00-05:00". */
  at: string;
  kind: "sale" | "refund";
  transactionId: string | null;
  reference: string;
  /** Events and showings of this club the row is for ("; " between several). */
  event: string;
  showing: string;
  /** This club's share: positive for a sale, negative for a refund. */
  amount: string;
  /** The whole payment, as the Business Center shows it (it includes other clubs' lines of a shared order). */
  paymentTotal: string;
  currency: string;
  buyerName: string;
  buyerEmail: string;
  /** sale: "paid"; refund: "succeeded", "pending" (automatic, being sent) or "manual" (the club's task). */
  status: string;
  refundProcessorId: string | null;
  refundId: string | null;
}

const kindOrder = { sale: 0, refund: 1 } as const;

function distinct(values: string[]): string {
  return [...new Set(values)].join("; ");
}

function describe(rows: Array<{ eventName: string; showingStart: Date }>, timeZone: string) {
  return {
    event: distinct(rows.map((r) => r.eventName)),
    showing: distinct(rows.map((r) => formatInZone(r.showingStart, timeZone))),
  };
}

/** Paid orders (free ones move no money) and every refund, oldest first. */
export function financeLedger(sales: ClubSale[], refunds: ClubRefund[], timeZone: string): LedgerEntry[] {
  const totals = new Map(sales.map((s) => [s.orderId, s.orderTotal]));
  const sum = (amounts: Prisma.Decimal[]) => amounts.reduce((a, b) => a.plus(b));
  const saleRows = sales
    .filter((sale) => sale.paid)
    .map((sale): LedgerEntry & { when: Date } => ({
      when: sale.at,
      at: isoInZone(sale.at, timeZone),
      kind: "sale",
      transactionId: sale.transactionId,
      reference: sale.reference,
      ...describe(sale.lines, timeZone),
      amount: formatMoney(sum(sale.lines.map((l) => l.amount))),
      paymentTotal: formatMoney(sale.orderTotal),
      currency: sale.currency,
      buyerName: sale.buyer.fullName,
      buyerEmail: sale.buyer.email,
      status: "paid",
      refundProcessorId: null,
      refundId: null,
    }));
  const refundRows = refunds.map((refund): LedgerEntry & { when: Date } => ({
    when: refund.at,
    at: isoInZone(refund.at, timeZone),
    kind: "refund",
    transactionId: refund.transactionId,
    reference: refund.reference,
    ...describe(refund.perEvent, timeZone),
    amount: formatMoney(refund.amount.negated()),
    paymentTotal: formatMoney(totals.get(refund.orderId) ?? refund.amount),
    currency: refund.currency,
    buyerName: refund.buyer.fullName,
    buyerEmail: refund.buyer.email,
    status: refund.status.toLowerCase(),
    refundProcessorId: refund.processorRefundId,
    refundId: refund.id,
  }));
  return [...saleRows, ...refundRows]
    // At the same instant a payment comes before the refund of it.
    .sort((a, b) => a.when.getTime() - b.when.getTime() || kindOrder[a.kind] - kindOrder[b.kind] || a.reference.localeCompare(b.reference))
    .map(({ when: _when, ...entry }) => entry);
}
