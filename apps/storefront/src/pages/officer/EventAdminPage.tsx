import { useNavigate, useParams } from "react-router";
import { useTRPC } from "../../lib/trpc.ts";
import { Button, Card, EmptyState, PageHeader } from "../../ui/index.ts";
import { AdminPageActions, AdminPageLoading, AdminPageNotFound } from "./components/AdminPageParts.tsx";
import { ConfirmDialog } from "./components/ConfirmDialog.tsx";
import { Crumbs } from "./components/Crumbs.tsx";
import { EventFormDialog } from "./components/EventFormDialog.tsx";
import { ShowingFormDialog } from "./components/ShowingFormDialog.tsx";
import { ShowingSummary } from "./components/ShowingSummary.tsx";
import { idParam, useClubEvents, useManagedClubs } from "./lib/club-events.ts";
import { useConfirmedDelete } from "./lib/use-confirmed-delete.ts";
import { useDisclosure } from "./lib/use-disclosure.ts";
import "./officer.css";

/** One event: its name and description, its showings, and deleting it while nothing is sold. */
export function EventAdminPage() {
  const params = useParams();
  const clubId = idParam(params.clubId);
  const eventId = idParam(params.eventId);
  const trpc = useTRPC();
  const navigate = useNavigate();
  const clubs = useManagedClubs();
  const events = useClubEvents(clubId);
  const edit = useDisclosure();
  const addShowing = useDisclosure();
  const club = clubs.data?.find((c) => c.id === clubId);
  const event = events.data?.find((e) => e.id === eventId);
  const clubPath = `/dashboard/${clubId}`;

  const removal = useConfirmedDelete({
    clubId,
    mutationOptions: (onDeleted) => trpc.event.delete.mutationOptions({ onSuccess: onDeleted }),
    announcement: `${event?.name ?? "The event"} was deleted.`,
    leaveTo: clubPath,
  });

  const crumbs = <Crumbs items={[{ label: "Club dashboard", to: "/dashboard" }, { label: club?.name ?? "Club", to: clubPath }, { label: event?.name ?? "Event" }]} />;

  if (events.isPending || events.isError) return <AdminPageLoading subject="event" crumbs={crumbs} events={events} />;
  if (!event) return <AdminPageNotFound subject="event" crumbs={crumbs} clubPath={clubPath} />;

  return (
    <>
      <PageHeader
        eyebrow={crumbs}
        title={event.name}
        description={event.description ? <p className="event-description">{event.description}</p> : <p>No description yet.</p>}
        actions={<AdminPageActions subject="event" onEdit={edit.show} onDelete={removal.ask} />}
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
      <ConfirmDialog {...removal.dialog} title={`Delete ${event.name}?`} confirmLabel="Delete event" onConfirm={() => removal.remove({ eventId: event.id })}>
        <p>
          This deletes the event, its {event.showings.length === 1 ? "showing" : `${event.showings.length} showings`} and
          every unsold ticket. It can't be undone. Events with sold or held tickets can't be deleted.
        </p>
      </ConfirmDialog>
    </>
  );
}
