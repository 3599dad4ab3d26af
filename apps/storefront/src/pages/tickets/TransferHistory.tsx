import { useQuery } from "@tanstack/react-query";
import { formatDateTime, formatDay, formatTime } from "../../lib/format.ts";
import { useTRPC } from "../../lib/trpc.ts";
import { Badge, ErrorState, SkeletonList, Table } from "../../ui/index.ts";

export function TransferHistory() {
  const trpc = useTRPC();
  const transfers = useQuery(trpc.ticket.transfers.queryOptions());
  return (
    <section className="stack" aria-labelledby="transfers-title">
      <h2 id="transfers-title" className="section-title">
        Transfers
      </h2>
      {transfers.isPending ? (
        <SkeletonList count={1} height="4rem" label="Loading transfers" />
      ) : transfers.isError ? (
        <ErrorState error={transfers.error} onRetry={() => void transfers.refetch()} title="Transfers didn't load" />
      ) : transfers.data.length === 0 ? (
        <p className="muted">You haven't sent or received any tickets.</p>
      ) : (
        <Table caption="Tickets you sent or received, newest first" captionHidden>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Direction</th>
              <th scope="col">Ticket</th>
              <th scope="col">With</th>
            </tr>
          </thead>
          <tbody>
            {transfers.data.map((t) => (
              <tr key={t.id}>
                <td>{formatDateTime(t.created_at)}</td>
                <td>{t.direction === "sent" ? <Badge tone="neutral">Sent</Badge> : <Badge tone="success">Received</Badge>}</td>
                <td>
                  <strong>{t.event.name}</strong>
                  <br />
                  <span className="small muted">
                    {t.type} · {formatDay(t.showing.start_time)}, {formatTime(t.showing.start_time)}
                  </span>
                </td>
                <td>{t.counterpart ? `${t.counterpart.full_name} (@${t.counterpart.username})` : "A deleted account"}</td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </section>
  );
}
