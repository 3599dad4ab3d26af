import { describe, expect, it } from "vitest";
import type { z } from "zod";
import {
  cartQuantitiesSchema,
  createShowingSchema,
  discountIn,
  idSchema,
  MAX_ID,
  MAX_INPUT_DEPTH,
  MAX_TICKETS_PER_REQUEST,
  offeringSchema,
  pathIdSchema,
  priceIn,
  setOfferingsSchema,
  signUpSchema,
  transferBodySchema,
  unstorableInput,
  usernameSchema,
} from "../src/index.ts";

function accepts(schema: z.ZodType, value: unknown): boolean {
  return schema.safeParse(value).success;
}

function messages(schema: z.ZodType, value: unknown): string[] {
  const result = schema.safeParse(value);
  return result.success ? [] : result.error.issues.map((i) => i.message);
}

describe("ids", () => {
  it.each([
    [1, true],
    [MAX_ID, true],
    [MAX_ID + 1, false],
    [0, false],
    [-1, false],
    [1.5, false],
    ["1", false],
    [Number.NaN, false],
  ])("idSchema(%j) accepted: %s", (value, ok) => {
    expect(accepts(idSchema, value)).toBe(ok);
  });

  it.each([
    ["7", 7],
    [String(MAX_ID), MAX_ID],
  ])("a path id %j is the number %d", (value, expected) => {
    expect(pathIdSchema("id").parse(value)).toBe(expected);
  });

  it.each(["0", "-3", "abc", "1.5", String(MAX_ID + 1), "99999999999999999999"])("a path id %j is refused", (value) => {
    expect(accepts(pathIdSchema("id"), value)).toBe(false);
  });
});

describe("prices and discounts", () => {
  it.each([
    ["15.00", "15.00"],
    ["0", "0"],
    [" 7.5 ", "7.5"],
    [12, "12"],
    ["9999999999.99", "9999999999.99"],
  ])("price %j is %j", (value, expected) => {
    expect(priceIn.parse(value)).toBe(expected);
  });

  it.each(["-1.00", "1.001", "abc", "", "1e3", "99999999999.00", "$5"])("price %j is refused", (value) => {
    expect(accepts(priceIn, value)).toBe(false);
  });

  it("names the negative price in words", () => {
    expect(messages(priceIn, "-5")).toContain("Prices cannot be negative.");
  });

  it.each([
    ["0", true],
    ["1", true],
    ["0.2", true],
    [".25", true],
    ["0.3333", true],
    ["0.33333", false],
    ["1.01", false],
    ["-0.1", false],
    ["abc", false],
  ])("discount %j accepted: %s", (value, ok) => {
    expect(accepts(discountIn, value)).toBe(ok);
  });
});

describe("offerings", () => {
  const offering = { type: "General", count: 10, price: "15.00" };

  it("takes a plain offering and defaults transferable and buyable to true", () => {
    expect(offeringSchema.parse(offering)).toMatchObject({ transferable: true, buyable: true });
  });

  it.each([
    [{ ...offering, count: 0 }, "The number of tickets must be at least 1."],
    [{ ...offering, count: MAX_TICKETS_PER_REQUEST + 1 }, `At most ${MAX_TICKETS_PER_REQUEST} tickets at a time.`],
    [{ ...offering, type: "  " }, "Give each ticket type a name."],
    [{ ...offering, groupDiscount: "0.2" }, "Give the group discount and the group size together, or neither."],
    [{ ...offering, groupSize: 4 }, "Give the group discount and the group size together, or neither."],
    [{ ...offering, groupDiscount: "0.2", groupSize: 1 }, "A group has at least 2 tickets."],
  ])("refuses %j: %s", (value, message) => {
    expect(messages(offeringSchema, value)).toContain(message);
  });

  it("refuses unknown fields", () => {
    expect(accepts(offeringSchema, { ...offering, owner: "mallory" })).toBe(false);
  });

  it("refuses a type listed twice and more tickets in all than one request may create", () => {
    expect(messages(setOfferingsSchema, { showingId: 1, offerings: [offering, offering] })).toContain(
      'The type "General" is listed twice.',
    );
    const big = [
      { ...offering, type: "A", count: MAX_TICKETS_PER_REQUEST },
      { ...offering, type: "B", count: 1 },
    ];
    expect(messages(setOfferingsSchema, { showingId: 1, offerings: big })).toContain(
      `At most ${MAX_TICKETS_PER_REQUEST} tickets at a time.`,
    );
  });
});

describe("showings", () => {
  it("refuses a showing that ends before it starts, and times without a zone", () => {
    expect(
      messages(createShowingSchema, { eventId: 1, startTime: "2027-01-01T20:00:00Z", endTime: "2027-01-01T19:00:00Z" }),
    ).toContain("A showing starts before it ends.");
    expect(accepts(createShowingSchema, { eventId: 1, startTime: "2027-01-01T19:00:00", endTime: "2027-01-01T21:00:00" })).toBe(
      false,
    );
  });

  it("reads offsets as the instant they name", () => {
    const showing = createShowingSchema.parse({ eventId: 1, startTime: "2027-01-01T14:00:00-05:00", endTime: "2027-01-01T16:00:00-05:00" });
    expect(showing.startTime.toISOString()).toBe("2027-01-01T19:00:00.000Z");
  });
});

describe("cart quantities", () => {
  it.each([
    [{ quantities: [{ type: "General", count: 1 }] }, true],
    [{ quantities: [{ type: "General", count: 1000 }] }, true],
    [{ quantities: [{ type: "General", count: 1001 }] }, false],
    [{ quantities: [{ type: "General", count: 0 }] }, false],
    [{ quantities: [{ type: "General", count: -2 }] }, false],
    [{ quantities: [{ type: "General", count: 1.5 }] }, false],
    [{ quantities: [{ type: "General", count: "2" }] }, false],
    [{ quantities: [] }, false],
    [{ quantities: "General" }, false],
  ])("%j accepted: %s", (value, ok) => {
    expect(accepts(cartQuantitiesSchema, value)).toBe(ok);
  });
});

describe("accounts", () => {
  it.each([
    ["carol", true],
    ["c.d_9", true],
    ["c", false],
    ["carol smith", false],
    ["carol<script>", false],
    ["x".repeat(41), false],
  ])("username %j accepted: %s", (value, ok) => {
    expect(accepts(usernameSchema, value)).toBe(ok);
  });

  it("refuses short passwords and bad e-mail addresses at sign-up", () => {
    const good = { username: "carol", fullName: "Carol", email: "carol@example.edu", password: "long enough" };
    expect(accepts(signUpSchema, good)).toBe(true);
    expect(messages(signUpSchema, { ...good, password: "short" })).toContain("Passwords have at least 8 characters.");
    expect(messages(signUpSchema, { ...good, email: "carol" })).toContain("Give a valid e-mail address.");
  });

  it("trims the transfer username and refuses an empty one", () => {
    expect(transferBodySchema.parse({ username: "  dave " })).toEqual({ username: "dave" });
    expect(accepts(transferBodySchema, { username: "   " })).toBe(false);
    expect(accepts(transferBodySchema, {})).toBe(false);
  });
});

describe("unstorableInput", () => {
  const nested = (depth: number): unknown => {
    let value: unknown = "leaf";
    for (let i = 0; i < depth; i++) value = { a: value };
    return value;
  };

  it.each([
    [{ name: "ok", list: [1, "two", { three: null }] }, null],
    [null, null],
    ["plain", null],
    [{ name: "a\u0000b" }, "name: must not contain the NUL character."],
    [{ quantities: [{ type: "x\u0000" }] }, "quantities.0.type: must not contain the NUL character."],
    [{ "bad\u0000key": 1 }, "bad\u0000key: must not contain the NUL character."],
  ])("%j -> %j", (value, expected) => {
    expect(unstorableInput(value)).toBe(expected);
  });

  it(`allows ${MAX_INPUT_DEPTH} levels and refuses one more, without exhausting the stack`, () => {
    expect(unstorableInput(nested(MAX_INPUT_DEPTH))).toBeNull();
    expect(unstorableInput(nested(MAX_INPUT_DEPTH + 1))).toMatch(/nested more than 64 levels deep/);
    expect(unstorableInput(nested(100_000))).toMatch(/nested more than 64 levels deep/);
  });
});
