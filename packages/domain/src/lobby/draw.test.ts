import { describe, expect, it } from "vitest";
import { drawKey, numberPlaces, seedCommitment } from "./draw.ts";

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
});

describe("numberPlaces", () => {
  const entry = (id: string, seconds: number) => ({ id, joinedAt: at(seconds), drawKey: drawKey(seed, id) });

  it.each([
    {
      name: "early joiners in draw-key order, whatever their join order",
      entries: ["a", "b", "c", "d", "e"].map((id, n) => entry(id, -600 + n)),
      drawn: false,
    },
    {
      name: "late arrivals after everyone drawn, in arrival order",
      entries: [entry("late-2", 20), entry("x", -50), entry("late-1", 10), entry("y", -40), entry("late-3", 30)],
      drawn: false,
    },
    {
      name: "after the draw everyone unplaced is a late arrival, even one who joined before the drop",
      entries: [entry("late-2", 20), entry("straggler", -1), entry("late-1", 10)],
      drawn: true,
    },
  ])("$name", ({ entries, drawn }) => {
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
});
