import { describe, expect, it } from "vitest";
import { DomainError } from "../errors.ts";
import { exchangeListedRefusal, requireListable, requireWithdrawable, type ExchangeFacts } from "./rules.ts";

const now = new Date("2026-12-05T18:00:00.000Z");
const ms = (n: number) => new Date(now.getTime() + n);
const owner = "owner-1";

function ticket(changes: Partial<ExchangeFacts> = {}, showing: Partial<ExchangeFacts["showing"]> = {}): ExchangeFacts {
  return {
    ownerId: owner,
    exchangeAllowed: true,
    exchangeListedAt: null,
    attended: false,
    voidedAt: null,
    ...changes,
    showing: { endTime: ms(3 * 3_600_000), cancelledAt: null, ...showing },
  };
}

function refusal(run: () => void): { code: string; message: string } | null {
  try {
    run();
    return null;
  } catch (error) {
    if (error instanceof DomainError) return { code: error.code, message: error.message };
    throw error;
  }
}

describe("requireListable", () => {
  it.each<[string, ExchangeFacts, string, { code: string; message: string } | null]>([
    ["the owner, a ticket of a type that allows it", ticket(), owner, null],
    ["someone else: the ticket does not exist for them", ticket(), "someone-else", { code: "NOT_FOUND", message: "Ticket was not found." }],
    ["a ticket nobody owns", ticket({ ownerId: null }), owner, { code: "NOT_FOUND", message: "Ticket was not found." }],
    [
      "a voided ticket",
      ticket({ voidedAt: ms(-60_000) }),
      owner,
      { code: "CONFLICT", message: "This ticket is no longer valid, so it cannot be offered." },
    ],
    [
      "its showing was cancelled",
      ticket({}, { cancelledAt: ms(-60_000) }),
      owner,
      { code: "SHOWING_CANCELLED", message: "This showing was cancelled; its tickets are refunded by the club." },
    ],
    // The end's own instant is already too late, as with every other deadline; a millisecond before it is in time.
    ["its showing ends this instant", ticket({}, { endTime: now }), owner, { code: "SHOWING_ENDED", message: "This showing has already ended." }],
    ["its showing ended", ticket({}, { endTime: ms(-1) }), owner, { code: "SHOWING_ENDED", message: "This showing has already ended." }],
    ["its showing ends a millisecond from now", ticket({}, { endTime: ms(1) }), owner, null],
    [
      "a ticket type that does not allow the exchange",
      ticket({ exchangeAllowed: false }),
      owner,
      { code: "EXCHANGE_NOT_ALLOWED", message: "Tickets of this type cannot be offered on the exchange." },
    ],
    [
      "a ticket used at the door",
      ticket({ attended: true }),
      owner,
      { code: "TICKET_CHECKED_IN", message: "This ticket was already used at the door, so it cannot be offered on the exchange." },
    ],
    // Someone else is told nothing about a ticket that is not theirs, whatever state it is in.
    ["someone else, a voided ticket", ticket({ voidedAt: ms(-60_000) }), "someone-else", { code: "NOT_FOUND", message: "Ticket was not found." }],
  ])("%s", (_, facts, userId, expected) => {
    expect(refusal(() => requireListable(facts, userId, now))).toEqual(expected);
  });
});

describe("requireWithdrawable", () => {
  const listed = (hold: { holderId: string | null; holdExpiresAt: Date | null }, changes: Partial<ExchangeFacts> = {}) => ({
    ...ticket({ exchangeListedAt: ms(-3_600_000), ...changes }),
    ...hold,
  });
  const inProgress = {
    code: "EXCHANGE_IN_PROGRESS",
    message:
      "Someone is buying this ticket right now, so the offer cannot be withdrawn. If they do not pay in time, you can withdraw it then.",
  };

  it.each<[string, ReturnType<typeof listed>, string, { code: string; message: string } | null]>([
    ["on offer, nobody buying", listed({ holderId: null, holdExpiresAt: null }), owner, null],
    ["a buyer on the payment page", listed({ holderId: "buyer", holdExpiresAt: ms(60_000) }), owner, inProgress],
    ["a buyer whose hold has no end", listed({ holderId: "buyer", holdExpiresAt: null }), owner, inProgress],
    ["a buyer whose hold ends this instant: too late for them", listed({ holderId: "buyer", holdExpiresAt: now }), owner, null],
    ["a buyer whose hold ran out", listed({ holderId: "buyer", holdExpiresAt: ms(-1) }), owner, null],
    ["the owner's own hold", listed({ holderId: owner, holdExpiresAt: ms(60_000) }), owner, null],
    // Not on offer (any more): a hold on it is not an exchange purchase, and withdrawing changes nothing.
    ["not on offer, held by someone", listed({ holderId: "buyer", holdExpiresAt: ms(60_000) }, { exchangeListedAt: null }), owner, null],
    ["someone else", listed({ holderId: null, holdExpiresAt: null }), "someone-else", { code: "NOT_FOUND", message: "Ticket was not found." }],
    [
      "someone else, while a buyer pays",
      listed({ holderId: "buyer", holdExpiresAt: ms(60_000) }),
      "buyer",
      { code: "NOT_FOUND", message: "Ticket was not found." },
    ],
  ])("%s", (_, facts, userId, expected) => {
    expect(refusal(() => requireWithdrawable(facts, userId, now))).toEqual(expected);
  });
});

describe("exchangeListedRefusal", () => {
  it("tells the owner to withdraw the offer first", () => {
    const error = exchangeListedRefusal();
    expect(error).toBeInstanceOf(DomainError);
    expect(error.code).toBe("EXCHANGE_LISTED");
    expect(error.message).toBe("This ticket is offered on the exchange: withdraw it from the exchange first.");
  });
});
