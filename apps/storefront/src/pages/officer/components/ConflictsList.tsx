import { useQuery } from "@tanstack/react-query";
import { formatDateTime } from "../../../lib/format.ts";
import { useTRPC } from "../../../lib/trpc.ts";
import { ErrorState, SkeletonList, Table } from "../../../ui/index.ts";
import { LIVE_REFRESH_MS } from "../lib/club-events.ts";

const reasons: Record<string, string> = {
  "already-in": "Already let in earlier",
  "wrong-showing": "Ticket is for another showing",
  "old-qr": "Old QR code (the ticket was transferred)",
  "not-sold": "Ticket was not valid",
};

/**
 * Tickets let in twice, typically by two doors that were offline at the same time. The earliest admit counts; these
 * are the later ones, for an officer to look into.
 */
export function ConflictsList({ clubId, showingId }: { clubId: number; showingId: number }) {
  const trpc = useTRPC();
  const conflicts = useQuery({ ...trpc.kiosk.conflicts.queryOptions({ clubId, showingId }), refetchInterval: LIVE_REFRESH_MS });
  return (
    <section className="stack-sm" aria-labelledby="conflicts-title">
      <h2 id="conflicts-title" className="section-title">
        Check-in conflicts
      </h2>
      {conflicts.isPending ? (
        <SkeletonList count={1} height="3rem" label="Loading check-in conflicts" />
      ) : conflicts.isError ? (
        <ErrorState error={conflicts.error} onRetry={() => void conflicts.refetch()} title="Conflicts didn't load" />
      ) : conflicts.data.length === 0 ? (
        <p className="muted">No conflicts: no ticket has been let in twice.</p>
      ) : (
        <Table caption="Tickets let in more than once" captionHidden>
          <thead>
            <tr>
              <th scope="col">Holder</th>
              <th scope="col">Door</th>
              <th scope="col">Scanned</th>
              <th scope="col">First let in</th>
              <th scope="col">Why</th>
            </tr>
          </thead>
          <tbody>
            {conflicts.data.map((c) => (
              <tr key={c.clientScanId}>
                <th scope="row">
                  {c.holderName} <span className="muted small">({c.type})</span>
                </th>
                <td>{c.door ?? "Unknown door"}</td>
                <td>{formatDateTime(c.scannedAt)}</td>
                <td>{c.admittedAt ? formatDateTime(c.admittedAt) : "—"}</td>
                <td>{reasons[c.reason] ?? c.reason}</td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </section>
  );
}
