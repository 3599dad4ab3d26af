import { Badge, Countdown } from "../../../ui/index.ts";
import type { ClubShowing } from "../lib/club-events.ts";

/** Where the showing's sales stand, from an officer's point of view. */
export function ShowingStatus({ showing }: { showing: ClubShowing }) {
  if (showing.total === 0) return <Badge tone="warning">No tickets listed</Badge>;
  switch (showing.saleStatus) {
    case "CANCELLED":
      return <Badge tone="danger">Cancelled</Badge>;
    case "PAUSED":
      return <Badge tone="warning">Sales paused</Badge>;
    case "ENDED":
      return <Badge tone="neutral">Ended</Badge>;
    case "CLOSED":
      return <Badge tone="neutral">Club not approved for sales</Badge>;
    case "NOT_YET":
      return (
        <Badge tone="info">
          Sales open in {showing.dropTime ? <Countdown to={showing.dropTime} doneText="a moment" /> : "a moment"}
        </Badge>
      );
    case "ON_SALE":
      return showing.available === 0 ? <Badge tone="danger">Sold out</Badge> : <Badge tone="success">On sale</Badge>;
  }
}
