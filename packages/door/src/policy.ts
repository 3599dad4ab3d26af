/**
 * The one entry policy, run by the kiosk for every scan (offline, in milliseconds) and by the server when it
 * classifies uploaded scans, so a verdict at the door and the server's view of it can never disagree.
 */

export type Verdict =
  | "ADMIT"
  | "ALREADY_IN"
  | "EXIT"
  | "NOT_INSIDE"
  | "WRONG_DOOR"
  | "WRONG_SHOWING"
  | "OLD_QR"
  | "NOT_VALID"
  | "UNKNOWN"
  | "FORGED";

/** A door lets people in (the default) or, switched on the tablet, records them leaving. */
export type DoorMode = "ENTRANCE" | "EXIT";

/** Which ticket types a door admits (empty: all), and the other doors of its showings, to send people to. */
export interface DoorGate {
  allowedTypes: readonly string[];
  otherDoors: ReadonlyArray<{ name: string; allowedTypes: readonly string[] }>;
}

/** What the QR code says once its signature was checked (the verification itself lives in @admit/ticket-codes). */
export type ScannedCode =
  | { ok: true; ticketId: string; showingId: number; generation: number }
  | { ok: false; reason: "malformed" | "bad-signature" | "unknown-key" };

/** What a door knows about a ticket: from the manifest, the change feed and its own scans. */
export interface DoorTicket {
  id: string;
  showingId: number;
  type: string;
  holderName: string;
  qrGeneration: number;
  /** Owned by someone (sold, issued or transferred); false after a refund or cancellation. */
  valid: boolean;
  attended: boolean;
  attendedAt: string | null;
  attendedDoor: string | null;
  /** When the holder last left (an EXIT scan); null while inside or never admitted. */
  exitedAt: string | null;
}

/** An admit the server recorded but could not count (another door was first, or the code no longer counted). */
export interface DoorConflict {
  clientScanId: string;
  ticketId: string;
  showingId: number;
  holderName: string;
  type: string;
  scannedAt: string;
  door: string | null;
  reason: string;
  /** When the ticket was admitted first, for "also admitted at ..." notices. */
  admittedAt: string | null;
}

export interface Decision {
  verdict: Verdict;
  ticketId: string | null;
  holderName: string | null;
  type: string | null;
  /** For ALREADY_IN: when and at which door the ticket was first admitted. */
  firstAdmittedAt: string | null;
  firstAdmittedDoor: string | null;
  /** True when the ticket is not in the door's data yet (sold after the last sync): admitted on signature alone. */
  provisional: boolean;
  /** For ADMIT: the holder was in before and left; coming back is not a second check-in. */
  reentry: boolean;
  message: string;
}

export interface DecideInput {
  code: ScannedCode;
  /** The showings this door admits to. */
  showingIds: readonly number[];
  /** The door's record of the ticket, if it has one. */
  ticket: DoorTicket | undefined;
  mode?: DoorMode;
  gate?: DoorGate;
}

const blank = { ticketId: null, holderName: null, type: null, firstAdmittedAt: null, firstAdmittedDoor: null, provisional: false, reentry: false };

/** Inside now: admitted and not out since. */
export function isInside(ticket: DoorTicket | undefined): boolean {
  return Boolean(ticket?.attended && !ticket.exitedAt);
}

/** The officer's capacity alarm: as many inside as the capacity, or more (no capacity: never). */
export function atCapacity({ inside, capacity }: { inside: number; capacity: number | null }): boolean {
  return capacity !== null && inside >= capacity;
}

function admits(types: readonly string[], type: string): boolean {
  return types.length === 0 || types.includes(type);
}

function orList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} or ${items.at(-1)}`;
}

/** "Wrong door: go to ..." naming the doors that take this type, or, if none does, what this door takes. */
function wrongDoorMessage(gate: DoorGate, type: string | null): string {
  if (type === null) {
    return `Wrong door for now: this ticket was sold after this door's last sync, so its type is unknown here, and this door admits ${orList(gate.allowedTypes)} only. Send the guest to another door.`;
  }
  const doors = gate.otherDoors.filter((door) => admits(door.allowedTypes, type)).map((door) => door.name);
  return doors.length
    ? `Wrong door: go to ${orList(doors)}. This door admits ${orList(gate.allowedTypes)} only.`
    : `Wrong door: this door admits ${orList(gate.allowedTypes)} only, and no door is set up for ${type} tickets. Call an officer.`;
}

export function decideScan({ code, showingIds, ticket, mode = "ENTRANCE", gate }: DecideInput): Decision {
  if (!code.ok) {
    return code.reason === "malformed"
      ? { ...blank, verdict: "UNKNOWN", message: "This is not an Admit ticket." }
      : { ...blank, verdict: "FORGED", message: "This ticket's signature is not valid. Do not admit." };
  }
  const who = {
    ticketId: code.ticketId,
    holderName: ticket?.holderName ?? null,
    type: ticket?.type ?? null,
    firstAdmittedAt: null,
    firstAdmittedDoor: null,
    provisional: false,
    reentry: false,
  };
  if (!showingIds.includes(code.showingId) || (ticket && ticket.showingId !== code.showingId)) {
    return { ...who, verdict: "WRONG_SHOWING", message: "This ticket is for a different showing." };
  }
  if (mode === "EXIT") {
    // Leaving is never refused: the scan only records it, for the count of who is inside.
    if (ticket && isInside(ticket)) {
      return { ...who, verdict: "EXIT", firstAdmittedAt: ticket.attendedAt, message: "Leaving: recorded. The guest can come back in with the same ticket." };
    }
    return { ...who, verdict: "NOT_INSIDE", message: "This ticket is not checked in, so there is no exit to record." };
  }
  const gated = gate !== undefined && gate.allowedTypes.length > 0;
  if (!ticket) {
    if (gated) return { ...who, verdict: "WRONG_DOOR", message: wrongDoorMessage(gate, null) };
    // Signed by us for this showing but sold after the door's last sync: admit now, reconcile on the next sync.
    return { ...who, provisional: true, verdict: "ADMIT", message: "Valid ticket, sold after this door's last sync: checked on its signature." };
  }
  if (code.generation < ticket.qrGeneration) {
    return { ...who, verdict: "OLD_QR", message: "This QR code was replaced (the ticket was transferred or reissued)." };
  }
  if (!ticket.valid) {
    return { ...who, verdict: "NOT_VALID", message: "This ticket was refunded or cancelled." };
  }
  if (gated && !admits(gate.allowedTypes, ticket.type)) {
    return { ...who, verdict: "WRONG_DOOR", message: wrongDoorMessage(gate, ticket.type) };
  }
  if (ticket.attended && ticket.exitedAt) {
    return { ...who, verdict: "ADMIT", reentry: true, firstAdmittedAt: ticket.attendedAt, message: "Valid ticket, coming back in after leaving." };
  }
  if (ticket.attended) {
    return {
      ...who,
      verdict: "ALREADY_IN",
      firstAdmittedAt: ticket.attendedAt,
      firstAdmittedDoor: ticket.attendedDoor,
      message: "This ticket was already admitted.",
    };
  }
  return { ...who, verdict: "ADMIT", message: "Valid ticket." };
}
