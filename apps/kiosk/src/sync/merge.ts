import { applyPendingScans, type DoorTicket, type LocalScan } from "@admit/door";
import type { OutboxScan } from "../db.ts";

/** True while the door's ticket data may not show the scan yet, so it has to be laid on top. */
export function isUnreflected(scan: OutboxScan): boolean {
  return scan.state === "pending" || scan.state === "uploaded";
}

function asLocalScan(scan: OutboxScan): LocalScan {
  return { ...scan, uploaded: !isUnreflected(scan) };
}

/**
 * What the door shows for a ticket: the server's state (from the manifest and change feed) with this door's scans
 * that state does not include yet. Undefined when the door knows nothing about the ticket, which the entry policy
 * treats as sold after the last sync.
 *
 * One case the shared merge cannot see: an UNDO still on its way, of an admit the server already reflects. The
 * server's check-in is then exactly that admit (same time), so the ticket is taken out before the rest is laid on.
 * The admit may still count as unreflected (a download that started before its upload was answered can already
 * carry it), so only the time tells.
 */
export function displayedTicket(
  server: DoorTicket | undefined,
  scans: readonly OutboxScan[],
  fallback: Omit<DoorTicket, "attended" | "attendedAt" | "attendedDoor" | "exitedAt">,
): DoorTicket | undefined {
  if (!server && !scans.some(isUnreflected)) return server;
  let base = server;
  if (base?.attended) {
    for (const undo of scans) {
      if (undo.action !== "UNDO" || !isUnreflected(undo)) continue;
      const admit = scans.find((s) => s.clientScanId === undo.undoesScanId);
      if (admit && admit.scannedAt === base.attendedAt) {
        base = { ...base, attended: false, attendedAt: null, attendedDoor: null };
      }
    }
  }
  return applyPendingScans(base, scans.map(asLocalScan), fallback);
}
