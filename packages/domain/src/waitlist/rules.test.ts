import { describe, expect, it } from "vitest";
import { DomainError } from "../errors.ts";
import { orderAllowance } from "../order-limit.ts";
import { keepsPlace, remindAt, requireMayJoin, type JoinFacts } from "./rules.ts";

const now = new Date("2026-03-01T12:00:00Z");
const hour = 3_600_000;

function facts(extra: Partial<JoinFacts> = {}, showing: Partial<JoinFacts["showing"]> = {}): JoinFacts {
  return {
    showing: {
      endTime: new Date(now.getTime() + 48 * hour),
      ticketDropTime: null,
      salesPaused: false,
      cancelledAt: null,
      event: { club: { approved: true, archived: false } },
      ...showing,
    },
    type: null,
    typeKnown: true,
    sellableForYou: 0,
    allowance: orderAllowance({ limit: 4, inCart: 0, owned: 0 }),
    entry: null,
    ...extra,
  };
}

function refusalCode(f: JoinFacts, count = 1): string | null {
  try {
    requireMayJoin(f, count, now);
    return null;
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
}

describe("requireMayJoin", () => {
  it.each([
    ["sold out", facts(), 1, null],
    ["paused: nothing on sale", facts({}, { salesPaused: true }), 1, null],
    ["tickets on sale for you", facts({ sellableForYou: 1 }), 1, "TICKETS_AVAILABLE"],
    ["an offer already holds tickets for you", facts({ entry: { state: "OFFERED" } }), 1, "CONFLICT"],
    ["after an offer expired", facts({ entry: { state: "EXPIRED" } }), 1, null],
    ["past the order limit", facts(), 5, "ORDER_LIMIT_EXCEEDED"],
    ["limit used up by tickets owned", facts({ allowance: orderAllowance({ limit: 4, inCart: 0, owned: 4 }) }), 1, "ORDER_LIMIT_EXCEEDED"],
    ["unknown type", facts({ type: "Balcony", typeKnown: false }), 1, "VALIDATION_FAILED"],
    ["before the drop", facts({}, { ticketDropTime: new Date(now.getTime() + hour) }), 1, "NOT_ON_SALE"],
    ["ended", facts({}, { endTime: now }), 1, "SHOWING_ENDED"],
    ["cancelled", facts({}, { cancelledAt: now }), 1, "SHOWING_CANCELLED"],
    ["club not approved", facts({}, { event: { club: { approved: false, archived: false } } }), 1, "NOT_FOUND"],
  ] as const)("%s", (_, f, count, code) => {
    expect(refusalCode(f, count)).toBe(code);
  });
});

describe("keepsPlace", () => {
  it("keeps the place only while still waiting", () => {
    expect(keepsPlace({ state: "WAITING" })).toBe(true);
    for (const state of ["OFFERED", "DONE", "EXPIRED", "LEFT"] as const) expect(keepsPlace({ state })).toBe(false);
    expect(keepsPlace(null)).toBe(false);
  });
});

describe("remindAt", () => {
  const drop = new Date("2026-03-02T18:00:00Z");
  it("is 30 minutes before the drop without a lobby (or with a lobby turned off)", () => {
    expect(remindAt(drop, null).toISOString()).toBe("2026-03-02T17:30:00.000Z");
    expect(remindAt(drop, { enabled: false, opensMinutesBefore: 15 }).toISOString()).toBe("2026-03-02T17:30:00.000Z");
  });
  it("is 30 minutes before the lobby opens", () => {
    expect(remindAt(drop, { enabled: true, opensMinutesBefore: 15 }).toISOString()).toBe("2026-03-02T17:15:00.000Z");
  });
});
