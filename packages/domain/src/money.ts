import { Prisma } from "@admit/db";

export type Money = Prisma.Decimal;
export const Decimal = Prisma.Decimal;

/** "15.00": the seed API's price format (USD as a decimal string with two places). */
export function formatMoney(value: Prisma.Decimal | number | string): string {
  return new Prisma.Decimal(value).toFixed(2);
}

/** Rounds half up to whole cents, the way a receipt does. */
export function roundCents(value: Prisma.Decimal): Prisma.Decimal {
  return value.toDecimalPlaces(2, Prisma.Decimal.ROUND_HALF_UP);
}
