import type { Verdict } from "@admit/door";
import { describe, expect, it } from "vitest";
import { resultFamily, verdictFamily, verdictTitle } from "../src/ui/format.ts";

describe("verdict families", () => {
  it("makes every verdict but a let-through and ALREADY_IN a red refusal, one added later included", () => {
    expect(verdictFamily("ADMIT")).toBe("admit");
    expect(verdictFamily("ALREADY_IN")).toBe("already-in");
    for (const refusal of ["WRONG_SHOWING", "OLD_QR", "NOT_VALID", "UNKNOWN", "FORGED"] as const) {
      expect(verdictFamily(refusal), refusal).toBe("refused");
    }
    // A verdict this screen has never heard of is a refusal, and its title is spelled out from its name.
    const newcomer = "CLOSED_FOR_TONIGHT" as Verdict;
    expect(verdictFamily(newcomer)).toBe("refused");
    expect(verdictTitle(newcomer)).toBe("Closed for tonight");
  });

  it("shows an admit brought back within the window as already in, never as a new admit", () => {
    expect(resultFamily({ verdict: "ADMIT", shownAgain: false })).toBe("admit");
    expect(resultFamily({ verdict: "ADMIT", shownAgain: true })).toBe("already-in");
    expect(resultFamily({ verdict: "FORGED", shownAgain: true })).toBe("refused");
  });
});
