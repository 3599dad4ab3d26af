import { describe, expect, it } from "vitest";
import { atCapacity } from "../src/index.ts";

describe("the capacity alarm", () => {
  it("is on from the capacity up, and never without one", () => {
    expect(atCapacity({ inside: 9, capacity: 10 })).toBe(false);
    expect(atCapacity({ inside: 10, capacity: 10 })).toBe(true);
    expect(atCapacity({ inside: 11, capacity: 10 })).toBe(true);
    expect(atCapacity({ inside: 0, capacity: null })).toBe(false);
    expect(atCapacity({ inside: 1_000_000, capacity: null })).toBe(false);
  });
});
