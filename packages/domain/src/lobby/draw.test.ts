import { describe, expect, it } from "vitest";
import { drawKey, newSeed, numberPlaces, seedCommitment } from "./draw.ts";

const drop = new Date("2026-12-10T18:00:00Z");
const at = (seconds: number) => new Date(drop.getTime() + seconds * 1000);
const seed = "5eed".repeat(16);

describe("draw keys", () => {
  it("are HMAC-SHA256 of the user id under the seed, and the commitment its SHA-256 (checkable with any HMAC tool)", () => {
    // Published values: the HMAC-SHA256 example on Wikipedia's HMAC page and SHA-256("abc") from FIPS 180-2.
    expect(drawKey("key", "The quick brown fox jumps over the lazy dog")).toBe("f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
    expect(seedCommitment("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(drawKey(seed, "user-1")).not.toBe(drawKey(seed, "user-2"));
    expect(drawKey(seed, "user-1")).toBe(drawKey(seed, "user-1"));
  });

  it("come from a fresh seed of 32 random bytes per lobby, written as 64 hex digits", () => {
    const seeds = Array.from({ length: 3 }, () => newSeed());
    for (const s of seeds) expect(s).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(seeds).size).toBe(3);
  });
});

describe("numberPlaces", () => {
  const entry = (id: string, seconds: number) => ({ id, joinedAt: at(seconds), drawKey: drawKey(seed, id) });

  it.each([
    {
      name: "early joiners in draw-key order, whatever their join order",
      entries: () => ["a", "b", "c", "d", "e"].map((id, n) => entry(id, -600 + n)),
      drawn: false,
    },
    {
      name: "late arrivals after everyone drawn, in arrival order",
      entries: () => [entry("late-2", 20), entry("x", -50), entry("late-1", 10), entry("y", -40), entry("late-3", 30)],
      drawn: false,
    },
    {
      name: "after the draw everyone unplaced is a late arrival, even one who joined before the drop",
      entries: () => [entry("late-2", 20), entry("straggler", -1), entry("late-1", 10)],
      drawn: true,
    },
  ])("$name", ({ entries: make, drawn }) => {
    // Draw keys are made inside the test, so a broken draw key fails it instead of the file's loading.
    const entries = make();
    const places = numberPlaces(entries, { dropAt: drop, drawn, nextPosition: 7 });
    const early = drawn ? [] : entries.filter((e) => e.joinedAt < drop).sort((a, b) => (a.drawKey < b.drawKey ? -1 : 1));
    const late = entries.filter((e) => !early.includes(e)).sort((a, b) => a.joinedAt.getTime() - b.joinedAt.getTime());
    expect(places.map((p) => p.id)).toEqual([...early, ...late].map((e) => e.id));
    expect(places.map((p) => p.position)).toEqual(entries.map((_, n) => 7 + n));
    expect(places.filter((p) => p.drawn).map((p) => p.id)).toEqual(early.map((e) => e.id));
  });

  it("places early joiners independently of when they joined (not join order) and the same way every time", () => {
    const entries = Array.from({ length: 40 }, (_, n) => entry(`student-${n}`, -900 + n));
    const order = numberPlaces(entries, { dropAt: drop, drawn: false, nextPosition: 1 }).map((p) => p.id);
    expect(order).not.toEqual(entries.map((e) => e.id));
    expect(numberPlaces([...entries].reverse(), { dropAt: drop, drawn: false, nextPosition: 1 }).map((p) => p.id)).toEqual(order);
  });

  it("ties in join time are broken by id, so every process numbers the same way", () => {
    const entries = [entry("b", 5), entry("a", 5), entry("c", 5)];
    expect(numberPlaces(entries, { dropAt: drop, drawn: true, nextPosition: 1 }).map((p) => p.id)).toEqual(["a", "b", "c"]);
  });

  it.each([
    // The drop's own instant is already after the drop: that student is the first late arrival, not in the draw.
    { name: "joined at the drop instant: first of the late arrivals", joined: 0, drawn: false },
    { name: "joined a millisecond before the drop: in the draw", joined: -0.001, drawn: true },
  ])("$name", ({ joined, drawn }) => {
    const early = [entry("early-1", -300), entry("early-2", -200)];
    const edge = entry("edge", joined);
    const places = numberPlaces([entry("late", 1), edge, ...early], { dropAt: drop, drawn: false, nextPosition: 1 });
    const drawnIds = [...early, ...(drawn ? [edge] : [])].sort((a, b) => (a.drawKey < b.drawKey ? -1 : 1)).map((e) => e.id);
    expect(places.map((p) => p.id)).toEqual([...drawnIds, ...(drawn ? [] : ["edge"]), "late"]);
    expect(places.find((p) => p.id === "edge")?.drawn).toBe(drawn);
  });

  it("an early joiner without a draw key is not in the draw: they follow by arrival", () => {
    const keyless = { id: "0-keyless", joinedAt: at(-500), drawKey: null };
    const places = numberPlaces([entry("late", 5), keyless, entry("early", -100)], { dropAt: drop, drawn: false, nextPosition: 1 });
    expect(places).toEqual([
      { id: "early", position: 1, drawn: true },
      { id: "0-keyless", position: 2, drawn: false },
      { id: "late", position: 3, drawn: false },
    ]);
  });

  it("without a drop time there is no draw: everyone by arrival", () => {
    const entries = [entry("c", -5), entry("a", -30), entry("b", 10)];
    expect(numberPlaces(entries, { dropAt: null, drawn: false, nextPosition: 4 })).toEqual([
      { id: "a", position: 4, drawn: false },
      { id: "c", position: 5, drawn: false },
      { id: "b", position: 6, drawn: false },
    ]);
  });
});
