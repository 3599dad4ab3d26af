/**
 * The one entry policy, run by the kiosk for every scan (offline, in milliseconds) and by the server when it
 * classifies uploaded scans, so a verdict at the door and the server's view of it can never disagree.
 */

export type Verdict = "ADMIT" | "ALREADY_IN" | "WRONG_SHOWING" | "OLD_QR" | "NOT_VALID" | "UNKNOWN" | "FORGED";

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
  message: string;
}

export interface DecideInput {
  code: ScannedCode;
  /** The showings this door admits to. */
  showingIds: readonly number[];
  /** The door's record of the ticket, if it has one. */
  ticket: DoorTicket | undefined;
}

const blank = { ticketId: null, holderName: null, type: null, firstAdmittedAt: null, firstAdmittedDoor: null, provisional: false };

export function decideScan({ code, showingIds, ticket }: DecideInput): Decision {
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
  };
  if (!showingIds.includes(code.showingId) || (ticket && ticket.showingId !== code.showingId)) {
    return { ...who, verdict: "WRONG_SHOWING", message: "This ticket is for a different showing." };
  }
  if (!ticket) {
    // Signed by us for this showing but sold after the door's last sync: admit now, reconcile on the next sync.
    return { ...who, provisional: true, verdict: "ADMIT", message: "Valid ticket, sold after this door's last sync: checked on its signature." };
  }
  if (code.generation < ticket.qrGeneration) {
    return { ...who, verdict: "OLD_QR", message: "This QR code was replaced (the ticket was transferred or reissued)." };
  }
  if (!ticket.valid) {
    return { ...who, verdict: "NOT_VALID", message: "This ticket was refunded or cancelled." };
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
