import { Prisma } from "@admit/db";
import { describe, expect, it } from "vitest";
import { roundCents } from "./money.ts";
import { formatQuote, groupQuote, priceLine, priceOrder, type PricedTicketInput } from "./pricing.ts";

/** An offering's group rule: `discount` off every ticket once `size` of one showing and type are in the order. */
interface Rule {
  price: string;
  discount?: string;
  size?: number | null;
}

/** One position of an order: how many tickets of a showing and type, under which rule. */
interface Position {
  showing: number;
  type: string;
  count: number;
  rule: Rule;
}

function tickets(positions: Position[]): PricedTicketInput[] {
  let next = 0;
  return positions.flatMap((p) =>
    Array.from({ length: p.count }, () => ({
      id: `t${++next}`,
      showingId: p.showing,
      type: p.type,
      price: new Prisma.Decimal(p.rule.price),
      groupDiscount: new Prisma.Decimal(p.rule.discount ?? "0"),
      groupSize: p.rule.size ?? null,
    })),
  );
}

const general: Rule = { price: "15.00", discount: "0.2", size: 4 };

// pretix's test_pricing_discount.py style: the rule, the positions, and each ticket's expected price in order.
// Each case's lines (one per showing and type) are checked too: unit price, amount and discount add up.
const cases: { name: string; positions: Position[]; expected: string[] }[] = [
  { name: "no rule: face value", positions: [{ showing: 1, type: "GA", count: 2, rule: { price: "15.00" } }], expected: ["15.00", "15.00"] },
  { name: "one short of the group: face value", positions: [{ showing: 1, type: "GA", count: 3, rule: general }], expected: ["15.00", "15.00", "15.00"] },
  { name: "exactly the group size: every ticket discounted", positions: [{ showing: 1, type: "GA", count: 4, rule: general }], expected: ["12.00", "12.00", "12.00", "12.00"] },
  { name: "past the group size: every ticket discounted", positions: [{ showing: 1, type: "GA", count: 5, rule: general }], expected: Array(5).fill("12.00") },
  {
    name: "same type name in another showing does not pool",
    positions: [
      { showing: 1, type: "GA", count: 2, rule: general },
      { showing: 2, type: "GA", count: 2, rule: general },
    ],
    expected: ["15.00", "15.00", "15.00", "15.00"],
  },
  {
    name: "another type of the same showing does not pool",
    positions: [
      { showing: 1, type: "GA", count: 3, rule: general },
      { showing: 1, type: "Front", count: 1, rule: general },
    ],
    expected: ["15.00", "15.00", "15.00", "15.00"],
  },
  {
    name: "one line discounted, the other not",
    positions: [
      { showing: 1, type: "GA", count: 4, rule: general },
      { showing: 1, type: "Front", count: 1, rule: { price: "40.00" } },
    ],
    expected: ["12.00", "12.00", "12.00", "12.00", "40.00"],
  },
  { name: "a zero discount is no discount", positions: [{ showing: 1, type: "GA", count: 4, rule: { price: "15.00", discount: "0", size: 2 } }], expected: Array(4).fill("15.00") },
  { name: "a full discount makes the group free", positions: [{ showing: 1, type: "GA", count: 2, rule: { price: "15.00", discount: "1", size: 2 } }], expected: ["0.00", "0.00"] },
  // Half-cent cases: half up, never truncated.
  { name: "10.05 at 50% off is 5.03 (5.025 rounds up)", positions: [{ showing: 1, type: "GA", count: 2, rule: { price: "10.05", discount: "0.5", size: 2 } }], expected: ["5.03", "5.03"] },
  { name: "10.01 at 50% off is 5.01 (5.005 rounds up)", positions: [{ showing: 1, type: "GA", count: 2, rule: { price: "10.01", discount: "0.5", size: 2 } }], expected: ["5.01", "5.01"] },
  { name: "0.03 at 50% off is 0.02 (0.015 rounds up)", positions: [{ showing: 1, type: "GA", count: 2, rule: { price: "0.03", discount: "0.5", size: 2 } }], expected: ["0.02", "0.02"] },
  { name: "9.99 at 33.33% off is 6.66 (6.660333 rounds down)", positions: [{ showing: 1, type: "GA", count: 3, rule: { price: "9.99", discount: "0.3333", size: 3 } }], expected: Array(3).fill("6.66") },
  { name: "0.99 at 10% off is 0.89 (0.891 rounds down)", positions: [{ showing: 1, type: "GA", count: 2, rule: { price: "0.99", discount: "0.1", size: 2 } }], expected: ["0.89", "0.89"] },
  { name: "19.99 at 25% off is 14.99 (14.9925 rounds down)", positions: [{ showing: 1, type: "GA", count: 2, rule: { price: "19.99", discount: "0.25", size: 2 } }], expected: ["14.99", "14.99"] },
  { name: "12.35 at 10% off is 11.12 (11.115 rounds up)", positions: [{ showing: 1, type: "GA", count: 2, rule: { price: "12.35", discount: "0.1", size: 2 } }], expected: ["11.12", "11.12"] },
  // No 999.99 ceiling.
  { name: "large prices keep every cent", positions: [{ showing: 1, type: "Table", count: 2, rule: { price: "12345.67", discount: "0.1", size: 2 } }], expected: ["11111.10", "11111.10"] },
];

describe("priceOrder", () => {
  it.each(cases)("$name", ({ positions, expected }) => {
    const order = priceOrder(tickets(positions));
    const amounts = [...order.ticketAmounts.values()].map((a) => a.toFixed(2));
    expect(amounts).toEqual(expected);
    const sum = expected.reduce((acc, a) => acc.plus(a), new Prisma.Decimal(0));
    expect(order.total.toFixed(2)).toBe(sum.toFixed(2));
    // Every position is one line here: its tickets' prices are its unit price, and list price minus discount is the amount.
    let at = 0;
    for (const [i, p] of positions.entries()) {
      const line = order.lines[i]!;
      expect({ showingId: line.showingId, type: line.type, count: line.count }).toEqual({ showingId: p.showing, type: p.type, count: p.count });
      expect(line.unitPrice.toFixed(2)).toBe(expected[at]);
      expect(line.listPrice.toFixed(2)).toBe(new Prisma.Decimal(p.rule.price).toFixed(2));
      expect(line.amount.toFixed(2)).toBe(line.unitPrice.mul(p.count).toFixed(2));
      expect(line.listPrice.mul(p.count).minus(line.discount).toFixed(2)).toBe(line.amount.toFixed(2));
      at += p.count;
    }
    expect(order.listTotal.minus(order.discount).toFixed(2)).toBe(order.total.toFixed(2));
  });

  it("sums each showing and type into one line whose amounts add up to the total", () => {
    const order = priceOrder(
      tickets([
        { showing: 1, type: "GA", count: 4, rule: general },
        { showing: 1, type: "Front", count: 1, rule: { price: "40.00" } },
        { showing: 2, type: "GA", count: 1, rule: general },
      ]),
    );
    expect(
      order.lines.map((l) => ({
        showingId: l.showingId,
        type: l.type,
        count: l.count,
        listPrice: l.listPrice.toFixed(2),
        unitPrice: l.unitPrice.toFixed(2),
        amount: l.amount.toFixed(2),
        discount: l.discount.toFixed(2),
        quote: formatQuote(l.quote),
      })),
    ).toEqual([
      { showingId: 1, type: "GA", count: 4, listPrice: "15.00", unitPrice: "12.00", amount: "48.00", discount: "12.00", quote: { size: 4, percentOff: "20", unitPrice: "12.00" } },
      { showingId: 1, type: "Front", count: 1, listPrice: "40.00", unitPrice: "40.00", amount: "40.00", discount: "0.00", quote: null },
      { showingId: 2, type: "GA", count: 1, listPrice: "15.00", unitPrice: "15.00", amount: "15.00", discount: "0.00", quote: { size: 4, percentOff: "20", unitPrice: "12.00" } },
    ]);
    expect(order.total.toFixed(2)).toBe("103.00");
    expect(order.listTotal.toFixed(2)).toBe("115.00");
    expect(order.discount.toFixed(2)).toBe("12.00");
  });

  it("prices an empty order at zero", () => {
    const order = priceOrder([]);
    expect(order.total.toFixed(2)).toBe("0.00");
    expect(order.listTotal.toFixed(2)).toBe("0.00");
    expect(order.discount.toFixed(2)).toBe("0.00");
    expect(order.lines).toEqual([]);
  });
});

const offer = (rule: Rule) => ({
  price: new Prisma.Decimal(rule.price),
  groupDiscount: new Prisma.Decimal(rule.discount ?? "0"),
  groupSize: rule.size ?? null,
});

// The quote a buyer reads before choosing: the rule, and what each ticket of a group costs.
describe("groupQuote", () => {
  it.each([
    { rule: general, quote: { size: 4, percentOff: "20", unitPrice: "12.00" } },
    { rule: { price: "10.01", discount: "0.5", size: 2 }, quote: { size: 2, percentOff: "50", unitPrice: "5.01" } },
    { rule: { price: "9.99", discount: "0.3333", size: 3 }, quote: { size: 3, percentOff: "33.33", unitPrice: "6.66" } },
    { rule: { price: "8.00", discount: "0.125", size: 2 }, quote: { size: 2, percentOff: "12.5", unitPrice: "7.00" } },
    { rule: { price: "15.00", discount: "1", size: 2 }, quote: { size: 2, percentOff: "100", unitPrice: "0.00" } },
    { rule: { price: "15.00" }, quote: null },
    { rule: { price: "15.00", discount: "0", size: 2 }, quote: null },
    { rule: { price: "15.00", discount: "0.2", size: null }, quote: null },
  ])("$rule.price at $rule.discount off from $rule.size", ({ rule, quote }) => {
    expect(formatQuote(groupQuote(offer(rule)))).toEqual(quote);
  });
});

// Picks priced before they are in the cart: the group counts the cart's tickets of the same showing and type too.
describe("priceLine", () => {
  it.each([
    { name: "two picked, none in the cart: face value", count: 2, group: 2, expected: { unit: "15.00", amount: "30.00", discount: "0.00" } },
    { name: "two picked, two in the cart: the group price", count: 2, group: 4, expected: { unit: "12.00", amount: "24.00", discount: "6.00" } },
    { name: "one picked, three in the cart: the group price", count: 1, group: 4, expected: { unit: "12.00", amount: "12.00", discount: "3.00" } },
    { name: "nothing picked: nothing to pay", count: 0, group: 3, expected: { unit: "15.00", amount: "0.00", discount: "0.00" } },
  ])("$name", ({ count, group, expected }) => {
    const line = priceLine(offer(general), count, group);
    expect({ unit: line.unitPrice.toFixed(2), amount: line.amount.toFixed(2), discount: line.discount.toFixed(2) }).toEqual(expected);
    expect(line.listPrice.toFixed(2)).toBe("15.00");
  });
});

describe("roundCents", () => {
  it.each([
    ["5.005", "5.01"],
    ["5.0049", "5.00"],
    ["0.015", "0.02"],
    ["0.005", "0.01"],
    ["11.115", "11.12"],
    ["2.675", "2.68"],
    ["7", "7.00"],
  ])("%s rounds half up to %s", (value, expected) => {
    expect(roundCents(new Prisma.Decimal(value)).toFixed(2)).toBe(expected);
  });
});
