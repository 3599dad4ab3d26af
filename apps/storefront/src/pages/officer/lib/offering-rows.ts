import type { ShowingType } from "./club-events.ts";

/** One ticket type as the editor holds it: what the inputs say, as typed. */
export interface OfferingRow {
  key: string;
  type: string;
  count: string;
  price: string;
  /** Percent off, as typed ("20"); the server takes a fraction ("0.2"). */
  discountPercent: string;
  groupSize: string;
  transferable: boolean;
  buyable: boolean;
}

let sequence = 0;
const nextKey = () => `row-${++sequence}`;

export function blankRow(): OfferingRow {
  return { key: nextKey(), type: "", count: "", price: "", discountPercent: "", groupSize: "", transferable: true, buyable: true };
}

export function rowFromType(t: ShowingType): OfferingRow {
  const discount = t.groupDiscount && Number(t.groupDiscount.fraction) > 0 ? t.groupDiscount : null;
  return {
    key: nextKey(),
    type: t.type,
    count: String(t.total),
    price: t.price,
    discountPercent: discount ? String(Math.round(Number(discount.fraction) * 10_000) / 100) : "",
    groupSize: discount ? String(discount.size) : "",
    transferable: t.transferable,
    buyable: t.buyable,
  };
}

/** "20" → "0.2"; undefined for an empty box; null when it is not a percentage from 0 to 100 with at most 2 decimals. */
export function percentToFraction(percent: string): string | undefined | null {
  const text = percent.trim().replace(/%$/, "");
  if (text === "") return undefined;
  if (!/^\d+(\.\d{1,2})?$/.test(text) || Number(text) > 100) return null;
  return String(Number((Number(text) / 100).toFixed(4)));
}

const wholeNumber = (text: string) => (text.trim() === "" ? Number.NaN : Number(text));

/**
 * The row as the server's offering schema expects it, plus problems the schema cannot word for these inputs (the
 * percentage box). Keys of `problems` are field names.
 */
export function rowToOffering(row: OfferingRow) {
  const problems: Record<string, string> = {};
  const fraction = percentToFraction(row.discountPercent);
  if (fraction === null) problems.groupDiscount = "Give the discount as a percentage from 0 to 100, like 20.";
  const offering = {
    type: row.type,
    count: wholeNumber(row.count),
    price: row.price.trim().replace(/^\$/, ""),
    ...(fraction ? { groupDiscount: fraction } : {}),
    ...(row.groupSize.trim() !== "" ? { groupSize: wholeNumber(row.groupSize) } : {}),
    transferable: row.transferable,
    buyable: row.buyable,
  };
  return { offering, problems };
}
