import { describe, expect, it } from "vitest";
import { decideScan, type DecideInput, type Decision } from "../src/policy.ts";
import { code, inside, ticket } from "./policy-fixtures.ts";

const left = { ...inside, exitedAt: "2026-11-27T20:00:00.000Z" };
const who = { ticketId: ticket.id, holderName: "Ada Lovelace", type: "General" };
const none = { firstAdmittedAt: null, firstAdmittedDoor: null, provisional: false, reentry: false };
const vip = { allowedTypes: ["VIP"], otherDoors: [{ name: "Main entrance", allowedTypes: [] }] };

// The whole decision, message included: what door staff read is part of the rule.
const cases: Array<[string, DecideInput, Decision]> = [
  [
    "a code that is not ours",
    { code: { ok: false, reason: "malformed" }, showingIds: [7], ticket: undefined },
    { verdict: "UNKNOWN", ticketId: null, holderName: null, type: null, ...none, message: "This is not an Admit ticket." },
  ],
  [
    "a code with a bad signature",
    { code: { ok: false, reason: "bad-signature" }, showingIds: [7], ticket },
    { verdict: "FORGED", ticketId: null, holderName: null, type: null, ...none, message: "This ticket's signature is not valid. Do not admit." },
  ],
  [
    "a code signed by a key the door does not know",
    { code: { ok: false, reason: "unknown-key" }, showingIds: [7], ticket: undefined },
    { verdict: "FORGED", ticketId: null, holderName: null, type: null, ...none, message: "This ticket's signature is not valid. Do not admit." },
  ],
  [
    "another showing's ticket",
    { code: { ...code, showingId: 8 }, showingIds: [7], ticket: undefined },
    { verdict: "WRONG_SHOWING", ticketId: ticket.id, holderName: null, type: null, ...none, message: "This ticket is for a different showing." },
  ],
  [
    "a ticket sold after the last sync",
    { code, showingIds: [7], ticket: undefined },
    { verdict: "ADMIT", ticketId: ticket.id, holderName: null, type: null, ...none, provisional: true, message: "Valid ticket, sold after this door's last sync: checked on its signature." },
  ],
  [
    "a replaced code",
    { code: { ...code, generation: 0 }, showingIds: [7], ticket },
    { verdict: "OLD_QR", ...who, ...none, message: "This QR code was replaced (the ticket was transferred or reissued)." },
  ],
  [
    "a refunded ticket",
    { code, showingIds: [7], ticket: { ...ticket, valid: false } },
    { verdict: "NOT_VALID", ...who, ...none, message: "This ticket was refunded or cancelled." },
  ],
  ["a valid ticket", { code, showingIds: [7], ticket }, { verdict: "ADMIT", ...who, ...none, message: "Valid ticket." }],
  [
    "a ticket already in",
    { code, showingIds: [7], ticket: inside },
    { verdict: "ALREADY_IN", ...who, ...none, firstAdmittedAt: inside.attendedAt, firstAdmittedDoor: "North door", message: "This ticket was already admitted." },
  ],
  [
    "coming back after leaving",
    { code, showingIds: [7], ticket: left },
    { verdict: "ADMIT", ...who, ...none, reentry: true, firstAdmittedAt: inside.attendedAt, message: "Valid ticket, coming back in after leaving." },
  ],
  [
    "leaving at an exit door",
    { code, showingIds: [7], ticket: inside, mode: "EXIT" },
    { verdict: "EXIT", ...who, ...none, firstAdmittedAt: inside.attendedAt, message: "Leaving: recorded. The guest can come back in with the same ticket." },
  ],
  [
    "an exit scan of a ticket that is not inside",
    { code, showingIds: [7], ticket: left, mode: "EXIT" },
    { verdict: "NOT_INSIDE", ...who, ...none, message: "This ticket is not checked in, so there is no exit to record." },
  ],
  [
    "a General ticket at the VIP door",
    { code, showingIds: [7], ticket, gate: vip },
    { verdict: "WRONG_DOOR", ...who, ...none, message: "Wrong door: go to Main entrance. This door admits VIP only." },
  ],
  [
    "a ticket the VIP door does not know",
    { code, showingIds: [7], ticket: undefined, gate: vip },
    {
      verdict: "WRONG_DOOR",
      ticketId: ticket.id,
      holderName: null,
      type: null,
      ...none,
      message:
        "Wrong door for now: this ticket was sold after this door's last sync, so its type is unknown here, and this door admits VIP only. Send the guest to another door.",
    },
  ],
];

describe("decideScan, whole decisions", () => {
  it.each(cases)("%s", (_name, input, expected) => {
    expect(decideScan(input)).toEqual(expected);
  });
});

describe("wrong-door messages name the doors and types", () => {
  const gate = (allowedTypes: string[], otherDoors: Array<{ name: string; allowedTypes: string[] }>) => ({ allowedTypes, otherDoors });

  it.each([
    [gate(["VIP", "Press"], [{ name: "Main entrance", allowedTypes: [] }, { name: "Side door", allowedTypes: ["General"] }, { name: "Stage door", allowedTypes: ["Crew"] }]), "Wrong door: go to Main entrance or Side door. This door admits VIP or Press only."],
    [gate(["VIP", "Press", "Crew"], [{ name: "North", allowedTypes: ["General"] }, { name: "South", allowedTypes: ["General"] }, { name: "East", allowedTypes: ["General"] }]), "Wrong door: go to North, South or East. This door admits VIP, Press or Crew only."],
    [gate(["VIP"], [{ name: "Stage door", allowedTypes: ["Crew"] }]), "Wrong door: this door admits VIP only, and no door is set up for General tickets. Call an officer."],
    [gate(["VIP"], []), "Wrong door: this door admits VIP only, and no door is set up for General tickets. Call an officer."],
  ])("%#", (doorGate, message) => {
    expect(decideScan({ code, showingIds: [7], ticket, gate: doorGate })).toMatchObject({ verdict: "WRONG_DOOR", message });
  });

  it("a gate with no types admits every type", () => {
    expect(decideScan({ code, showingIds: [7], ticket, gate: gate([], []) }).verdict).toBe("ADMIT");
  });
});
