import { Link, useNavigate, useParams } from "react-router";
import { appCodeOf } from "../../lib/errors.ts";
import { Button, Card, EmptyState, ErrorState, PageHeader, Skeleton, SkeletonList } from "../../ui/index.ts";
import { Crumbs } from "./components/Crumbs.tsx";
import { EventFormDialog } from "./components/EventFormDialog.tsx";
import { ClubTimeZoneForm } from "./components/club-settings/ClubTimeZoneForm.tsx";
import { FinancePanel } from "./components/finance/FinancePanel.tsx";
import { MoneyNeedsYouPanel } from "./components/refunds/MoneyNeedsYouPanel.tsx";
import { ShowingSummary } from "./components/ShowingSummary.tsx";
import { idParam, useClubEvents, useManagedClubs, type ClubEvent } from "./lib/club-events.ts";
import { useDisclosure } from "./lib/use-disclosure.ts";
import "./officer.css";

function EventCard({ clubId, event }: { clubId: number; event: ClubEvent }) {
  const titleId = `event-${event.id}-title`;
  return (
    <Card as="article" className="event-admin-card" aria-labelledby={titleId}>
      <div className="row-between">
        <h2 className="card-title event-admin-title" id={titleId}>
          <Link to={`/dashboard/${clubId}/events/${event.id}`}>{event.name}</Link>
        </h2>
        <span className="muted small">{event.showings.length === 1 ? "1 showing" : `${event.showings.length} showings`}</span>
      </div>
      {event.showings.length === 0 ? (
        <p className="muted">
          No showings yet. <Link to={`/dashboard/${clubId}/events/${event.id}`}>Add one</Link> to start selling tickets.
        </p>
      ) : (
        <ul className="plain showing-summaries">
          {event.showings.map((showing) => (
            <ShowingSummary key={showing.id} clubId={clubId} showing={showing} eventName={event.name} />
          ))}
        </ul>
      )}
    </Card>
  );
}

/** One club's events with live numbers for every showing, refreshed every 10 seconds. */
export function ClubDashboardPage() {
  const clubId = idParam(useParams().clubId);
  const navigate = useNavigate();
  const clubs = useManagedClubs();
  const events = useClubEvents(clubId);
  const newEvent = useDisclosure();
  const club = clubs.data?.find((c) => c.id === clubId);

  if (!clubId || (events.isError && appCodeOf(events.error) === "NOT_FOUND")) {
    return (
      <>
        <PageHeader title="Club not found" />
        <EmptyState icon="search" title="You don't manage this club" action={<Link to="/dashboard">Your clubs</Link>}>
          Only the club's owners and officers can see its dashboard.
        </EmptyState>
      </>
    );
  }

  return (
    <>
      <PageHeader
        eyebrow={<Crumbs items={[{ label: "Club dashboard", to: "/dashboard" }, { label: club?.name ?? "Club" }]} />}
        title={club?.name ?? <Skeleton width="min(18rem, 70%)" height="1.2em" />}
        documentTitle={club ? `${club.name} dashboard` : "Club dashboard"}
        description="Events and showings with live numbers, refreshed every 10 seconds."
        actions={<Button onClick={newEvent.show}>New event</Button>}
      />
      {events.isPending ? (
        <SkeletonList count={2} height="12rem" label="Loading events" />
      ) : events.isError ? (
        <ErrorState error={events.error} onRetry={() => void events.refetch()} title="Events didn't load" />
      ) : events.data.length === 0 ? (
        <EmptyState icon="calendar" title="No events yet" action={<Button onClick={newEvent.show}>Create your first event</Button>}>
          Create an event, add its showings, then list the tickets.
        </EmptyState>
      ) : (
        <div className="stack">
          {events.data.map((event) => (
            <EventCard key={event.id} clubId={clubId} event={event} />
          ))}
        </div>
      )}
      <MoneyNeedsYouPanel clubId={clubId} />
      <FinancePanel clubId={clubId} clubCode={club?.code} />
      <ClubTimeZoneForm clubId={clubId} />
      <EventFormDialog
        key={newEvent.key}
        open={newEvent.open}
        onClose={newEvent.hide}
        clubId={clubId}
        onSaved={(created) => {
          newEvent.hide();
          void navigate(`/dashboard/${clubId}/events/${created.id}`);
        }}
      />
    </>
  );
}
