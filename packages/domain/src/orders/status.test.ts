import { Prisma } from "@admit/db";
import { describe, expect, it } from "vitest";
import { orderStatus, refundState, type OrderStatus } from "./status.ts";

/** `tickets`: one letter per ticket, "v" voided, "k" kept. */
const cases: Array<{ name: string; total: string; tickets: string; refunded: string; expected: OrderStatus }> = [
  { name: "paid, nothing back", total: "30.00", tickets: "kk", refunded: "0", expected: "paid" },
  { name: "free, standing", total: "0.00", tickets: "kkk", refunded: "0", expected: "paid" },
  { name: "one of two tickets refunded", total: "30.00", tickets: "vk", refunded: "15.00", expected: "partly_refunded" },
  { name: "money back without voiding (a partial refund)", total: "30.00", tickets: "kk", refunded: "5.00", expected: "partly_refunded" },
  { name: "a ticket voided, no money back yet", total: "30.00", tickets: "vk", refunded: "0", expected: "partly_refunded" },
  { name: "every ticket voided, part of the money back", total: "30.00", tickets: "vv", refunded: "20.00", expected: "partly_refunded" },
  { name: "all money back, a ticket kept", total: "30.00", tickets: "vk", refunded: "30.00", expected: "partly_refunded" },
  { name: "every ticket voided, all money back", total: "30.00", tickets: "vv", refunded: "30.00", expected: "refunded" },
  { name: "paid, seats gone, refund recorded", total: "45.00", tickets: "", refunded: "45.00", expected: "refunded" },
  { name: "free, every ticket returned", total: "0.00", tickets: "vv", refunded: "0", expected: "cancelled" },
  { name: "free, one of two returned", total: "0.00", tickets: "vk", refunded: "0", expected: "partly_refunded" },
];

describe("orderStatus", () => {
  for (const c of cases) {
    it(`${c.name}: ${c.expected}`, () => {
      const status = orderStatus({
        total: new Prisma.Decimal(c.total),
        tickets: [...c.tickets].map((letter) => ({ voided: letter === "v" })),
        refunded: new Prisma.Decimal(c.refunded),
      });
      expect(status).toBe(c.expected);
    });
  }
});

describe("refundState", () => {
  const cases = [
    { status: "PENDING", lastError: null, expected: "pending" },
    { status: "PENDING", lastError: "processor timeout", expected: "failing" },
    { status: "MANUAL", lastError: null, expected: "waiting_for_club" },
    { status: "SUCCEEDED", lastError: "an earlier attempt failed", expected: "refunded" },
  ] as const;
  for (const c of cases) {
    it(`${c.status}${c.lastError ? " after an error" : ""}: ${c.expected}`, () => {
      expect(refundState(c)).toBe(c.expected);
    });
  }
});
