import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate, useParams } from "react-router";
import { errorMessage } from "../../lib/errors.ts";
import { useTRPC } from "../../lib/trpc.ts";
import { Button, Card, EmptyState, ErrorState, PageHeader, Skeleton, SkeletonList, useAnnounce } from "../../ui/index.ts";
import { ConfirmDialog } from "./components/ConfirmDialog.tsx";
import { Crumbs } from "./components/Crumbs.tsx";
import { EventFormDialog } from "./components/EventFormDialog.tsx";
import { ShowingFormDialog } from "./components/ShowingFormDialog.tsx";
import { ShowingSummary } from "./components/ShowingSummary.tsx";
import { idParam, useClubEvents, useManagedClubs } from "./lib/club-events.ts";
import { useDisclosure } from "./lib/use-disclosure.ts";
import "./officer.css";

/** One event: its name and description, its showings, and deleting it while nothing is sold. */
export function EventAdminPage() {
  const params = useParams();
  const clubId = idParam(params.clubId);
  const eventId = idParam(params.eventId);
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const announce = useAnnounce();
  const clubs = useManagedClubs();
  const events = useClubEvents(clubId);
  const edit = useDisclosure();
  const addShowing = useDisclosure();
  const confirmDelete = useDisclosure();
  const club = clubs.data?.find((c) => c.id === clubId);
  const event = events.data?.find((e) => e.id === eventId);
  const clubPath = `/dashboard/${clubId}`;

  const remove = useMutation(
    trpc.event.delete.mutationOptions({
      onSuccess: async () => {
        announce(`${event?.name ?? "The event"} was deleted.`);
        confirmDelete.hide();
        await navigate(clubPath, { replace: true });
        await queryClient.invalidateQueries({ queryKey: trpc.club.events.queryKey({ clubId }) });
      },
    }),
  );

  const crumbs = <Crumbs items={[{ label: "Club dashboard", to: "/dashboard" }, { label: club?.name ?? "Club", to: clubPath }, { label: event?.name ?? "Event" }]} />;

  if (events.isPending || events.isError) {
    return (
      <>
        <PageHeader eyebrow={crumbs} title={<Skeleton width="min(20rem, 70%)" height="1.2em" />} documentTitle="Event" />
        {events.isError ? (
          <ErrorState error={events.error} onRetry={() => void events.refetch()} title="This event didn't load" />
        ) : (
          <SkeletonList count={2} height="10rem" label="Loading the event" />
        )}
      </>
    );
  }

  if (!event) {
    return (
      <>
        <PageHeader eyebrow={crumbs} title="Event not found" />
        <EmptyState icon="search" title="This event isn't in this club" action={<Link to={clubPath}>Back to the club's events</Link>}>
          It may have been deleted.
        </EmptyState>
      </>
    );
  }

  return (
    <>
      <PageHeader
        eyebrow={crumbs}
        title={event.name}
        description={event.description ? <p className="event-description">{event.description}</p> : <p>No description yet.</p>}
        actions={
          <>
            <Button variant="secondary" onClick={edit.show}>
              Edit event
            </Button>
            <Button
              variant="danger"
              onClick={() => {
                remove.reset();
                confirmDelete.show();
              }}
            >
              Delete event
            </Button>
          </>
        }
      />
      <section className="stack" aria-labelledby="showings-title">
        <div className="row-between">
          <h2 id="showings-title" className="section-title">
            Showings
          </h2>
          <Button onClick={addShowing.show}>Add showing</Button>
        </div>
        {event.showings.length === 0 ? (
          <EmptyState icon="calendar" title="No showings yet" action={<Button onClick={addShowing.show}>Add the first showing</Button>}>
            A showing is one date and time of the event. Each has its own tickets.
          </EmptyState>
        ) : (
          <Card as="div">
            <ul className="plain showing-summaries">
              {event.showings.map((showing) => (
                <ShowingSummary key={showing.id} clubId={clubId} showing={showing} eventName={event.name} />
              ))}
            </ul>
          </Card>
        )}
      </section>
      <EventFormDialog key={`edit-${edit.key}`} open={edit.open} onClose={edit.hide} clubId={clubId} event={event} onSaved={edit.hide} />
      <ShowingFormDialog
        key={`add-${addShowing.key}`}
        open={addShowing.open}
        onClose={addShowing.hide}
        clubId={clubId}
        eventId={event.id}
        onSaved={(showing) => {
          addShowing.hide();
          void navigate(`/dashboard/${clubId}/showings/${showing.id}?tab=tickets`);
        }}
      />
      <ConfirmDialog
        open={confirmDelete.open}
        title={`Delete ${event.name}?`}
        confirmLabel="Delete event"
        busy={remove.isPending}
        error={remove.isError ? errorMessage(remove.error) : null}
        onClose={confirmDelete.hide}
        onConfirm={() => remove.mutate({ eventId: event.id })}
      >
        <p>
          This deletes the event, its {event.showings.length === 1 ? "showing" : `${event.showings.length} showings`} and
          every unsold ticket. It can't be undone. Events with sold or held tickets can't be deleted.
        </p>
      </ConfirmDialog>
    </>
  );
}
