import type { OutboxScan } from "./db.ts";
import type { Counts } from "./sync/download.ts";

export const emptyCounts: Counts = { sold: 0, checkedIn: 0, inside: 0, showings: [] };

/** Counts stored by an older kiosk version lack the inside-now numbers: read them as zero until the next sync. */
export function storedCounts(counts: Partial<Counts> | undefined): Counts {
  return { ...emptyCounts, ...counts, inside: counts?.inside ?? 0, showings: counts?.showings ?? [] };
}

/** What one scan does to the counts: a first admit checks in and brings in, a re-entry only brings in, an exit takes out. */
function effect(scan: Pick<OutboxScan, "action" | "reentry">): { checkedIn: number; inside: number } {
  if (scan.action === "EXIT") return { checkedIn: 0, inside: -1 };
  if (scan.action === "ADMIT") return { checkedIn: scan.reentry ? 0 : 1, inside: 1 };
  return { checkedIn: 0, inside: 0 };
}

/** The counts with scans added (sign 1) or taken back (sign -1), in total and for each scan's showing. */
export function withScans(counts: Counts, scans: ReadonlyArray<Pick<OutboxScan, "action" | "reentry" | "showingId">>, sign: 1 | -1 = 1): Counts {
  let { checkedIn, inside } = counts;
  const showings = counts.showings.map((s) => ({ ...s }));
  for (const scan of scans) {
    const change = effect(scan);
    checkedIn += sign * change.checkedIn;
    inside += sign * change.inside;
    const showing = showings.find((s) => s.id === scan.showingId);
    if (showing) {
      showing.checkedIn += sign * change.checkedIn;
      showing.inside += sign * change.inside;
    }
  }
  return { ...counts, checkedIn, inside, showings };
}

/**
 * The server's counts with this door's scans the server data lacks: its unreflected admits and exits (not undone),
 * minus the reflected ones whose UNDO is still on its way.
 */
export function localCounts(server: Counts, unreflected: readonly OutboxScan[], undoneButReflected: readonly OutboxScan[]): Counts {
  const undone = new Set(unreflected.filter((s) => s.action === "UNDO").map((s) => s.undoesScanId));
  const added = unreflected.filter((s) => s.action !== "UNDO" && !undone.has(s.clientScanId));
  return withScans(withScans(server, added), undoneButReflected, -1);
}
