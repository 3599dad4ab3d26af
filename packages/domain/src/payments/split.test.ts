import { Prisma } from "@admit/db";
import { describe, expect, it } from "vitest";
import { splitAmount } from "./claim.ts";

const strings = (amounts: Prisma.Decimal[]) => amounts.map((a) => a.toFixed(2));

describe("splitAmount (what each ticket of a paid line cost)", () => {
  it("splits evenly when it can", () => {
    expect(strings(splitAmount(new Prisma.Decimal("45.00"), 3))).toEqual(["15.00", "15.00", "15.00"]);
  });

  it("rounds to cents and puts the remainder on the last ticket, so the parts add up to the line", () => {
    expect(strings(splitAmount(new Prisma.Decimal("10.00"), 3))).toEqual(["3.33", "3.33", "3.34"]);
    expect(strings(splitAmount(new Prisma.Decimal("0.05"), 3))).toEqual(["0.02", "0.02", "0.01"]);
    const parts = splitAmount(new Prisma.Decimal("1234567.89"), 7);
    expect(parts.reduce((sum, p) => sum.plus(p), new Prisma.Decimal(0)).toFixed(2)).toBe("1234567.89");
  });

  it("gives one ticket the whole amount", () => {
    expect(strings(splitAmount(new Prisma.Decimal("40.00"), 1))).toEqual(["40.00"]);
  });

  it("gives no amounts for a line of no tickets", () => {
    expect(splitAmount(new Prisma.Decimal("40.00"), 0)).toEqual([]);
    expect(splitAmount(new Prisma.Decimal("40.00"), -1)).toEqual([]);
  });
});
