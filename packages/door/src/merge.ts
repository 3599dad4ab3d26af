import type { DoorTicket } from "./policy.ts";

/** A scan this door made and recorded, possibly not yet uploaded. */
export interface LocalScan {
  clientScanId: string;
  ticketId: string;
  showingId: number;
  action: "ADMIT" | "EXIT" | "UNDO";
  /** For UNDO: the ADMIT it annuls. */
  undoesScanId: string | null;
  scannedAt: string;
  door: string;
  uploaded: boolean;
}

/**
 * The door's view of a ticket: the server's state, with this door's scans that the server has not reflected yet
 * laid on top. A pending ADMIT marks the ticket in (unless the server already has an earlier admit), or back in
 * after an exit; a pending EXIT marks it out; a pending UNDO of the scan that did either takes it back.
 */
export function applyPendingScans(server: DoorTicket | undefined, pending: readonly LocalScan[], fallback: Omit<DoorTicket, "attended" | "attendedAt" | "attendedDoor" | "exitedAt">): DoorTicket {
  let state: DoorTicket = server ?? { ...fallback, attended: false, attendedAt: null, attendedDoor: null, exitedAt: null };
  const ordered = [...pending].filter((s) => !s.uploaded).sort((a, b) => a.scannedAt.localeCompare(b.scannedAt));
  const undone = new Set(ordered.filter((s) => s.action === "UNDO").map((s) => s.undoesScanId));
  for (const scan of ordered) {
    if (scan.action === "UNDO" || undone.has(scan.clientScanId)) continue;
    if (scan.action === "EXIT") {
      if (state.attended && !state.exitedAt && (state.attendedAt === null || state.attendedAt <= scan.scannedAt)) {
        state = { ...state, exitedAt: scan.scannedAt };
      }
    } else if (!state.attended) {
      state = { ...state, attended: true, attendedAt: scan.scannedAt, attendedDoor: scan.door, exitedAt: null };
    } else if (state.attendedAt !== null && scan.scannedAt < state.attendedAt) {
      state = { ...state, attendedAt: scan.scannedAt, attendedDoor: scan.door };
    } else if (state.exitedAt !== null && scan.scannedAt > state.exitedAt) {
      state = { ...state, exitedAt: null };
    }
  }
  return state;
}

/** Earliest admit wins: of two admits of one ticket, which one is the check-in and which the conflict. */
export function earlierAdmit<T extends { scannedAt: string; clientScanId: string }>(a: T, b: T): T {
  if (a.scannedAt !== b.scannedAt) return a.scannedAt < b.scannedAt ? a : b;
  return a.clientScanId < b.clientScanId ? a : b;
}
