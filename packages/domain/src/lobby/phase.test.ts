import { describe, expect, it } from "vitest";
import { lobbyOpensAt, lobbyPhase, type LobbyPhase } from "./phase.ts";

const drop = new Date("2026-12-10T18:00:00Z");
const end = new Date("2026-12-11T02:00:00Z");
const at = (minutesFromDrop: number) => new Date(drop.getTime() + minutesFromDrop * 60_000);
const lobby = { enabled: true, opensMinutesBefore: 15, soldOutAt: null as Date | null };
const showing = { ticketDropTime: drop as Date | null, endTime: end, cancelledAt: null as Date | null };

describe("lobbyPhase", () => {
  it.each<{ name: string; lobby: typeof lobby | null; showing?: Partial<typeof showing>; minutes: number; phase: LobbyPhase }>([
    { name: "no lobby", lobby: null, minutes: 0, phase: "OFF" },
    { name: "turned off", lobby: { ...lobby, enabled: false }, minutes: 5, phase: "OFF" },
    { name: "a minute before it opens", lobby, minutes: -16, phase: "NOT_OPEN" },
    { name: "the instant it opens", lobby, minutes: -15, phase: "OPEN" },
    { name: "just before the drop", lobby, minutes: -0.001, phase: "OPEN" },
    { name: "the instant of the drop", lobby, minutes: 0, phase: "RUNNING" },
    { name: "opening at the drop itself", lobby: { ...lobby, opensMinutesBefore: 0 }, minutes: -1, phase: "NOT_OPEN" },
    { name: "nothing left to sell", lobby: { ...lobby, soldOutAt: at(3) }, minutes: 5, phase: "SOLD_OUT" },
    { name: "no drop time: on sale already", lobby, showing: { ticketDropTime: null }, minutes: -60, phase: "RUNNING" },
    { name: "showing over", lobby, minutes: (end.getTime() - drop.getTime()) / 60_000, phase: "ENDED" },
    { name: "cancelled before the drop", lobby, showing: { cancelledAt: at(-30) }, minutes: -5, phase: "ENDED" },
    { name: "turned off after it ended", lobby: { ...lobby, enabled: false }, showing: { cancelledAt: at(-30) }, minutes: 0, phase: "OFF" },
  ])("$name: $phase", ({ lobby: facts, showing: changes, minutes, phase }) => {
    expect(lobbyPhase(facts, { ...showing, ...changes }, at(minutes))).toBe(phase);
  });
});

describe("lobbyOpensAt", () => {
  it.each([
    { name: "the opening minutes before the drop", opensMinutesBefore: 15, ticketDropTime: drop as Date | null, opensAt: at(-15) as Date | null },
    { name: "at the drop itself", opensMinutesBefore: 0, ticketDropTime: drop, opensAt: drop },
    { name: "a day before", opensMinutesBefore: 1_440, ticketDropTime: drop, opensAt: new Date("2026-12-09T18:00:00Z") },
    { name: "no drop time: no opening (the tickets are on sale already)", opensMinutesBefore: 15, ticketDropTime: null, opensAt: null },
  ])("$name", ({ opensMinutesBefore, ticketDropTime, opensAt }) => {
    expect(lobbyOpensAt({ opensMinutesBefore }, { ticketDropTime })).toEqual(opensAt);
  });
});
