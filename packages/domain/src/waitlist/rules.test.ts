import { describe, expect, it } from "vitest";
import { DomainError } from "../errors.ts";
import { orderAllowance } from "../order-limit.ts";
import { hasDropAhead, keepsPlace, remindAt, requireDropAhead, requireMayJoin, waitable, type JoinFacts } from "./rules.ts";

const now = new Date("2026-03-01T12:00:00Z");
const hour = 3_600_000;

type Showing = JoinFacts["showing"];
type TypeFacts = JoinFacts["types"][number];

function showingFacts(extra: Partial<Showing> = {}): Showing {
  return {
    endTime: new Date(now.getTime() + 48 * hour),
    ticketDropTime: null,
    salesPaused: false,
    cancelledAt: null,
    event: { club: { approved: true, archived: false } },
    ...extra,
  };
}

const general = (extra: Partial<TypeFacts> = {}): TypeFacts => ({
  type: "General",
  buyable: true,
  salesPaused: false,
  salesEndAt: null,
  sellableForYou: 0,
  ...extra,
});
const vip = (extra: Partial<TypeFacts> = {}): TypeFacts => general({ type: "VIP", ...extra });

function facts(extra: Partial<JoinFacts> = {}, showing: Partial<Showing> = {}): JoinFacts {
  return {
    showing: showingFacts(showing),
    types: [general()],
    allowance: orderAllowance({ limit: 4, inCart: 0, owned: 0 }),
    entry: null,
    ...extra,
  };
}

function refusalCode(f: JoinFacts, count = 1, type: string | null = null): string | null {
  try {
    requireMayJoin(f, { type, count }, now);
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
    ["tickets on sale for you", facts({ types: [general({ sellableForYou: 1 })] }), 1, "TICKETS_AVAILABLE"],
    ["an offer already holds tickets for you", facts({ entry: { state: "OFFERED" } }), 1, "CONFLICT"],
    ["after an offer expired", facts({ entry: { state: "EXPIRED" } }), 1, null],
    ["past the order limit", facts(), 5, "ORDER_LIMIT_EXCEEDED"],
    ["limit used up by tickets owned", facts({ allowance: orderAllowance({ limit: 4, inCart: 0, owned: 4 }) }), 1, "ORDER_LIMIT_EXCEEDED"],
    ["before the drop", facts({}, { ticketDropTime: new Date(now.getTime() + hour) }), 1, "NOT_ON_SALE"],
    ["ended", facts({}, { endTime: now }), 1, "SHOWING_ENDED"],
    ["cancelled", facts({}, { cancelledAt: now }), 1, "SHOWING_CANCELLED"],
    ["club not approved", facts({}, { event: { club: { approved: false, archived: false } } }), 1, "NOT_FOUND"],
    ["a showing without tickets", facts({ types: [] }), 1, "VALIDATION_FAILED"],
  ] as const)("any type: %s", (_, f, count, code) => {
    expect(refusalCode(f, count)).toBe(code);
  });

  const twoTypes = (g: Partial<TypeFacts>, v: Partial<TypeFacts>) => facts({ types: [general(g), vip(v)] });
  it.each([
    ["a sold-out type while another sells", twoTypes({}, { sellableForYou: 2 }), "General", null],
    ["a type on sale", twoTypes({}, { sellableForYou: 2 }), "VIP", "TICKETS_AVAILABLE"],
    ["any type while one sells", twoTypes({}, { sellableForYou: 2 }), null, "TICKETS_AVAILABLE"],
    ["a paused type", twoTypes({}, { salesPaused: true }), "VIP", "SALES_PAUSED"],
    ["a type whose sales ended", twoTypes({}, { salesEndAt: now }), "VIP", "SALES_ENDED"],
    ["any type when only the paused one is left", facts({ types: [vip({ salesPaused: true })] }), null, "SALES_PAUSED"],
    ["an unknown type", twoTypes({}, {}), "Balcony", "VALIDATION_FAILED"],
    ["a complimentary-only type", twoTypes({}, { buyable: false }), "VIP", "VALIDATION_FAILED"],
  ] as const)("by type: %s", (_, f, type, code) => {
    expect(refusalCode(f, 1, type)).toBe(code);
  });
});

describe("waitable", () => {
  it.each([
    ["everything sold out", facts({ types: [general(), vip()] }), { any: true, types: ["General", "VIP"] }],
    ["one type sells", facts({ types: [general(), vip({ sellableForYou: 1 })] }), { any: false, types: ["General"] }],
    ["everything sells", facts({ types: [general({ sellableForYou: 3 })] }), { any: false, types: [] }],
    ["a paused type is left out", facts({ types: [general(), vip({ salesPaused: true })] }), { any: true, types: ["General"] }],
    ["an ended type is left out", facts({ types: [general(), vip({ salesEndAt: now })] }), { any: true, types: ["General"] }],
    ["every type paused", facts({ types: [general({ salesPaused: true })] }), { any: false, types: [] }],
    ["a complimentary-only type is left out", facts({ types: [general(), vip({ buyable: false })] }), { any: true, types: ["General"] }],
    ["a paused showing", facts({ types: [general()] }, { salesPaused: true }), { any: true, types: ["General"] }],
    ["before the drop", facts({}, { ticketDropTime: new Date(now.getTime() + hour) }), { any: false, types: [] }],
    ["cancelled", facts({}, { cancelledAt: now }), { any: false, types: [] }],
    ["ended", facts({}, { endTime: now }), { any: false, types: [] }],
  ] as const)("%s", (_, f, expected) => {
    expect(waitable(f, now)).toEqual(expected);
  });

  it("lists exactly the types requireMayJoin accepts, and any type exactly when it accepts any", () => {
    const cases = [
      [general(), vip()],
      [general(), vip({ sellableForYou: 1 })],
      [general({ salesPaused: true }), vip({ salesEndAt: now })],
      [general({ buyable: false }), vip()],
    ];
    for (const types of cases) {
      for (const showing of [{}, { salesPaused: true }, { cancelledAt: now }]) {
        const f = facts({ types }, showing);
        const may = waitable(f, now);
        for (const t of ["General", "VIP"]) expect(refusalCode(f, 1, t) === null).toBe(may.types.includes(t));
        expect(refusalCode(f, 1, null) === null).toBe(may.any);
      }
    }
  });
});

describe("hasDropAhead / requireDropAhead", () => {
  const ahead = { ticketDropTime: new Date(now.getTime() + hour) };
  it.each([
    ["drop ahead", ahead, null],
    ["paused with its drop ahead", { ...ahead, salesPaused: true }, "SALES_PAUSED"],
    ["cancelled with its drop ahead", { ...ahead, cancelledAt: now }, "SHOWING_CANCELLED"],
    ["ended", { ...ahead, endTime: now }, "SHOWING_ENDED"],
    ["already on sale", { ticketDropTime: now }, "CONFLICT"],
    ["no drop time", {}, "CONFLICT"],
    ["club archived", { ...ahead, event: { club: { approved: true, archived: true } } }, "NOT_FOUND"],
  ] as const)("%s", (_, showing, code) => {
    const s = showingFacts(showing);
    expect(hasDropAhead(s, now)).toBe(code === null);
    let refused: string | null = null;
    try {
      requireDropAhead(s, now);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      refused = error.code;
    }
    expect(refused).toBe(code);
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
