import { useQuery } from "@tanstack/react-query";
import { Link, useParams, useSearchParams } from "react-router";
import { appCodeOf } from "../lib/errors.ts";
import { useSession } from "../lib/session.ts";
import { useTRPC } from "../lib/trpc.ts";
import { EmptyState, ErrorState, PageHeader, Skeleton, SkeletonList } from "../ui/index.ts";
import { ShowingTickets } from "./event/ShowingTickets.tsx";

export function EventPage() {
  const trpc = useTRPC();
  const eventId = Number(useParams().eventId);
  const [params] = useSearchParams();
  const focusShowing = Number(params.get("showing")) || null;
  const valid = Number.isInteger(eventId) && eventId > 0;
  const event = useQuery({ ...trpc.event.get.queryOptions({ eventId }), enabled: valid, refetchInterval: 30_000 });
  const { isSignedIn } = useSession();

  if (!valid || (event.isError && appCodeOf(event.error) === "NOT_FOUND")) {
    return (
      <>
        <PageHeader title="Event not found" />
        <EmptyState icon="search" title="We couldn't find this event" action={<Link to="/">See all upcoming events</Link>}>
          It may have been removed, or the link is mistyped.
        </EmptyState>
      </>
    );
  }

  if (event.isPending || event.isError) {
    return (
      <>
        <PageHeader
          title={<Skeleton width="min(24rem, 80%)" height="1.2em" />}
          documentTitle="Event"
          eyebrow={<Skeleton width="8rem" />}
        />
        {event.isError ? (
          <ErrorState error={event.error} onRetry={() => void event.refetch()} title="This event didn't load" />
        ) : (
          <SkeletonList count={2} height="16rem" label="Loading the event" />
        )}
      </>
    );
  }

  const data = event.data;
  const ordered = focusShowing
    ? [...data.showings].sort((a, b) => Number(b.id === focusShowing) - Number(a.id === focusShowing))
    : data.showings;
  return (
    <>
      <PageHeader
        eyebrow={data.club.name}
        title={data.name}
        description={data.description ? <p className="event-description">{data.description}</p> : undefined}
      />
      {ordered.length === 0 ? (
        <EmptyState icon="calendar" title="No showings yet">
          The club hasn't scheduled this event yet.
        </EmptyState>
      ) : (
        <div className="stack-lg">
          {ordered.map((showing) => (
            <ShowingTickets
              key={showing.id}
              eventId={data.id}
              eventName={data.name}
              showing={showing}
              signedIn={isSignedIn}
              onSaleStarts={() => void event.refetch()}
            />
          ))}
        </div>
      )}
    </>
  );
}
