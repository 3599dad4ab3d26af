import { describe, expect, it } from "vitest";
import { measureDelivery, REPLY_LIMITS, type PaymentDelivery } from "./delivery.ts";
import { outcomeOf } from "./outcome.ts";

function delivery(fields: Record<string, unknown>, bodyBytes = 100): PaymentDelivery {
  return { channel: "merchant", fields, bodyBytes, bodyDigest: "0".repeat(64), clientAddress: "127.0.0.1" };
}

/** `count` distinct fields named f0, f1, ... with short values. */
const manyFields = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`f${i}`, "v"]));

describe("measureDelivery", () => {
  it("counts every value, a repeated field once per value, whatever its type", () => {
    const shape = measureDelivery(delivery({ decision: "ACCEPT", req_amount: ["1.00", "2.00", "3.00"], flag: true }));
    expect(shape).toEqual({ fieldCount: 5, fieldNames: ["decision", "req_amount", "flag"], oversize: null });
    expect(measureDelivery(delivery({}))).toEqual({ fieldCount: 0, fieldNames: [], oversize: null });
  });

  it("accepts a reply at every cap and refuses one past it, saying which", () => {
    const atCaps = {
      ...manyFields(REPLY_LIMITS.maxFields - 1),
      ["n".repeat(REPLY_LIMITS.maxNameLength)]: "x".repeat(REPLY_LIMITS.maxValueLength),
    };
    expect(measureDelivery(delivery(atCaps, REPLY_LIMITS.maxBodyBytes)).oversize).toBeNull();

    expect(measureDelivery(delivery({ a: "1" }, REPLY_LIMITS.maxBodyBytes + 1)).oversize).toBe("body of 65537 bytes, over 65536");
    expect(measureDelivery(delivery(manyFields(REPLY_LIMITS.maxFields + 1))).oversize).toBe("201 fields, over 200");
    expect(measureDelivery(delivery({ a: ["1", "2"], ...manyFields(REPLY_LIMITS.maxFields - 1) })).oversize).toBe("201 fields, over 200");
    expect(measureDelivery(delivery({ a: "x".repeat(REPLY_LIMITS.maxValueLength + 1) })).oversize).toBe(
      "a value of 4001 characters, over 4000",
    );
    expect(measureDelivery(delivery({ a: ["short", "x".repeat(REPLY_LIMITS.maxValueLength + 1)] })).oversize).toBe(
      "a value of 4001 characters, over 4000",
    );
    const longAsText = { toString: () => "x".repeat(REPLY_LIMITS.maxValueLength + 1) };
    expect(measureDelivery(delivery({ a: longAsText })).oversize).toBe("a value of 4001 characters, over 4000");
    expect(measureDelivery(delivery({ ["n".repeat(REPLY_LIMITS.maxNameLength + 1)]: "1", b: "2" })).oversize).toBe(
      "a field name of 101 characters, over 100",
    );
  });

  it("reports the first reason in order: size, then field count, then value, then name", () => {
    const everything = { ...manyFields(REPLY_LIMITS.maxFields + 1), ["n".repeat(200)]: "x".repeat(5000) };
    expect(measureDelivery(delivery(everything, REPLY_LIMITS.maxBodyBytes + 1)).oversize).toMatch(/^body of /);
    expect(measureDelivery(delivery(everything)).oversize).toMatch(/^202 fields/);
    expect(measureDelivery(delivery({ ["n".repeat(200)]: "x".repeat(5000) })).oversize).toMatch(/^a value of /);
  });

  it("keeps at most 40 names of a refused delivery, each cut to 40 characters", () => {
    const long = "n".repeat(60);
    const shape = measureDelivery(delivery({ [long]: "1", ...manyFields(50) }));
    expect(shape.fieldNames).toHaveLength(40);
    expect(shape.fieldNames[0]).toBe("n".repeat(40));
    expect(shape.fieldNames[1]).toBe("f0");
    expect(shape.fieldNames[39]).toBe("f38");
  });
});

describe("outcomeOf", () => {
  it("tells the buyer one word per way an attempt ends", () => {
    const statuses = ["PENDING", "PAID", "DECLINED", "CANCELLED", "ERROR", "REVIEW", "EXPIRED", "SUPERSEDED", "REFUND_NEEDED", "REFUNDED"] as const;
    expect(statuses.map(outcomeOf)).toEqual(["error", "paid", "declined", "cancelled", "error", "review", "expired", "expired", "refund", "refund"]);
  });
});
