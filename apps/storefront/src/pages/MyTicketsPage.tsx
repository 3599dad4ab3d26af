import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useLocation, useNavigate } from "react-router";
import type { Outputs } from "../lib/api-types.ts";
import { useTRPC } from "../lib/trpc.ts";
import { useNow } from "../lib/use-now.ts";
import { Alert, ButtonLink, EmptyState, ErrorState, PageHeader, SkeletonList } from "../ui/index.ts";
import { TicketCard } from "./tickets/TicketCard.tsx";
import { TransferHistory } from "./tickets/TransferHistory.tsx";

type Ticket = Outputs["ticket"]["list"][number];

function splitByTime(tickets: Ticket[], now: number) {
  const upcoming = tickets
    .filter((t) => new Date(t.showing.end_time).getTime() > now)
    .sort((a, b) => a.showing.start_time.localeCompare(b.showing.start_time));
  const past = tickets
    .filter((t) => new Date(t.showing.end_time).getTime() <= now)
    .sort((a, b) => b.showing.start_time.localeCompare(a.showing.start_time));
  return { upcoming, past };
}

export function MyTicketsPage() {
  const trpc = useTRPC();
  const tickets = useQuery(trpc.ticket.list.queryOptions());
  const now = useNow(60_000);
  const [tab, setTab] = useState<"upcoming" | "past">("upcoming");
  const location = useLocation();
  const navigate = useNavigate();
  const flash = (location.state as { flash?: string } | null)?.flash;

  const { upcoming, past } = splitByTime(tickets.data ?? [], now);
  const shown = tab === "upcoming" ? upcoming : past;

  return (
    <>
      <PageHeader title="My tickets" description="Open a ticket to show its QR code at the door." />
      <div className="stack-lg">
        {flash && (
          <Alert tone="success" onDismiss={() => void navigate(".", { replace: true, state: null })}>
            {flash}
          </Alert>
        )}
        <section className="stack" aria-label="Tickets">
          <div className="tabs" role="group" aria-label="Which tickets">
            <button type="button" className="tab" aria-pressed={tab === "upcoming"} onClick={() => setTab("upcoming")}>
              Upcoming{tickets.data ? ` (${upcoming.length})` : ""}
            </button>
            <button type="button" className="tab" aria-pressed={tab === "past"} onClick={() => setTab("past")}>
              Past{tickets.data ? ` (${past.length})` : ""}
            </button>
          </div>
          {tickets.isPending ? (
            <SkeletonList count={3} height="6rem" label="Loading your tickets" />
          ) : tickets.isError ? (
            <ErrorState error={tickets.error} onRetry={() => void tickets.refetch()} title="Your tickets didn't load" />
          ) : shown.length === 0 ? (
            tab === "upcoming" ? (
              <EmptyState icon="ticket" title="No upcoming tickets" action={<ButtonLink to="/">Find events</ButtonLink>}>
                Tickets you buy or receive from friends show up here.
              </EmptyState>
            ) : (
              <EmptyState icon="calendar" title="No past tickets">
                Tickets for showings that have ended are kept here.
              </EmptyState>
            )
          ) : (
            <ul className="plain card-grid ticket-grid">
              {shown.map((ticket) => (
                <li key={ticket.id}>
                  <TicketCard ticket={ticket} past={tab === "past"} />
                </li>
              ))}
            </ul>
          )}
        </section>
        <TransferHistory />
      </div>
    </>
  );
}
