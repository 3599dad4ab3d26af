import { describe, expect, it } from "vitest";
import { pollAfterMs, waitingBucket } from "./status.ts";

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
