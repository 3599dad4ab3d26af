import { describe, expect, it } from "vitest";
import { decideScan, type DoorTicket } from "../src/policy.ts";

const ticket: DoorTicket = {
  id: "8f14e45f-ceea-467a-9575-0d7c2b3e5f01",
  showingId: 7,
  type: "General",
  holderName: "Ada Lovelace",
  qrGeneration: 1,
  valid: true,
  attended: false,
  attendedAt: null,
  attendedDoor: null,
};
const code = { ok: true as const, ticketId: ticket.id, showingId: 7, generation: 1 };

describe("decideScan", () => {
  it("admits a valid, current, unused ticket for this showing", () => {
    const d = decideScan({ code, showingIds: [7], ticket });
    expect(d).toMatchObject({ verdict: "ADMIT", holderName: "Ada Lovelace", type: "General", provisional: false });
  });

  it("says ALREADY_IN with when and which door", () => {
    const d = decideScan({
      code,
      showingIds: [7],
      ticket: { ...ticket, attended: true, attendedAt: "2026-11-27T19:02:00.000Z", attendedDoor: "North door" },
    });
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
});
