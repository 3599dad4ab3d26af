import { useParams, useSearchParams } from "react-router";
import { formatDateTime, formatShowingTime } from "../../lib/format.ts";
import { useTRPC } from "../../lib/trpc.ts";
import { Button, PageHeader } from "../../ui/index.ts";
import { AdminPageActions, AdminPageLoading, AdminPageNotFound } from "./components/AdminPageParts.tsx";
import { BuyersPanel } from "./components/BuyersPanel.tsx";
import { ConfirmDialog } from "./components/ConfirmDialog.tsx";
import { Crumbs } from "./components/Crumbs.tsx";
import { DoorLiveView } from "./components/DoorLiveView.tsx";
import { DoorPanel } from "./components/DoorPanel.tsx";
import { EmailBlastForm } from "./components/EmailBlastForm.tsx";
import { IssueTicketsForm } from "./components/IssueTicketsForm.tsx";
import { LobbyPanel } from "./components/drop/LobbyPanel.tsx";
import { WaitlistPanel } from "./components/drop/WaitlistPanel.tsx";
import { LiveNumbers } from "./components/LiveNumbers.tsx";
import { OfferingsEditor } from "./components/OfferingsEditor.tsx";
import { SellingControls } from "./components/SellingControls.tsx";
import { ShowingFormDialog } from "./components/ShowingFormDialog.tsx";
import { ShowingStatus } from "./components/ShowingStatus.tsx";
import { isShowingTab, ShowingTabs, type ShowingTab } from "./components/ShowingTabs.tsx";
import { findShowing, idParam, useClubEvents, useManagedClubs, type ClubEvent, type ClubShowing } from "./lib/club-events.ts";
import { useConfirmedDelete } from "./lib/use-confirmed-delete.ts";
import { useDisclosure } from "./lib/use-disclosure.ts";
import "./officer.css";

function SaleSettings({ showing, onEdit }: { showing: ClubShowing; onEdit: () => void }) {
  return (
    <div className="sale-settings">
      <p>
        Up to <strong>{showing.orderLimit}</strong> tickets per person · Sales open{" "}
        <strong>{showing.dropTime ? formatDateTime(showing.dropTime) : "as soon as tickets are listed"}</strong>
      </p>
      <Button variant="secondary" size="sm" onClick={onEdit}>
        Change limit or sales time
      </Button>
    </div>
  );
}

function TabPanel({ tab, clubId, event, showing, events, onEdit }: { tab: ShowingTab; clubId: number; event: ClubEvent; showing: ClubShowing; events: ClubEvent[]; onEdit: () => void }) {
  switch (tab) {
    case "buyers":
      return <BuyersPanel clubId={clubId} showingId={showing.id} />;
    case "tickets":
      return (
        <div className="stack">
          <SaleSettings showing={showing} onEdit={onEdit} />
          <SellingControls key={`controls-${showing.id}`} clubId={clubId} showing={showing} />
          {!showing.cancelledAt && <OfferingsEditor key={showing.id} clubId={clubId} showing={showing} />}
        </div>
      );
    case "drop":
      return (
        <div className="stack-lg">
          <LobbyPanel showing={showing} eventId={event.id} />
          <WaitlistPanel showingId={showing.id} />
        </div>
      );
    case "issue":
      return <IssueTicketsForm clubId={clubId} showing={showing} />;
    case "email":
      return <EmailBlastForm showingId={showing.id} eventName={event.name} />;
    case "door":
      return (
        <div className="stack-lg">
          <DoorLiveView clubId={clubId} showingId={showing.id} />
          <DoorPanel clubId={clubId} showingId={showing.id} events={events} />
        </div>
      );
  }
}

/** Everything about one showing: live numbers, ticket holders, ticket types, comps, e-mail and the door. */
export function ShowingAdminPage() {
  const params = useParams();
  const clubId = idParam(params.clubId);
  const showingId = idParam(params.showingId);
  const [search, setSearch] = useSearchParams();
  const requested = search.get("tab");
  const tab: ShowingTab = isShowingTab(requested) ? requested : "buyers";
  const trpc = useTRPC();
  const clubs = useManagedClubs();
  const events = useClubEvents(clubId);
  const edit = useDisclosure();
  const club = clubs.data?.find((c) => c.id === clubId);
  const found = findShowing(events.data, showingId);
  const clubPath = `/dashboard/${clubId}`;
  const eventPath = found ? `${clubPath}/events/${found.event.id}` : clubPath;

  const removal = useConfirmedDelete({
    clubId,
    mutationOptions: (onDeleted) => trpc.showing.delete.mutationOptions({ onSuccess: onDeleted }),
    announcement: "The showing was deleted.",
    leaveTo: eventPath,
  });

  const crumbs = (
    <Crumbs
      items={[
        { label: "Club dashboard", to: "/dashboard" },
        { label: club?.name ?? "Club", to: clubPath },
        { label: found?.event.name ?? "Event", to: eventPath },
        { label: "Showing" },
      ]}
    />
  );

  if (events.isPending || events.isError) return <AdminPageLoading subject="showing" crumbs={crumbs} events={events} />;
  if (!found) return <AdminPageNotFound subject="showing" crumbs={crumbs} clubPath={clubPath} />;

  const { event, showing } = found;
  const when = formatShowingTime(showing.startTime, showing.endTime);
  return (
    <>
      <PageHeader
        eyebrow={crumbs}
        title={event.name}
        documentTitle={`${event.name}, ${when}`}
        description={
          <div className="showing-admin-meta">
            <span>{when}</span>
            <span>{showing.location ?? "No location yet"}</span>
            <ShowingStatus showing={showing} />
          </div>
        }
        actions={<AdminPageActions subject="showing" onEdit={edit.show} onDelete={removal.ask} />}
      />
      <div className="stack-lg">
        <LiveNumbers numbers={showing} label="Live numbers for this showing" />
        <div className="stack">
          <ShowingTabs current={tab} onChange={(next) => setSearch({ tab: next }, { replace: true, preventScrollReset: true })} />
          <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} className="officer-panel">
            <TabPanel tab={tab} clubId={clubId} event={event} showing={showing} events={events.data} onEdit={edit.show} />
          </div>
        </div>
      </div>
      <ShowingFormDialog key={edit.key} open={edit.open} onClose={edit.hide} clubId={clubId} eventId={event.id} showing={showing} onSaved={edit.hide} />
      <ConfirmDialog {...removal.dialog} title="Delete this showing?" confirmLabel="Delete showing" onConfirm={() => removal.remove({ showingId: showing.id })}>
        <p>
          This deletes the showing on {when} and its unsold tickets. It can't be undone. A showing with sold or held
          tickets can't be deleted.
        </p>
      </ConfirmDialog>
    </>
  );
}
