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
    expect(repeats.recall("A", 1500)).toBe("ADMIT");
    expect(repeats.recall("A", 3400)).toBe("ADMIT"); // still in view: the window runs from the last sighting
    expect(repeats.recall("B", 3500)).toBeUndefined();
    expect(repeats.recall("A", 5500)).toBeUndefined();
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
