/**
 * A ticket's check-in state is a pure function of its check-in log, so the ticket row, uploads arriving in any
 * order, undos and officers' manual marks can never disagree. Entries are replayed in door-time order:
 * an eligible ADMIT brings the ticket in (or is a conflict if it is already in: earliest admit wins),
 * MARK_ATTENDED brings it in, MARK_NOT_ATTENDED takes it out, an UNDO removes the admit (or exit) it names.
 * An EXIT of a holder who is inside marks them out (`exitedAt`); an ADMIT after it is a re-entry, not a conflict.
 * "Attended" stays true through exits: it records that the ticket was used, and `attendedAt` the first admit.
 */
export interface LogEntry {
  seq: bigint;
  action: "ADMIT" | "EXIT" | "UNDO" | "MARK_ATTENDED" | "MARK_NOT_ATTENDED";
  occurredAt: Date;
  clientScanId: string | null;
  undoesScanId: string | null;
  /** Reasons that make an admit ineligible whatever the order (wrong showing, old QR, not sold). */
  conflictReason: string | null;
  conflict: boolean;
  deviceId: string | null;
  actorUserId: string | null;
}

export interface ReplayResult {
  attended: boolean;
  attendedAt: Date | null;
  attendedByDeviceId: string | null;
  attendedById: string | null;
  /** Set while the holder is out after an exit; inside now = attended and no exitedAt. */
  exitedAt: Date | null;
  /** The conflict flag each ADMIT entry should carry, by seq. */
  conflicts: Map<bigint, { conflict: boolean; reason: string | null }>;
}

const PERMANENT_REASONS = new Set(["wrong-showing", "old-qr", "not-sold"]);

export function replayCheckIns(entries: readonly LogEntry[]): ReplayResult {
  const undone = new Set(entries.filter((e) => e.action === "UNDO" && e.undoesScanId).map((e) => e.undoesScanId));
  const ordered = [...entries]
    .filter((e) => e.action !== "UNDO")
    .sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime() || (a.seq < b.seq ? -1 : 1));
  const result: ReplayResult = {
    attended: false,
    attendedAt: null,
    attendedByDeviceId: null,
    attendedById: null,
    exitedAt: null,
    conflicts: new Map(),
  };
  for (const entry of ordered) {
    if (entry.action === "ADMIT") {
      if (entry.conflictReason && PERMANENT_REASONS.has(entry.conflictReason)) {
        result.conflicts.set(entry.seq, { conflict: true, reason: entry.conflictReason });
        continue;
      }
      if (entry.clientScanId && undone.has(entry.clientScanId)) {
        result.conflicts.set(entry.seq, { conflict: false, reason: null });
        continue;
      }
      if (result.attended && !result.exitedAt) {
        result.conflicts.set(entry.seq, { conflict: true, reason: "already-in" });
        continue;
      }
      result.conflicts.set(entry.seq, { conflict: false, reason: null });
      if (result.attended) result.exitedAt = null;
      else Object.assign(result, { attended: true, attendedAt: entry.occurredAt, attendedByDeviceId: entry.deviceId, attendedById: null });
    } else if (entry.action === "EXIT") {
      // An exit of someone who is not inside changes nothing (a guest scanned twice on the way out).
      if (result.attended && !result.exitedAt && !(entry.clientScanId && undone.has(entry.clientScanId))) result.exitedAt = entry.occurredAt;
    } else if (entry.action === "MARK_ATTENDED") {
      if (!result.attended) {
        Object.assign(result, { attended: true, attendedAt: entry.occurredAt, attendedByDeviceId: null, attendedById: entry.actorUserId });
      }
      result.exitedAt = null;
    } else {
      Object.assign(result, { attended: false, attendedAt: null, attendedByDeviceId: null, attendedById: null, exitedAt: null });
    }
  }
  return result;
}
