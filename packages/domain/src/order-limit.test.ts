import { describe, expect, it } from "vitest";
import { DomainError } from "./errors.ts";
import { orderAllowance, requireWithinOrderLimit } from "./order-limit.ts";

function refusal(run: () => void): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error("expected ORDER_LIMIT_EXCEEDED");
}

describe("orderAllowance", () => {
  it.each([
    { limit: 4, inCart: 0, owned: 0, remaining: 4 },
    { limit: 4, inCart: 1, owned: 2, remaining: 1 },
    { limit: 4, inCart: 2, owned: 2, remaining: 0 },
    // A limit lowered below what someone already has leaves nothing, never a negative allowance.
    { limit: 2, inCart: 1, owned: 3, remaining: 0 },
  ])("limit $limit with $inCart in the cart and $owned bought leaves $remaining", ({ remaining, ...counts }) => {
    expect(orderAllowance(counts)).toEqual({ ...counts, remaining });
  });
});

describe("requireWithinOrderLimit", () => {
  it("allows adding exactly what remains and refuses one more", () => {
    const allowance = orderAllowance({ limit: 4, inCart: 1, owned: 1 });
    expect(() => requireWithinOrderLimit(allowance, 2, "cart")).not.toThrow();
    expect(refusal(() => requireWithinOrderLimit(allowance, 3, "cart")).code).toBe("ORDER_LIMIT_EXCEEDED");
  });

  it("says what the person already has, and at checkout what to do about it", () => {
    const cases = [
      { counts: { limit: 2, inCart: 0, owned: 0 }, adding: 3, at: "cart", message: "Order exceeds the maximum ticket limit of 2." },
      {
        counts: { limit: 3, inCart: 2, owned: 0 },
        adding: 2,
        at: "cart",
        message: "Order exceeds the maximum ticket limit of 3 (you have 2 in your cart).",
      },
      {
        counts: { limit: 3, inCart: 1, owned: 2 },
        adding: 1,
        at: "cart",
        message: "Order exceeds the maximum ticket limit of 3 (you have 1 in your cart and 2 already yours).",
      },
      {
        counts: { limit: 4, inCart: 0, owned: 3 },
        adding: 2,
        at: "checkout",
        message: "Order exceeds the maximum ticket limit of 4 (you have 3 already yours). Remove some from your cart.",
      },
    ] as const;
    for (const { counts, adding, at, message } of cases) {
      const error = refusal(() => requireWithinOrderLimit(orderAllowance(counts), adding, at));
      expect(error.message).toBe(message);
      expect(error.details).toEqual({ ...counts, remaining: orderAllowance(counts).remaining });
    }
  });
});
