import { describe, expect, it } from "vitest";
import { decideScan } from "../src/policy.ts";
import { code, inside, ticket } from "./policy-fixtures.ts";

describe("decideScan", () => {
  it("admits a valid, current, unused ticket for this showing", () => {
    const d = decideScan({ code, showingIds: [7], ticket });
    expect(d).toMatchObject({ verdict: "ADMIT", holderName: "Ada Lovelace", type: "General", provisional: false });
  });

  it("says ALREADY_IN with when and which door", () => {
    const d = decideScan({ code, showingIds: [7], ticket: inside });
    expect(d).toMatchObject({ verdict: "ALREADY_IN", firstAdmittedAt: "2026-11-27T19:02:00.000Z", firstAdmittedDoor: "North door" });
  });

  it("refuses a ticket for another showing, whether or not the door knows it", () => {
    expect(decideScan({ code: { ...code, showingId: 8 }, showingIds: [7], ticket: undefined }).verdict).toBe("WRONG_SHOWING");
    expect(decideScan({ code, showingIds: [7], ticket: { ...ticket, showingId: 8 } }).verdict).toBe("WRONG_SHOWING");
  });

  it("refuses the previous owner's code after a transfer (older generation)", () => {
    expect(decideScan({ code: { ...code, generation: 0 }, showingIds: [7], ticket }).verdict).toBe("OLD_QR");
  });

  it("trusts a newer generation than the door knows (transfer after the last sync)", () => {
    expect(decideScan({ code: { ...code, generation: 2 }, showingIds: [7], ticket }).verdict).toBe("ADMIT");
  });

  it("refuses refunded tickets", () => {
    expect(decideScan({ code, showingIds: [7], ticket: { ...ticket, valid: false } }).verdict).toBe("NOT_VALID");
  });

  it("admits a validly signed ticket sold after the last sync, marked provisional", () => {
    const d = decideScan({ code, showingIds: [7], ticket: undefined });
    expect(d).toMatchObject({ verdict: "ADMIT", provisional: true, holderName: null });
  });

  it("calls bad signatures FORGED and garbage UNKNOWN", () => {
    expect(decideScan({ code: { ok: false, reason: "bad-signature" }, showingIds: [7], ticket }).verdict).toBe("FORGED");
    expect(decideScan({ code: { ok: false, reason: "unknown-key" }, showingIds: [7], ticket }).verdict).toBe("FORGED");
    expect(decideScan({ code: { ok: false, reason: "malformed" }, showingIds: [7], ticket }).verdict).toBe("UNKNOWN");
  });

  describe("exit and re-entry", () => {
    const out = { ...inside, exitedAt: "2026-11-27T20:10:00.000Z" };

    it("an exit door records a holder who is inside leaving", () => {
      expect(decideScan({ code, showingIds: [7], ticket: inside, mode: "EXIT" })).toMatchObject({ verdict: "EXIT", holderName: "Ada Lovelace" });
    });

    it("an exit door has nothing to record for a ticket that is not inside (never in, or already out)", () => {
      expect(decideScan({ code, showingIds: [7], ticket, mode: "EXIT" }).verdict).toBe("NOT_INSIDE");
      expect(decideScan({ code, showingIds: [7], ticket: out, mode: "EXIT" }).verdict).toBe("NOT_INSIDE");
      expect(decideScan({ code, showingIds: [7], ticket: undefined, mode: "EXIT" }).verdict).toBe("NOT_INSIDE");
    });

    it("an exit door still refuses codes that are forged or for another showing", () => {
      expect(decideScan({ code: { ok: false, reason: "bad-signature" }, showingIds: [7], ticket: inside, mode: "EXIT" }).verdict).toBe("FORGED");
      expect(decideScan({ code: { ...code, showingId: 8 }, showingIds: [7], ticket: undefined, mode: "EXIT" }).verdict).toBe("WRONG_SHOWING");
    });

    it("admits a holder coming back after an exit as a re-entry, not ALREADY_IN", () => {
      expect(decideScan({ code, showingIds: [7], ticket: out })).toMatchObject({ verdict: "ADMIT", reentry: true, firstAdmittedAt: inside.attendedAt });
      expect(decideScan({ code, showingIds: [7], ticket: inside })).toMatchObject({ verdict: "ALREADY_IN", reentry: false });
      expect(decideScan({ code, showingIds: [7], ticket })).toMatchObject({ verdict: "ADMIT", reentry: false });
    });

    it("a re-entry still needs the current code of a valid ticket", () => {
      expect(decideScan({ code: { ...code, generation: 0 }, showingIds: [7], ticket: out }).verdict).toBe("OLD_QR");
      expect(decideScan({ code, showingIds: [7], ticket: { ...out, valid: false } }).verdict).toBe("NOT_VALID");
    });
  });

  describe("gates by ticket type", () => {
    const vip = { ...ticket, type: "VIP" };
    const gate = { allowedTypes: ["VIP"], otherDoors: [{ name: "Main door", allowedTypes: ["General", "Student"] }, { name: "Side door", allowedTypes: [] }] };

    it("a VIP door admits VIP tickets", () => {
      expect(decideScan({ code, showingIds: [7], ticket: vip, gate }).verdict).toBe("ADMIT");
    });

    it("refuses other types with WRONG_DOOR naming every door that takes them", () => {
      const d = decideScan({ code, showingIds: [7], ticket, gate });
      expect(d).toMatchObject({ verdict: "WRONG_DOOR", type: "General", holderName: "Ada Lovelace" });
      expect(d.message).toBe("Wrong door: go to Main door or Side door. This door admits VIP only.");
    });

    it("says so when no door takes the type", () => {
      const d = decideScan({ code, showingIds: [7], ticket, gate: { allowedTypes: ["VIP", "Press"], otherDoors: [{ name: "Main door", allowedTypes: ["Student"] }] } });
      expect(d.verdict).toBe("WRONG_DOOR");
      expect(d.message).toBe("Wrong door: this door admits VIP or Press only, and no door is set up for General tickets. Call an officer.");
    });

    it("does not admit on signature alone a ticket whose type the gated door cannot know", () => {
      expect(decideScan({ code, showingIds: [7], ticket: undefined, gate }).verdict).toBe("WRONG_DOOR");
      expect(decideScan({ code, showingIds: [7], ticket: undefined, gate: { allowedTypes: [], otherDoors: [] } })).toMatchObject({ verdict: "ADMIT", provisional: true });
    });

    it("the wrong door is said before ALREADY_IN, and the refusals of a bad code come first", () => {
      expect(decideScan({ code, showingIds: [7], ticket: { ...ticket, attended: true, attendedAt: "2026-11-27T19:02:00.000Z" }, gate }).verdict).toBe("WRONG_DOOR");
      expect(decideScan({ code: { ...code, generation: 0 }, showingIds: [7], ticket, gate }).verdict).toBe("OLD_QR");
    });

    it("anyone may leave by a gated exit", () => {
      expect(decideScan({ code, showingIds: [7], ticket: inside, gate, mode: "EXIT" }).verdict).toBe("EXIT");
    });
  });
});
