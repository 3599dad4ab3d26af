import { Prisma } from "@admit/db";
import { describe, expect, it } from "vitest";
import { orderLinesOf, orderTotal } from "./lines.ts";
import { priceOrder } from "../pricing.ts";

const d = (value: string) => new Prisma.Decimal(value);

describe("orderLinesOf", () => {
  it("one line per showing, type and list price, with pricing's per-ticket amounts adding up", () => {
    const tickets = [
      ...Array.from({ length: 4 }, (_, i) => ({ id: `g${i}`, showingId: 1, type: "GA", price: d("15.00"), groupDiscount: d("0.2"), groupSize: 4 })),
      { id: "v", showingId: 1, type: "VIP", price: d("40.00"), groupDiscount: d("0"), groupSize: null },
      { id: "o", showingId: 2, type: "GA", price: d("15.00"), groupDiscount: d("0.2"), groupSize: 4 },
    ];
    const priced = priceOrder(tickets);
    const lines = orderLinesOf(
      tickets.map((t) => ({ showingId: t.showingId, type: t.type, listPrice: t.price, amountPaid: priced.ticketAmounts.get(t.id) ?? d("0") })),
    );
    expect(lines.map((l) => [l.showingId, l.type, l.count, l.unitPrice.toFixed(2), l.discount.toFixed(2), l.amount.toFixed(2)])).toEqual([
      [1, "GA", 4, "15.00", "12.00", "48.00"],
      [1, "VIP", 1, "40.00", "0.00", "40.00"],
      [2, "GA", 1, "15.00", "0.00", "15.00"],
    ]);
    expect(orderTotal(lines).equals(priced.total)).toBe(true);
    // The same lines pricing gives the order, figure for figure.
    for (const [i, line] of priced.lines.entries()) {
      expect([lines[i]?.unitPrice.toFixed(2), lines[i]?.discount.toFixed(2), lines[i]?.amount.toFixed(2)]).toEqual([
        line.listPrice.toFixed(2),
        line.discount.toFixed(2),
        line.amount.toFixed(2),
      ]);
    }
  });

  it("tickets of one type at two list prices are two lines", () => {
    const lines = orderLinesOf([
      { showingId: 1, type: "GA", listPrice: d("10.00"), amountPaid: d("10.00") },
      { showingId: 1, type: "GA", listPrice: d("12.00"), amountPaid: d("12.00") },
      { showingId: 1, type: "GA", listPrice: d("10.00"), amountPaid: d("10.00") },
    ]);
    expect(lines.map((l) => [l.count, l.unitPrice.toFixed(2), l.amount.toFixed(2)])).toEqual([
      [2, "10.00", "20.00"],
      [1, "12.00", "12.00"],
    ]);
  });
});
