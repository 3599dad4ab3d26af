import { isoInZone, type BuyerRow } from "@admit/domain";
import { stringify } from "csv-stringify/sync";

/**
 * Spreadsheets run cells that start with = + - @ (or a tab or carriage return) as formulas; a leading apostrophe
 * keeps a buyer's name from becoming one.
 */
export function inert(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/**
 * The buyers list as CSV with a header row; commas, quotes and line breaks are quoted by csv-stringify. Check-in
 * times are in the club's zone with their offset.
 */
export function buyersCsv(buyers: BuyerRow[], timeZone: string): string {
  return stringify(
    buyers.map((b) => [
      b.ticketId,
      inert(b.name),
      inert(b.username),
      inert(b.email),
      inert(b.type),
      b.attended ? "yes" : "no",
      b.amountPaid,
      b.complimentary ? "yes" : "no",
      b.attendedAt ? isoInZone(b.attendedAt, timeZone) : "",
    ]),
    {
      header: true,
      columns: ["Ticket", "Name", "Username", "Email", "Type", "Attended", "Amount paid", "Complimentary", "Checked in at"],
      record_delimiter: "windows",
    },
  );
}

/** "buyers-winter-concert-showing-12.csv": a filename safe in any Content-Disposition header. */
export function buyersFilename(eventName: string, showingId: number): string {
  const slug = eventName
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);
  return `buyers-${slug ? `${slug}-` : ""}showing-${showingId}.csv`;
}
