import { useQuery } from "@tanstack/react-query";
import { useEffect } from "react";
import { Link, useParams } from "react-router";
import { formatShowingTime } from "../lib/format.ts";
import { useSession } from "../lib/session.ts";
import { useTRPC } from "../lib/trpc.ts";
import { ButtonLink, EmptyState, ErrorState, PageHeader, Skeleton, SkeletonList } from "../ui/index.ts";
import { ShowingTickets } from "./event/ShowingTickets.tsx";
import { WaitlistBlock } from "./event/WaitlistBlock.tsx";
import { FairnessBox } from "./lobby/FairnessBox.tsx";
import { LobbyState } from "./lobby/LobbyState.tsx";
import { useLobbyStatus } from "./lobby/use-lobby.ts";

const positive = (value: string | undefined) => {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : 0;
};

/**
 * A drop's lobby: the student's place, live (asked again as often as the server says), their turn with the ticket
 * picker, sold out with the waitlist, and how to check the draw.
 */
export function LobbyPage() {
  const trpc = useTRPC();
  const params = useParams();
  const eventId = positive(params.eventId);
  const showingId = positive(params.showingId);
  const { isSignedIn } = useSession();
  const event = useQuery({ ...trpc.event.get.queryOptions({ eventId }), enabled: eventId > 0 });
  const lobby = useLobbyStatus(showingId, { enabled: showingId > 0 });
  const showing = event.data?.showings.find((s) => s.id === showingId);
  // The tickets on sale change with the lobby (the drop, a turn, sold out): read them again when it moves on.
  const moment = `${lobby.status?.phase ?? ""}:${lobby.status?.you?.state ?? ""}`;
  const refetchEvent = event.refetch;
  useEffect(() => {
    if (eventId > 0) void refetchEvent();
  }, [moment, eventId, refetchEvent]);
  const eventPath = `/events/${eventId}?showing=${showingId}`;

  if (!eventId || !showingId || lobby.noLobby || (event.data && !showing)) {
    return (
      <>
        <PageHeader title="No lobby here" />
        <EmptyState icon="search" title="This showing has no lobby" action={eventId ? <Link to={eventPath}>Go to the event</Link> : <Link to="/">See all events</Link>}>
          Its tickets go on sale to everyone at the drop time, or the link is mistyped.
        </EmptyState>
      </>
    );
  }

  const title = event.data ? `Lobby: ${event.data.name}` : <Skeleton width="min(22rem, 80%)" height="1.2em" />;
  const status = lobby.status;
  // A turn that runs when the drop sells out (the student is paying for the last tickets) keeps its cart link.
  const yourTurn = status?.you?.state === "ADMITTED";
  const admitted = yourTurn && status.mayBuy && status.phase !== "SOLD_OUT";
  return (
    <>
      <PageHeader
        eyebrow={event.data?.club.name ?? <Skeleton width="8rem" />}
        title={title}
        documentTitle={event.data ? `Lobby: ${event.data.name}` : "Lobby"}
        description={showing ? <p>{formatShowingTime(showing.startTime, showing.endTime)}{showing.location ? ` · ${showing.location}` : ""}</p> : undefined}
      />
      {lobby.query.isError && !lobby.noLobby ? (
        <ErrorState error={lobby.query.error} onRetry={() => void lobby.query.refetch()} title="The lobby didn't load" />
      ) : !status ? (
        <SkeletonList count={2} height="12rem" label="Loading the lobby" />
      ) : (
        <div className="lobby-layout">
          <div className="stack">
            <LobbyState status={status} signedIn={isSignedIn} onRefresh={() => void lobby.query.refetch()} />
            {admitted && showing && event.data && (
              <ShowingTickets
                eventId={eventId}
                eventName={event.data.name}
                showing={showing}
                signedIn={isSignedIn}
                lobbyAware={false}
                onSaleStarts={() => void event.refetch()}
              />
            )}
            {status.phase === "SOLD_OUT" && !yourTurn && showing && <WaitlistBlock showing={showing} signedIn={isSignedIn} allowance={showing.allowance?.remaining ?? showing.orderLimit} />}
            {yourTurn && (
              <p className="small">
                Added your tickets? <ButtonLink to="/cart" size="sm" variant="secondary">Go to cart and check out</ButtonLink>
              </p>
            )}
          </div>
          <FairnessBox status={status} drawPath={`/api/showings/${showingId}/lobby/draw/`} />
        </div>
      )}
    </>
  );
}
