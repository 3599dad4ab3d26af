import { describe, expect, it } from "vitest";
import { extractPairingCode } from "../src/pairing.ts";
import { RepeatFilter } from "../src/scan/repeat.ts";
import { KeystrokeBuffer } from "../src/scan/wedge.ts";

describe("hand scanner keystrokes", () => {
  it("turns fast keys ending in Enter into a code, and drops slow stray keys in front of it", () => {
    const codes: string[] = [];
    const buffer = new KeystrokeBuffer((c) => codes.push(c));
    let t = 0;
    buffer.key("x", t);
    t += 2000; // a person touched a key long before the scan
    for (const ch of "A1.abcDEF-_9") buffer.key(ch, (t += 8));
    buffer.key("Shift", (t += 8));
    expect(buffer.key("Enter", (t += 8))).toBe(true);
    expect(codes).toEqual(["A1.abcDEF-_9"]);
    for (const ch of "ab") buffer.key(ch, (t += 8));
    expect(buffer.key("Enter", t + 8)).toBe(false); // too short to be a code
    expect(codes).toHaveLength(1);
  });
});

describe("repeated codes", () => {
  it("returns the earlier result within two seconds of the last sighting, and decides anew after", () => {
    const repeats = new RepeatFilter<string>();
    expect(repeats.recall("A", 0)).toBeUndefined();
    repeats.remember("A", 0, "ADMIT");
    expect(repeats.recall("A", 1500)?.result).toBe("ADMIT");
    expect(repeats.recall("A", 3400)?.result).toBe("ADMIT"); // still in view: the window runs from the last sighting
    expect(repeats.recall("B", 3500)).toBeUndefined();
    expect(repeats.recall("A", 5500)).toBeUndefined();
  });

  it("tells a code held in view from the same code brought back within the window", () => {
    const repeats = new RepeatFilter<string>();
    repeats.remember("A", 0, "ADMIT");
    // Read frame after frame, a missed frame or two between: the same sighting.
    expect(repeats.recall("A", 90)).toEqual({ result: "ADMIT", shownAgain: false, backInView: false });
    expect(repeats.recall("A", 500)).toEqual({ result: "ADMIT", shownAgain: false, backInView: false });
    // Gone for a second and back (a phone passed to a friend): shown again, and it stays so while held in view.
    expect(repeats.recall("A", 1600)).toEqual({ result: "ADMIT", shownAgain: true, backInView: true });
    expect(repeats.recall("A", 1700)).toEqual({ result: "ADMIT", shownAgain: true, backInView: false });
    // A new code starts afresh.
    repeats.remember("B", 1800, "ADMIT");
    expect(repeats.recall("B", 1900)).toEqual({ result: "ADMIT", shownAgain: false, backInView: false });
  });
});

describe("pairing codes", () => {
  it("reads a typed code or a pairing link, and nothing else", () => {
    expect(extractPairingCode("k7qm 2d9x")).toBe("k7qm 2d9x");
    expect(extractPairingCode("K7QM-2D9X")).toBe("K7QM-2D9X");
    expect(extractPairingCode("https://tickets.example.edu/kiosk/#pair=K7QM-2D9X")).toBe("K7QM-2D9X");
    expect(extractPairingCode("#pair=K7QM2D9X")).toBe("K7QM2D9X");
    expect(extractPairingCode("A1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")).toBeNull();
    expect(extractPairingCode("K7QM")).toBeNull();
  });
});
