import type { LedgerEntry } from "@admit/validators";
import { stringify } from "csv-stringify/sync";
import { inert } from "./buyers-csv.ts";

export const FINANCE_CSV_COLUMNS = [
  "Date and time",
  "Kind",
  "Transaction ID",
  "Reference number",
  "Event",
  "Showing",
  "Amount",
  "Payment total",
  "Currency",
  "Buyer",
  "Buyer email",
  "Status",
  "Refund processor ID",
  "Refund ID",
] as const;

/** The reconciliation file: one row per payment and per refund, with a header row (csv-stringify quotes). */
export function financeCsv(entries: LedgerEntry[]): string {
  return stringify(
    entries.map((e) => [
      e.at,
      e.kind,
      e.transactionId ?? "",
      inert(e.reference),
      inert(e.event),
      inert(e.showing),
      e.amount,
      e.paymentTotal,
      e.currency,
      inert(e.buyerName),
      inert(e.buyerEmail),
      e.status,
      inert(e.refundProcessorId ?? ""),
      e.refundId ?? "",
    ]),
    { header: true, columns: [...FINANCE_CSV_COLUMNS], record_delimiter: "windows" },
  );
}

/** "finance-film-society.csv": a filename safe in any Content-Disposition header. */
export function financeFilename(clubCode: string): string {
  const slug = clubCode
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);
  return `finance-${slug || "club"}.csv`;
}
