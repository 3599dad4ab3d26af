import { useQuery } from "@tanstack/react-query";
import { useDeferredValue, useState } from "react";
import { useTRPC } from "../lib/trpc.ts";
import { EmptyState, ErrorState, Field, Input, PageHeader, SkeletonList } from "../ui/index.ts";
import { ShowingCard, type CatalogueShowing } from "./events/ShowingCard.tsx";

function matches(showing: CatalogueShowing, search: string): boolean {
  if (!search) return true;
  const haystack = `${showing.eventName} ${showing.club.name} ${showing.location ?? ""}`.toLowerCase();
  return search
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => haystack.includes(word));
}

export function EventsPage() {
  const trpc = useTRPC();
  const list = useQuery(trpc.event.list.queryOptions(undefined, { refetchInterval: 60_000 }));
  const [search, setSearch] = useState("");
  const deferred = useDeferredValue(search.trim());
  const shown = list.data?.filter((s) => matches(s, deferred)) ?? [];

  return (
    <>
      <PageHeader
        title="Upcoming events"
        description="Tickets for club events on campus. Pick a showing to see ticket types, prices and what's left."
      />
      <div className="stack">
        <div className="events-toolbar">
          <Field label="Search events" hint="By event, club or place">
            {(control) => (
              <Input
                {...control}
                type="search"
                value={search}
                onChange={(event) => setSearch(event.target.value)}
                placeholder="e.g. concert, Film Society"
                autoComplete="off"
              />
            )}
          </Field>
        </div>
        {list.isPending ? (
          <SkeletonList count={4} height="8.5rem" label="Loading events" />
        ) : list.isError ? (
          <ErrorState error={list.error} onRetry={() => void list.refetch()} title="Events didn't load" />
        ) : list.data.length === 0 ? (
          <EmptyState icon="calendar" title="No upcoming events yet">
            Clubs haven't put any showings on sale. Check back soon.
          </EmptyState>
        ) : shown.length === 0 ? (
          <EmptyState icon="search" title={`Nothing matches “${deferred}”`}>
            Try another word, or clear the search to see every event.
          </EmptyState>
        ) : (
          <>
            <p className="muted small" aria-live="polite">
              {shown.length === list.data.length
                ? `${shown.length} upcoming ${shown.length === 1 ? "showing" : "showings"}`
                : `${shown.length} of ${list.data.length} showings match`}
            </p>
            <ul className="plain card-grid showing-grid">
              {shown.map((showing) => (
                <li key={showing.showingId}>
                  <ShowingCard showing={showing} onSaleStarts={() => void list.refetch()} />
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
    </>
  );
}
