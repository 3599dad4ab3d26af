import { describe, expect, it } from "vitest";
import { estimatedWaitSeconds, lobbyView, pollAfterMs, statusTag, waitingBucket, type LobbyRow, type LobbyStatus } from "./status.ts";

const now = new Date("2026-12-10T18:00:00Z");
const times = { opensAt: new Date(now.getTime() - 60_000), dropAt: new Date(now.getTime() + 6_000), now };

describe("pollAfterMs", () => {
  it.each([
    { name: "near the front", phase: "RUNNING" as const, state: "WAITING" as const, ahead: 0, ms: 2_000 },
    { name: "further back, a little later", phase: "RUNNING" as const, state: "WAITING" as const, ahead: 100, ms: 4_000 },
    { name: "far back, at most 15 s", phase: "RUNNING" as const, state: "WAITING" as const, ahead: 5_000, ms: 15_000 },
    { name: "admitted", phase: "RUNNING" as const, state: "ADMITTED" as const, ahead: null, ms: 5_000 },
    { name: "open: at the drop, at least 2 s away", phase: "OPEN" as const, state: "WAITING" as const, ahead: null, ms: 6_000 },
    { name: "sold out", phase: "SOLD_OUT" as const, state: "WAITING" as const, ahead: 3, ms: 15_000 },
    { name: "over", phase: "ENDED" as const, state: null, ahead: null, ms: 60_000 },
  ])("$name: $ms ms", ({ phase, state, ahead, ms }) => {
    expect(pollAfterMs(phase, state, ahead, times)).toBe(ms);
  });
});

describe("waitingBucket", () => {
  it.each([
    [0, 0],
    [99, 99],
    [100, 100],
    [109, 100],
    [110, 110],
    [4_987, 4_900],
    [12_345, 12_000],
  ])("%i waiting: %i", (waiting, bucket) => {
    expect(waitingBucket(waiting)).toBe(bucket);
  });
});

describe("pollAfterMs, every phase", () => {
  const soon = { opensAt: new Date(now.getTime() + 7_000), dropAt: new Date(now.getTime() + 9 * 60_000), now };
  it.each([
    { name: "not open: at the opening, 7 s away", phase: "NOT_OPEN" as const, state: null, times: soon, ms: 7_000 },
    { name: "not open: at least 2 s even when it opens in 1", phase: "NOT_OPEN" as const, state: null, times: { ...soon, opensAt: new Date(now.getTime() + 1_000) }, ms: 2_000 },
    { name: "not open for a long while: at most 15 s", phase: "NOT_OPEN" as const, state: null, times: { ...soon, opensAt: new Date(now.getTime() + 600_000) }, ms: 15_000 },
    { name: "open: the drop 9 minutes away, at most 15 s", phase: "OPEN" as const, state: "WAITING" as const, times: soon, ms: 15_000 },
    { name: "no lobby", phase: "OFF" as const, state: null, times, ms: 60_000 },
    { name: "running, not joined (may be admitted soon after joining)", phase: "RUNNING" as const, state: null, times, ms: 5_000 },
    { name: "running, turn used", phase: "RUNNING" as const, state: "DONE" as const, times, ms: 15_000 },
    { name: "running, turn ran out", phase: "RUNNING" as const, state: "EXPIRED" as const, times, ms: 15_000 },
    { name: "running, left", phase: "RUNNING" as const, state: "LEFT" as const, times, ms: 15_000 },
    { name: "sold out while admitted (checkout going on)", phase: "SOLD_OUT" as const, state: "ADMITTED" as const, times, ms: 5_000 },
    { name: "sold out, not joined", phase: "SOLD_OUT" as const, state: null, times, ms: 15_000 },
  ])("$name: $ms ms", ({ phase, state, times: at, ms }) => {
    expect(pollAfterMs(phase, state, null, at)).toBe(ms);
  });

  it("waiting before anyone places you: as near the front", () => {
    expect(pollAfterMs("RUNNING", "WAITING", null, times)).toBe(2_000);
  });
});

describe("estimatedWaitSeconds", () => {
  const drawnAt = new Date(now.getTime() - 45_000);
  it.each([
    { name: "before the draw: unknown", ahead: 10, lobby: { drawnAt: null, admittedThrough: 0 }, seconds: null },
    { name: "drawn, nobody admitted yet: unknown", ahead: 10, lobby: { drawnAt, admittedThrough: 0 }, seconds: null },
    // 20 places in 45 s: 10 places take 22.5 s, shown as 23 (never sooner than it will be).
    { name: "20 admitted in 45 s, 10 ahead", ahead: 10, lobby: { drawnAt, admittedThrough: 20 }, seconds: 23 },
    { name: "next in line", ahead: 0, lobby: { drawnAt, admittedThrough: 20 }, seconds: 0 },
    // Right at the draw the pace counts at least one second, not an instant.
    { name: "5 admitted at the draw's instant, 10 ahead", ahead: 10, lobby: { drawnAt: now, admittedThrough: 5 }, seconds: 2 },
    { name: "5 admitted half a second after the draw, 10 ahead", ahead: 10, lobby: { drawnAt: new Date(now.getTime() - 500), admittedThrough: 5 }, seconds: 2 },
  ])("$name: $seconds", ({ ahead, lobby, seconds }) => {
    expect(estimatedWaitSeconds(ahead, lobby, now)).toBe(seconds);
  });
});

describe("lobbyView", () => {
  const drop = new Date(now.getTime() - 45_000);
  const joinedAt = new Date(drop.getTime() - 300_000);
  const lobby: LobbyRow["lobby"] = {
    enabled: true,
    opensMinutesBefore: 15,
    admitMinutes: 5,
    seed: "5eed".repeat(16),
    seedCommitment: "c0mm1t",
    drawnAt: drop,
    drawnEntries: 120,
    admittedThrough: 20,
    version: 9,
    advancedAt: new Date(now.getTime() - 2_000),
    soldOutAt: null,
  };
  const row = (entry: LobbyRow["entry"], changes: Partial<LobbyRow> = {}): LobbyRow => ({
    showingId: 42,
    showing: { ticketDropTime: drop, endTime: new Date(now.getTime() + 4 * 3_600_000), cancelledAt: null },
    lobby,
    entry,
    waitlistOffer: false,
    ...changes,
  });
  const waiting = (position: number | null): LobbyRow["entry"] => ({ state: "WAITING", position, drawKey: "ab12", joinedAt, admitUntil: null });
  const shared = {
    showingId: 42,
    phase: "RUNNING" as const,
    opensAt: new Date(drop.getTime() - 15 * 60_000),
    dropAt: drop,
    admitMinutes: 5,
    seedCommitment: "c0mm1t",
    drawnAt: drop,
    waiting: 77,
    version: 9,
  };
  const you = (changes: Partial<NonNullable<LobbyStatus["you"]>>): NonNullable<LobbyStatus["you"]> => ({
    state: "WAITING",
    position: null,
    ahead: null,
    estimatedWaitSeconds: null,
    admitUntil: null,
    drawKey: "ab12",
    joinedAt,
    ...changes,
  });

  it.each<[string, LobbyRow, Partial<LobbyStatus>]>([
    ["not joined (or signed out)", row(null), { you: null, mayBuy: false, pollAfterMs: 5_000 }],
    // Places 21 to 30 come up first: 10 ahead, at 20 places in 45 s about 23 s.
    ["waiting at place 31 with 20 admitted", row(waiting(31)), { you: you({ position: 31, ahead: 10, estimatedWaitSeconds: 23 }), mayBuy: false, pollAfterMs: 2_200 }],
    ["next in line", row(waiting(21)), { you: you({ position: 21, ahead: 0, estimatedWaitSeconds: 0 }), mayBuy: false, pollAfterMs: 2_000 }],
    ["a place the admissions passed, before the advance admits it", row(waiting(15)), { you: you({ position: 15, ahead: 0, estimatedWaitSeconds: 0 }), mayBuy: false, pollAfterMs: 2_000 }],
    ["joined after the drop, not placed yet", row(waiting(null)), { you: you({}), mayBuy: false, pollAfterMs: 2_000 }],
    [
      "admitted: the window's end, and the gate lets them buy",
      row({ state: "ADMITTED", position: 12, drawKey: "ab12", joinedAt, admitUntil: new Date(now.getTime() + 120_000) }),
      { you: you({ state: "ADMITTED", position: 12, admitUntil: new Date(now.getTime() + 120_000) }), mayBuy: true, pollAfterMs: 5_000 },
    ],
    [
      "turn ran out: no window shown, may not buy",
      row({ state: "EXPIRED", position: 12, drawKey: "ab12", joinedAt, admitUntil: new Date(now.getTime() - 1) }),
      { you: you({ state: "EXPIRED", position: 12 }), mayBuy: false, pollAfterMs: 15_000 },
    ],
    ["waiting with a waitlist offer: may buy", row(waiting(31), { waitlistOffer: true }), { you: you({ position: 31, ahead: 10, estimatedWaitSeconds: 23 }), mayBuy: true, pollAfterMs: 2_200 }],
  ])("%s", (_, lobbyRow, expected) => {
    expect(lobbyView(lobbyRow, 77, now)).toEqual({ ...shared, ...expected });
  });

  it("before the drop: open, no draw yet, asked again at the drop", () => {
    const dropSoon = new Date(now.getTime() + 8_000);
    const before = row(waiting(null), {
      showing: { ticketDropTime: dropSoon, endTime: new Date(now.getTime() + 4 * 3_600_000), cancelledAt: null },
      lobby: { ...lobby, drawnAt: null, admittedThrough: 0 },
    });
    expect(lobbyView(before, 3, now)).toMatchObject({
      phase: "OPEN",
      opensAt: new Date(dropSoon.getTime() - 15 * 60_000),
      dropAt: dropSoon,
      drawnAt: null,
      waiting: 3,
      you: you({}),
      mayBuy: false,
      pollAfterMs: 8_000,
    });
  });

  it("not open yet: asked again at the opening, not at the drop", () => {
    const dropLater = new Date(now.getTime() + 15 * 60_000 + 4_000);
    const notOpen = row(null, {
      showing: { ticketDropTime: dropLater, endTime: new Date(now.getTime() + 4 * 3_600_000), cancelledAt: null },
      lobby: { ...lobby, drawnAt: null, admittedThrough: 0 },
    });
    expect(lobbyView(notOpen, 0, now)).toMatchObject({ phase: "NOT_OPEN", opensAt: new Date(now.getTime() + 4_000), mayBuy: true, pollAfterMs: 4_000 });
  });
});

describe("statusTag", () => {
  const base: LobbyStatus = {
    showingId: 42,
    phase: "RUNNING",
    opensAt: null,
    dropAt: null,
    admitMinutes: 5,
    seedCommitment: "c0mm1t",
    drawnAt: null,
    waiting: 1_234,
    you: null,
    mayBuy: false,
    pollAfterMs: 5_000,
    version: 9,
  };
  const you = (changes: Partial<NonNullable<LobbyStatus["you"]>> = {}): LobbyStatus["you"] => ({
    state: "WAITING",
    position: 31,
    ahead: 10,
    estimatedWaitSeconds: 23,
    admitUntil: null,
    drawKey: "0123456789abcdef0123",
    joinedAt: now,
    ...changes,
  });

  it.each<[string, LobbyStatus, string]>([
    ["signed out", base, '"lobby-9-RUNNING-1200-none-wait"'],
    ["waiting at a place (the draw key's first 12 digits)", { ...base, you: you() }, '"lobby-9-RUNNING-1200-0123456789ab-WAITING-31-wait"'],
    ["not placed yet", { ...base, you: you({ position: null }) }, '"lobby-9-RUNNING-1200-0123456789ab-WAITING-none-wait"'],
    ["no draw key", { ...base, you: you({ drawKey: null }) }, '"lobby-9-RUNNING-1200--WAITING-31-wait"'],
    ["admitted, may buy", { ...base, phase: "SOLD_OUT", you: you({ state: "ADMITTED" }), mayBuy: true }, '"lobby-9-SOLD_OUT-1200-0123456789ab-ADMITTED-31-buy"'],
  ])("%s: %s", (_, status, tag) => {
    expect(statusTag(status)).toBe(tag);
  });

  it("stays the same while nothing a poller sees moved, and changes when it did", () => {
    const tag = statusTag({ ...base, you: you() });
    expect(statusTag({ ...base, waiting: 1_239, pollAfterMs: 2_000, you: you({ ahead: 9, estimatedWaitSeconds: 20 }) })).toBe(tag);
    for (const moved of [
      { ...base, version: 10, you: you() },
      { ...base, phase: "SOLD_OUT" as const, you: you() },
      { ...base, waiting: 1_300, you: you() },
      { ...base, you: you({ position: 30 }) },
      { ...base, you: you({ state: "ADMITTED" }) },
      { ...base, you: you(), mayBuy: true },
      // Another student in the same state and place gets another tag.
      { ...base, you: you({ drawKey: "fedcba9876543210fedc" }) },
    ]) {
      expect(statusTag(moved)).not.toBe(tag);
    }
  });
});
