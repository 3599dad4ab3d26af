import { offeringSchema } from "@admit/validators";
import { z } from "zod";
import type { ShowingType } from "./club-events.ts";

/**
 * One ticket type as its inputs hold it (text as typed). The field names are the server's, so a path in the server's
 * answer (`offerings.2.price`) names the very box the form registered.
 */
export const offeringRowSchema = z.object({
  type: z.string(),
  count: z.string(),
  price: z.string(),
  /** Percent off, as typed ("20"); the server takes a fraction ("0.2"). */
  groupDiscount: z.string(),
  groupSize: z.string(),
  transferable: z.boolean(),
  buyable: z.boolean(),
  exchangeAllowed: z.boolean(),
});
export type OfferingRow = z.input<typeof offeringRowSchema>;

export function blankRow(): OfferingRow {
  return { type: "", count: "", price: "", groupDiscount: "", groupSize: "", transferable: true, buyable: true, exchangeAllowed: false };
}

export function rowFromType(t: ShowingType): OfferingRow {
  const discount = t.groupDiscount && Number(t.groupDiscount.fraction) > 0 ? t.groupDiscount : null;
  return {
    type: t.type,
    count: String(t.total),
    price: t.price,
    groupDiscount: discount ? String(Math.round(Number(discount.fraction) * 10_000) / 100) : "",
    groupSize: discount ? String(discount.size) : "",
    transferable: t.transferable,
    buyable: t.buyable,
    exchangeAllowed: t.exchangeAllowed,
  };
}

/** "20" → "0.2"; undefined for an empty box; null when it is not a percentage from 0 to 100 with at most 2 decimals. */
export function percentToFraction(percent: string): string | undefined | null {
  const text = percent.trim().replace(/%$/, "");
  if (text === "") return undefined;
  if (!/^\d+(\.\d{1,2})?$/.test(text) || Number(text) > 100) return null;
  return String(Number((Number(text) / 100).toFixed(4)));
}

/** A whole-number box: NaN when empty, so the server's schema words the problem. */
export const wholeNumber = (text: string) => (text.trim() === "" ? Number.NaN : Number(text));

/**
 * Checks `value` with one of the server's schemas inside a form schema: its issues land at the same paths under the
 * row being checked, every problem of the row at once.
 */
export function checkedBy<T extends z.ZodType>(schema: T, value: unknown, ctx: z.RefinementCtx): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  for (const issue of result.error.issues) ctx.addIssue({ code: "custom", message: issue.message, path: issue.path });
  return z.NEVER;
}

/** The row as the server's offering schema takes it; a discount that is not a percentage is refused at its box. */
export function rowToOffering(row: OfferingRow, ctx: z.RefinementCtx, schema: z.ZodType = offeringSchema) {
  const fraction = percentToFraction(row.groupDiscount);
  if (fraction === null) {
    ctx.addIssue({ code: "custom", path: ["groupDiscount"], message: "Give the discount as a percentage from 0 to 100, like 20." });
  }
  const offering = {
    type: row.type,
    count: wholeNumber(row.count),
    price: row.price.trim().replace(/^\$/, ""),
    ...(fraction ? { groupDiscount: fraction } : {}),
    ...(row.groupSize.trim() !== "" ? { groupSize: wholeNumber(row.groupSize) } : {}),
    transferable: row.transferable,
    buyable: row.buyable,
    exchangeAllowed: row.exchangeAllowed,
  };
  return checkedBy(schema, offering, ctx) as z.output<typeof offeringSchema>;
}

/** The message of a list-level problem (the list as a whole, not one of its rows), as the form resolver files it. */
export function listError(error: { message?: string; root?: { message?: string } } | undefined): string | undefined {
  return error?.root?.message ?? error?.message;
}
