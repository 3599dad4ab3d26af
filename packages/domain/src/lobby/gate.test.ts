import { describe, expect, it } from "vitest";
import { DomainError } from "../errors.ts";
import { lobbyAdmission, lobbyGateFacts, requireLobbyAdmission, type LobbyEntryState, type LobbyGateFacts, type LobbyGateRow } from "./gate.ts";
import type { LobbyPhase } from "./phase.ts";

const now = new Date("2026-12-05T18:00:00.000Z");
const later = new Date(now.getTime() + 60_000);
const earlier = new Date(now.getTime() - 60_000);
const showing = { eventId: 7, showingId: 42 };

function facts(phase: LobbyPhase, entry: { state: LobbyEntryState; admitUntil: Date | null } | null = null, extra: Partial<LobbyGateFacts> = {}): LobbyGateFacts {
  return { phase, entry, waitlistOffer: false, ...extra };
}

function refusal(run: () => void): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("lobbyAdmission", () => {
  it.each<[string, LobbyGateFacts, string]>([
    // The lobby has no say outside its life: the sale window decides (NOT_ON_SALE before the drop, ended, cancelled).
    ["no lobby", facts("OFF"), "allowed"],
    ["a lobby not open yet", facts("NOT_OPEN"), "allowed"],
    ["a showing that is over", facts("ENDED", { state: "WAITING", admitUntil: null }), "allowed"],
    // While it runs, only a student whose turn it is.
    ["not joined, lobby open before the drop", facts("OPEN"), "LOBBY_REQUIRED"],
    ["not joined, lobby running", facts("RUNNING"), "LOBBY_REQUIRED"],
    ["not joined, sold out", facts("SOLD_OUT"), "LOBBY_REQUIRED"],
    ["waiting", facts("RUNNING", { state: "WAITING", admitUntil: null }), "LOBBY_REQUIRED"],
    ["left the lobby", facts("RUNNING", { state: "LEFT", admitUntil: null }), "LOBBY_REQUIRED"],
    ["admitted, window open", facts("RUNNING", { state: "ADMITTED", admitUntil: later }), "allowed"],
    ["admitted, sold out meanwhile", facts("SOLD_OUT", { state: "ADMITTED", admitUntil: later }), "allowed"],
    // The window's last instant is already too late, as with every other deadline.
    ["admitted, window ends this instant", facts("RUNNING", { state: "ADMITTED", admitUntil: now }), "LOBBY_WINDOW_ENDED"],
    ["admitted, window ran out", facts("RUNNING", { state: "ADMITTED", admitUntil: earlier }), "LOBBY_WINDOW_ENDED"],
    ["admitted without a window", facts("RUNNING", { state: "ADMITTED", admitUntil: null }), "LOBBY_WINDOW_ENDED"],
    ["expired by the advance", facts("RUNNING", { state: "EXPIRED", admitUntil: earlier }), "LOBBY_WINDOW_ENDED"],
    ["turn used by an order", facts("RUNNING", { state: "DONE", admitUntil: later }), "LOBBY_WINDOW_ENDED"],
    // A waitlist offer holds tickets for its student, lobby or not.
    ["waitlist offer, not joined", facts("SOLD_OUT", null, { waitlistOffer: true }), "allowed"],
    ["waitlist offer, waiting", facts("RUNNING", { state: "WAITING", admitUntil: null }, { waitlistOffer: true }), "allowed"],
    // A checkout begun during the turn goes on to payment.
    ["held checkout resumed after the window", facts("RUNNING", { state: "ADMITTED", admitUntil: earlier }, { resumesHeldCheckout: true }), "allowed"],
  ])("%s: %s", (_, gate, expected) => {
    const verdict = lobbyAdmission(gate, now);
    expect(verdict.allowed ? "allowed" : verdict.code).toBe(expected);
  });
});

describe("requireLobbyAdmission", () => {
  it("names the lobby to join, with its path in the details", () => {
    const error = refusal(() => requireLobbyAdmission(facts("RUNNING"), showing, now));
    expect(error.code).toBe("LOBBY_REQUIRED");
    expect(error.message).toBe("This drop has a lobby: join it at /events/7/showings/42/lobby, and you can pick tickets when your turn comes.");
    expect(error.details).toEqual({ showingId: 42, eventId: 7, lobbyPath: "/events/7/showings/42/lobby", reason: "NOT_JOINED" });
  });

  it("tells a waiting student to wait for their turn", () => {
    const error = refusal(() => requireLobbyAdmission(facts("RUNNING", { state: "WAITING", admitUntil: null }), showing, now));
    expect(error.code).toBe("LOBBY_REQUIRED");
    expect(error.message).toMatch(/You're in this drop's lobby: you can pick tickets when your turn comes/);
  });

  it("tells an admitted student whose window ran out that the place passed on", () => {
    const error = refusal(() => requireLobbyAdmission(facts("RUNNING", { state: "ADMITTED", admitUntil: earlier }), showing, now));
    expect(error.code).toBe("LOBBY_WINDOW_ENDED");
    expect(error.message).toMatch(/Your turn in this drop's lobby has ended, so your place passed to the next student/);
    expect(error.details).toMatchObject({ reason: "WINDOW_ENDED" });
  });

  it("lets an admitted student through", () => {
    expect(() => requireLobbyAdmission(facts("RUNNING", { state: "ADMITTED", admitUntil: later }), showing, now)).not.toThrow();
  });
});

describe("requireLobbyAdmission, every refusal in words", () => {
  const path = "/events/7/showings/42/lobby";
  it.each<[string, LobbyGateFacts, { code: string; reason: string; message: string }]>([
    [
      "not joined",
      facts("OPEN"),
      { code: "LOBBY_REQUIRED", reason: "NOT_JOINED", message: `This drop has a lobby: join it at ${path}, and you can pick tickets when your turn comes.` },
    ],
    [
      "waiting",
      facts("RUNNING", { state: "WAITING", admitUntil: null }),
      { code: "LOBBY_REQUIRED", reason: "WAITING", message: `You're in this drop's lobby: you can pick tickets when your turn comes (see ${path}).` },
    ],
    [
      "left",
      facts("SOLD_OUT", { state: "LEFT", admitUntil: null }),
      { code: "LOBBY_REQUIRED", reason: "LEFT", message: `You left this drop's lobby: join it again at ${path} to get a turn.` },
    ],
    [
      "window ran out",
      facts("RUNNING", { state: "ADMITTED", admitUntil: now }),
      {
        code: "LOBBY_WINDOW_ENDED",
        reason: "WINDOW_ENDED",
        message: `Your turn in this drop's lobby has ended, so your place passed to the next student (see ${path}).`,
      },
    ],
    [
      "expired by the advance",
      facts("RUNNING", { state: "EXPIRED", admitUntil: earlier }),
      {
        code: "LOBBY_WINDOW_ENDED",
        reason: "WINDOW_ENDED",
        message: `Your turn in this drop's lobby has ended, so your place passed to the next student (see ${path}).`,
      },
    ],
    [
      "turn used by an order",
      facts("RUNNING", { state: "DONE", admitUntil: later }),
      { code: "LOBBY_WINDOW_ENDED", reason: "TURN_USED", message: `Your turn in this drop's lobby ended with your order (see ${path}).` },
    ],
  ])("%s", (_, gate, expected) => {
    const error = refusal(() => requireLobbyAdmission(gate, showing, now));
    expect({ code: error.code, reason: error.details?.reason, message: error.message }).toEqual(expected);
    expect(error.details).toEqual({ showingId: 42, eventId: 7, lobbyPath: path, reason: expected.reason });
  });
});

describe("lobbyGateFacts", () => {
  const drop = new Date(now.getTime() - 5 * 60_000);
  const onSale = { ticketDropTime: drop, endTime: new Date(now.getTime() + 3 * 3_600_000), cancelledAt: null };
  const lobby = { enabled: true, opensMinutesBefore: 15, soldOutAt: null };
  const row = (changes: Partial<LobbyGateRow>): LobbyGateRow => ({ lobby, entry: null, waitlistOffer: false, ...changes });

  it.each<[string, LobbyGateRow, LobbyGateFacts]>([
    ["no lobby", row({ lobby: null }), { phase: "OFF", entry: null, waitlistOffer: false }],
    ["running, not joined", row({}), { phase: "RUNNING", entry: null, waitlistOffer: false }],
    [
      "sold out (the statement's UTC text time read as a time)",
      row({ lobby: { ...lobby, soldOutAt: "2026-12-05T17:58:00.000Z" } }),
      { phase: "SOLD_OUT", entry: null, waitlistOffer: false },
    ],
    [
      "admitted until a time in UTC text",
      row({ entry: { state: "ADMITTED", admitUntil: "2026-12-05T18:01:30.250Z" } }),
      { phase: "RUNNING", entry: { state: "ADMITTED", admitUntil: new Date("2026-12-05T18:01:30.250Z") }, waitlistOffer: false },
    ],
    [
      "waiting, with a waitlist offer",
      row({ entry: { state: "WAITING", admitUntil: null }, waitlistOffer: true }),
      { phase: "RUNNING", entry: { state: "WAITING", admitUntil: null }, waitlistOffer: true },
    ],
  ])("%s", (_, gateRow, expected) => {
    expect(lobbyGateFacts(gateRow, onSale, now)).toEqual(expected);
  });

  it("an admitted student's window read from the row lets them buy until its last millisecond, not at it", () => {
    const admitted = (admitUntil: string) => lobbyGateFacts(row({ entry: { state: "ADMITTED", admitUntil } }), onSale, now);
    expect(lobbyAdmission(admitted("2026-12-05T18:00:00.001Z"), now).allowed).toBe(true);
    expect(lobbyAdmission(admitted("2026-12-05T18:00:00.000Z"), now).allowed).toBe(false);
  });
});
