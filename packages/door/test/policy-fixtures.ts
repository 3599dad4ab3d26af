import type { DoorTicket } from "../src/policy.ts";

/** A valid, unused ticket of showing 7 as the door's manifest holds it. */
export const ticket: DoorTicket = {
  id: "8f14e45f-ceea-467a-9575-0d7c2b3e5f01",
  showingId: 7,
  type: "General",
  holderName: "Ada Lovelace",
  qrGeneration: 1,
  valid: true,
  attended: false,
  attendedAt: null,
  attendedDoor: null,
  exitedAt: null,
};

/** Its QR code, read and verified: current generation, same showing. */
export const code = { ok: true as const, ticketId: ticket.id, showingId: 7, generation: 1 };

/** The same ticket admitted at the North door and still inside. */
export const inside: DoorTicket = { ...ticket, attended: true, attendedAt: "2026-11-27T19:02:00.000Z", attendedDoor: "North door" };
