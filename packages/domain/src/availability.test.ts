import { describe, expect, it } from "vitest";
import {
  heldByOther,
  isSellable,
  pausedOnly,
  requireNotStopped,
  requireOnSale,
  requireTypeOnSale,
  saleState,
  typeOnSaleSql,
  typeSaleState,
  underHoldWhere,
  unownedOrListedSql,
  type SaleState,
  type ShowingSaleFacts,
  type TicketSaleFacts,
  type TypeSaleFacts,
  type TypeSaleState,
} from "./availability.ts";
import { DomainError } from "./errors.ts";

// pretix's test_pricing_discount.py style: each row names the case, the facts that differ from a ticket on sale,
// and the verdict expected. Times are whole milliseconds around one instant, so the boundaries are exact.
// Left alive on purpose (they change nothing): a null drop time compared as `null > now` (false either way), an
// unmatched "ON_SALE" case (the switch returns anyway), and pausedOnly without its early return (an unpaused ticket
// equals its resumed copy, so it is never "paused only").
const now = new Date("2026-03-14T18:00:00.000Z");
const ms = (offset: number) => new Date(now.getTime() + offset);
const hour = 3_600_000;
const buyer = "buyer";

/** A showing on sale now: dropped an hour ago, ends in three hours, its club approved and open. */
function showing(over: Partial<Omit<ShowingSaleFacts, "event">> & { approved?: boolean; archived?: boolean } = {}): ShowingSaleFacts {
  const { approved = true, archived = false, ...facts } = over;
  return {
    endTime: ms(3 * hour),
    ticketDropTime: ms(-hour),
    salesPaused: false,
    cancelledAt: null,
    ...facts,
    event: { club: { approved, archived } },
  };
}

/** A ticket nobody owns or holds, for public sale, of a type and showing on sale; `showing` overrides the showing's facts. */
function ticket(over: Partial<Omit<TicketSaleFacts, "showing">> & { showing?: Parameters<typeof showing>[0] } = {}): TicketSaleFacts {
  const { showing: showingOver, ...facts } = over;
  return {
    type: "General",
    salesPaused: false,
    salesEndAt: null,
    ownerId: null,
    exchangeListedAt: null,
    attended: false,
    buyable: true,
    voidedAt: null,
    holderId: null,
    holdExpiresAt: null,
    ...facts,
    showing: showing(showingOver),
  };
}

/** The DomainError `run` throws, or null when it returns. */
function refusal(run: () => void): DomainError | null {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  return null;
}

/** A refusal as a row expects it (`details` only when the error carries them). */
function verdict(run: () => void): { code: string; message: string; details?: Record<string, unknown> } | null {
  const error = refusal(run);
  if (!error) return null;
  return error.details === undefined ? { code: error.code, message: error.message } : { code: error.code, message: error.message, details: error.details };
}

const showingRefusals = {
  CANCELLED: { code: "SHOWING_CANCELLED", message: "This showing has been cancelled, so it sells no tickets." },
  ENDED: { code: "SHOWING_ENDED", message: "This showing has already ended." },
  CLOSED: { code: "NOT_ON_SALE", message: "This club is not selling tickets right now." },
  PAUSED: { code: "SALES_PAUSED", message: "Sales for this showing are paused right now. Try again later." },
  NOT_YET: { code: "NOT_ON_SALE", message: "Tickets for this showing are not on sale yet." },
  ON_SALE: null,
} as const;

const showingCases: { name: string; showing: Parameters<typeof showing>[0]; state: SaleState }[] = [
  { name: "on sale", showing: {}, state: "ON_SALE" },
  { name: "no drop time: on sale from the start", showing: { ticketDropTime: null }, state: "ON_SALE" },
  { name: "exactly at the drop instant", showing: { ticketDropTime: now }, state: "ON_SALE" },
  { name: "1 ms before the drop", showing: { ticketDropTime: ms(1) }, state: "NOT_YET" },
  { name: "ends 1 ms from now", showing: { endTime: ms(1) }, state: "ON_SALE" },
  { name: "ends exactly now", showing: { endTime: now }, state: "ENDED" },
  { name: "ended an hour ago", showing: { endTime: ms(-hour) }, state: "ENDED" },
  { name: "club not approved", showing: { approved: false }, state: "CLOSED" },
  { name: "club archived", showing: { archived: true }, state: "CLOSED" },
  { name: "paused", showing: { salesPaused: true }, state: "PAUSED" },
  { name: "cancelled", showing: { cancelledAt: ms(-hour) }, state: "CANCELLED" },
  // Which reason wins when several hold: cancelled, ended, closed, paused, not yet.
  { name: "cancelled and ended", showing: { cancelledAt: ms(-hour), endTime: ms(-1) }, state: "CANCELLED" },
  { name: "ended and club closed", showing: { endTime: now, archived: true }, state: "ENDED" },
  { name: "club closed and paused", showing: { approved: false, salesPaused: true }, state: "CLOSED" },
  { name: "paused before the drop", showing: { salesPaused: true, ticketDropTime: ms(hour) }, state: "PAUSED" },
];

describe("saleState and requireOnSale", () => {
  it.each(showingCases)("$name: $state", ({ showing: over, state }) => {
    expect(saleState(showing(over), now)).toBe(state);
    expect(verdict(() => requireOnSale(showing(over), now))).toEqual(showingRefusals[state]);
  });
});

const typeCases: { name: string; type: TypeSaleFacts; state: TypeSaleState }[] = [
  { name: "on sale, no end", type: { salesPaused: false, salesEndAt: null }, state: "ON_SALE" },
  { name: "sales end 1 ms from now", type: { salesPaused: false, salesEndAt: ms(1) }, state: "ON_SALE" },
  { name: "sales end exactly now", type: { salesPaused: false, salesEndAt: now }, state: "SALES_ENDED" },
  { name: "sales ended an hour ago", type: { salesPaused: false, salesEndAt: ms(-hour) }, state: "SALES_ENDED" },
  { name: "paused", type: { salesPaused: true, salesEndAt: null }, state: "PAUSED" },
  { name: "paused and ended: paused", type: { salesPaused: true, salesEndAt: ms(-hour) }, state: "PAUSED" },
];

const typeRefusals = {
  ON_SALE: null,
  PAUSED: { code: "SALES_PAUSED", message: 'Sales of "Balcony" tickets are paused right now. Try again later.', details: { type: "Balcony" } },
  SALES_ENDED: { code: "SALES_ENDED", message: 'Sales of "Balcony" tickets have ended.', details: { type: "Balcony" } },
} as const;

describe("typeSaleState and requireTypeOnSale", () => {
  it.each(typeCases)("$name: $state", ({ type, state }) => {
    expect(typeSaleState(type, now)).toBe(state);
    expect(verdict(() => requireTypeOnSale("Balcony", type, now))).toEqual(typeRefusals[state]);
  });
});

describe("heldByOther", () => {
  it.each([
    { name: "no hold", hold: { holderId: null, holdExpiresAt: null }, held: false },
    { name: "no holder, stale expiry", hold: { holderId: null, holdExpiresAt: ms(hour) }, held: false },
    { name: "the buyer's own hold", hold: { holderId: buyer, holdExpiresAt: ms(hour) }, held: false },
    { name: "the buyer's own hold without expiry", hold: { holderId: buyer, holdExpiresAt: null }, held: false },
    { name: "another's live hold", hold: { holderId: "other", holdExpiresAt: ms(hour) }, held: true },
    { name: "another's hold expiring exactly now (expired)", hold: { holderId: "other", holdExpiresAt: now }, held: false },
    { name: "another's hold expiring 1 ms from now (live)", hold: { holderId: "other", holdExpiresAt: ms(1) }, held: true },
    { name: "another's hold expired an hour ago", hold: { holderId: "other", holdExpiresAt: ms(-hour) }, held: false },
    { name: "another's hold without expiry", hold: { holderId: "other", holdExpiresAt: null }, held: true },
  ])("$name: $held", ({ hold, held }) => {
    expect(heldByOther(hold, buyer, now)).toBe(held);
  });
});

// isSellable and pausedOnly on the same rows: a ticket not sellable only because of a pause stays in carts.
const ticketCases: { name: string; ticket: Parameters<typeof ticket>[0]; sellable: boolean; pausedOnly: boolean }[] = [
  { name: "unowned, on sale", ticket: {}, sellable: true, pausedOnly: false },
  { name: "owned by someone", ticket: { ownerId: "owner" }, sellable: false, pausedOnly: false },
  { name: "owned by the buyer", ticket: { ownerId: buyer }, sellable: false, pausedOnly: false },
  { name: "offered on the exchange by someone else", ticket: { ownerId: "owner", exchangeListedAt: ms(-hour) }, sellable: true, pausedOnly: false },
  { name: "offered on the exchange by the buyer", ticket: { ownerId: buyer, exchangeListedAt: ms(-hour) }, sellable: false, pausedOnly: false },
  {
    name: "offered on the exchange but used at the door",
    ticket: { ownerId: "owner", exchangeListedAt: ms(-hour), attended: true },
    sellable: false,
    pausedOnly: false,
  },
  { name: "voided", ticket: { voidedAt: ms(-hour) }, sellable: false, pausedOnly: false },
  { name: "reserved (not for public sale)", ticket: { buyable: false }, sellable: false, pausedOnly: false },
  { name: "held by another, live", ticket: { holderId: "other", holdExpiresAt: ms(1) }, sellable: false, pausedOnly: false },
  { name: "held by another, expired exactly now", ticket: { holderId: "other", holdExpiresAt: now }, sellable: true, pausedOnly: false },
  { name: "held by the buyer", ticket: { holderId: buyer, holdExpiresAt: ms(hour) }, sellable: true, pausedOnly: false },
  { name: "type sales ended", ticket: { salesEndAt: now }, sellable: false, pausedOnly: false },
  { name: "type paused", ticket: { salesPaused: true }, sellable: false, pausedOnly: true },
  { name: "showing paused", ticket: { showing: { salesPaused: true } }, sellable: false, pausedOnly: true },
  { name: "type and showing paused", ticket: { salesPaused: true, showing: { salesPaused: true } }, sellable: false, pausedOnly: true },
  { name: "showing not yet on sale", ticket: { showing: { ticketDropTime: ms(1) } }, sellable: false, pausedOnly: false },
  { name: "showing cancelled", ticket: { showing: { cancelledAt: ms(-hour) } }, sellable: false, pausedOnly: false },
  { name: "showing ended", ticket: { showing: { endTime: now } }, sellable: false, pausedOnly: false },
  // Paused, but something else would stop the sale after the pause too: not "paused only".
  { name: "type paused and sold", ticket: { salesPaused: true, ownerId: "owner" }, sellable: false, pausedOnly: false },
  { name: "showing paused and held by another", ticket: { holderId: "other", showing: { salesPaused: true } }, sellable: false, pausedOnly: false },
  { name: "both paused and voided", ticket: { voidedAt: ms(-hour), salesPaused: true, showing: { salesPaused: true } }, sellable: false, pausedOnly: false },
  { name: "type paused and its sales ended", ticket: { salesPaused: true, salesEndAt: ms(-1) }, sellable: false, pausedOnly: false },
];

describe("isSellable", () => {
  it.each(ticketCases)("$name: $sellable", ({ ticket: over, sellable }) => {
    expect(isSellable(ticket(over), { now, holder: buyer })).toBe(sellable);
  });
});

describe("pausedOnly", () => {
  it.each(ticketCases)("$name: $pausedOnly", ({ ticket: over, pausedOnly: expected }) => {
    expect(pausedOnly(ticket(over), { now, holder: buyer })).toBe(expected);
  });
});

describe("requireNotStopped", () => {
  const type = { type: "Balcony" };
  it.each([
    { name: "on sale", ticket: { ...type }, refusal: null },
    { name: "showing cancelled", ticket: { ...type, showing: { cancelledAt: ms(-hour) } }, refusal: showingRefusals.CANCELLED },
    { name: "showing paused", ticket: { ...type, showing: { salesPaused: true } }, refusal: showingRefusals.PAUSED },
    // Cancelled outranks the type's own stop; the showing's pause too.
    { name: "showing cancelled, type paused", ticket: { ...type, salesPaused: true, showing: { cancelledAt: ms(-hour) } }, refusal: showingRefusals.CANCELLED },
    { name: "showing paused, type sales ended", ticket: { ...type, salesEndAt: now, showing: { salesPaused: true } }, refusal: showingRefusals.PAUSED },
    { name: "type paused", ticket: { ...type, salesPaused: true }, refusal: typeRefusals.PAUSED },
    { name: "type sales ended exactly now", ticket: { ...type, salesEndAt: now }, refusal: typeRefusals.SALES_ENDED },
    { name: "type sales end 1 ms from now", ticket: { ...type, salesEndAt: ms(1) }, refusal: null },
    // Not a stop: these tickets are simply "no longer available" (or not yet), which the caller says itself.
    { name: "showing ended", ticket: { ...type, showing: { endTime: now } }, refusal: null },
    { name: "showing before its drop", ticket: { ...type, showing: { ticketDropTime: ms(1) } }, refusal: null },
    { name: "club closed", ticket: { ...type, showing: { archived: true } }, refusal: null },
    { name: "sold", ticket: { ...type, ownerId: "owner" }, refusal: null },
    { name: "club closed, type paused", ticket: { ...type, salesPaused: true, showing: { approved: false } }, refusal: typeRefusals.PAUSED },
  ])("$name", ({ ticket: over, refusal: expected }) => {
    expect(verdict(() => requireNotStopped(ticket(over), now))).toEqual(expected);
  });
});

describe("underHoldWhere", () => {
  it("is a holder whose hold has no expiry or expires after now", () => {
    expect(underHoldWhere(now)).toEqual({ holderId: { not: null }, OR: [{ holdExpiresAt: null }, { holdExpiresAt: { gt: now } }] });
  });
});

// The SQL forms are tested against both databases elsewhere; here only what those tests leave open.
describe("the SQL forms' shape", () => {
  it("reads the ticket as `t` unless given another alias", () => {
    expect(typeOnSaleSql(now).sql).toBe('NOT t."salesPaused" AND (t."salesEndAt" IS NULL OR t."salesEndAt" > ?::timestamp(3))');
    expect(typeOnSaleSql(now).values).toEqual([now.toISOString()]);
    expect(typeOnSaleSql(now, "x").sql).toContain('x."salesPaused"');
  });

  it.each([
    { purpose: "sale", listed: true },
    { purpose: "handover", listed: true },
    { purpose: "complimentary", listed: false },
  ] as const)("$purpose takes tickets listed on the exchange: $listed", ({ purpose, listed }) => {
    const sql = unownedOrListedSql({ purpose }).sql;
    expect(sql).toContain('t."ownerId" IS NULL');
    expect(sql.includes('t."exchangeListedAt" IS NOT NULL')).toBe(listed);
  });
});
