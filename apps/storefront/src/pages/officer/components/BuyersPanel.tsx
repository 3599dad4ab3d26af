import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useDeferredValue, useState } from "react";
import type { Outputs } from "../../../lib/api-types.ts";
import { errorMessage } from "../../../lib/errors.ts";
import { plural } from "../../../lib/format.ts";
import { useTRPC } from "../../../lib/trpc.ts";
import { Alert, Badge, EmptyState, ErrorState, Money, SkeletonList, Table, TextField, useAnnounce } from "../../../ui/index.ts";
import { LIVE_REFRESH_MS } from "../lib/club-events.ts";

type Buyer = Outputs["showing"]["buyers"]["buyers"][number];

function matches(buyer: Buyer, query: string): boolean {
  if (!query) return true;
  const haystack = `${buyer.name} ${buyer.username} ${buyer.email} ${buyer.type} ${buyer.ticketId}`.toLowerCase();
  return query
    .toLowerCase()
    .split(/\s+/)
    .every((word) => haystack.includes(word));
}

/**
 * The attendance switch: what the officer just set shows at once while the server is asked, and is dropped once the
 * list has the answer.
 */
function useAttendanceMarks(clubId: number, showingId: number, onFailure: (message: string | null) => void) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const announce = useAnnounce();
  const [marks, setMarks] = useState<ReadonlyMap<string, boolean>>(new Map());
  const buyersKey = trpc.showing.buyers.queryKey({ showingId });

  const attendance = useMutation(
    trpc.ticket.setAttended.mutationOptions({
      onSuccess: (ticket) => {
        queryClient.setQueryData(buyersKey, (old) =>
          old ? { ...old, buyers: old.buyers.map((b) => (b.ticketId === ticket.id ? { ...b, attended: ticket.attended } : b)) } : old,
        );
        onFailure(null);
        announce(`${ticket.owner ?? "Ticket"} marked ${ticket.attended ? "checked in" : "not checked in"}.`);
      },
      onError: (error) => onFailure(errorMessage(error)),
      onSettled: async (_ticket, _error, { id, attended }) => {
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: buyersKey }),
          queryClient.invalidateQueries({ queryKey: trpc.club.events.queryKey({ clubId }) }),
        ]);
        setMarks((current) => {
          if (current.get(id) !== attended) return current;
          const next = new Map(current);
          next.delete(id);
          return next;
        });
      },
    }),
  );

  const mark = (id: string, attended: boolean) => {
    setMarks((current) => new Map(current).set(id, attended));
    attendance.mutate({ id, attended });
  };
  return { marks, mark };
}

/** Who holds this showing's tickets, searchable, with an attendance switch per ticket and a CSV download. */
export function BuyersPanel({ clubId, showingId }: { clubId: number; showingId: number }) {
  const trpc = useTRPC();
  const buyers = useQuery({ ...trpc.showing.buyers.queryOptions({ showingId }), refetchInterval: LIVE_REFRESH_MS });
  const [search, setSearch] = useState("");
  const query = useDeferredValue(search.trim());
  const [failure, setFailure] = useState<string | null>(null);
  const { marks, mark } = useAttendanceMarks(clubId, showingId, setFailure);

  const all = buyers.data?.buyers ?? [];
  const shown = all.filter((b) => matches(b, query));
  const checkedIn = all.filter((b) => b.attended).length;

  return (
    <section className="stack" aria-labelledby="buyers-title">
      <div className="row-between">
        <h2 id="buyers-title" className="section-title">
          Ticket holders
        </h2>
        <a className="btn btn-secondary btn-sm" href={`/api/showings/${showingId}/buyers.csv`} download>
          Download CSV
        </a>
      </div>
      <div className="buyers-toolbar">
        <TextField
          label="Search ticket holders"
          type="search"
          placeholder="Name, username, e-mail or type"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          autoComplete="off"
        />
        <p className="muted small buyers-count" aria-live="polite">
          {buyers.data
            ? `${query ? `${shown.length} of ` : ""}${plural(all.length, "ticket")} · ${checkedIn} checked in`
            : "\u00a0"}
        </p>
      </div>
      {failure && (
        <Alert tone="danger" onDismiss={() => setFailure(null)}>
          {failure}
        </Alert>
      )}
      {buyers.isPending ? (
        <SkeletonList count={3} height="3.25rem" label="Loading ticket holders" />
      ) : buyers.isError ? (
        <ErrorState error={buyers.error} onRetry={() => void buyers.refetch()} title="Ticket holders didn't load" />
      ) : all.length === 0 ? (
        <EmptyState icon="ticket" title="No tickets sold yet">
          People who buy or are given tickets show up here.
        </EmptyState>
      ) : shown.length === 0 ? (
        <EmptyState icon="search" title="Nobody matches">
          No ticket holder matches “{query}”.
        </EmptyState>
      ) : (
        <BuyersTable buyers={shown} marks={marks} onMark={mark} />
      )}
    </section>
  );
}

function BuyersTable({ buyers, marks, onMark }: { buyers: Buyer[]; marks: ReadonlyMap<string, boolean>; onMark: (id: string, attended: boolean) => void }) {
  return (
    <Table caption="Ticket holders" captionHidden className="buyers-table">
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col" className="col-wide">
            Type
          </th>
          <th scope="col" className="num col-wide">
            Paid
          </th>
          <th scope="col">Checked in</th>
        </tr>
      </thead>
      <tbody>
        {buyers.map((b) => (
          <tr key={b.ticketId}>
            <th scope="row" className="buyer-cell">
              <span className="buyer-name">{b.name}</span>
              <span className="buyer-meta">
                @{b.username} · {b.email}
              </span>
              <span className="buyer-extra">
                {b.type} · {b.complimentary ? "Issued" : <Money amount={b.amountPaid} free />}
              </span>
            </th>
            <td className="col-wide">{b.type}</td>
            <td className="num col-wide">{b.complimentary ? <Badge tone="info">Issued</Badge> : <Money amount={b.amountPaid} free />}</td>
            <td>
              <label className="officer-check attend-toggle">
                <input
                  type="checkbox"
                  checked={marks.get(b.ticketId) ?? b.attended}
                  aria-label={`${b.name}, ${b.type} ticket ${b.ticketId.slice(0, 8)}: checked in`}
                  onChange={(e) => onMark(b.ticketId, e.target.checked)}
                />
                <span aria-hidden="true">{(marks.get(b.ticketId) ?? b.attended) ? "In" : "Not yet"}</span>
              </label>
            </td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
