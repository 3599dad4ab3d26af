import type { DoorConflict } from "@admit/door";
import { clockTime, conflictReason } from "./format.ts";

/** Tickets two doors let in (or let in on a code that no longer counts), as the server has reconciled them. */
export function ConflictsPanel({ conflicts }: { conflicts: DoorConflict[] }) {
  if (!conflicts.length) return <p className="empty">No conflicts. Every ticket was let in once.</p>;
  return (
    <ul className="conflicts" aria-label="Conflicts">
      {conflicts.map((c) => (
        <li key={c.clientScanId} data-ticket={c.ticketId}>
          <strong>{c.holderName || "Unknown holder"}</strong> · {c.type}
          <br />
          {c.door ?? "A door"} {conflictReason(c.reason)} at {clockTime(c.scannedAt)}
          {c.admittedAt ? ` (checked in at ${clockTime(c.admittedAt)})` : ""}
        </li>
      ))}
    </ul>
  );
}
