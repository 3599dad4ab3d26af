import { Link } from "react-router";
import type { Outputs } from "../../lib/api-types.ts";
import { formatPriceRange, formatShowingTime } from "../../lib/format.ts";
import { Badge, Countdown, DateChip } from "../../ui/index.ts";
import { SaleBadge } from "./SaleBadge.tsx";

export type CatalogueShowing = Outputs["event"]["list"][number];

export function ShowingCard({ showing, onSaleStarts }: { showing: CatalogueShowing; onSaleStarts: () => void }) {
  const headingId = `showing-${showing.showingId}-title`;
  return (
    <article className="card showing-card" aria-labelledby={headingId}>
      <DateChip iso={showing.startTime} />
      <div className="showing-card-body">
        <p className="showing-club">{showing.club.name}</p>
        <h2 className="showing-title" id={headingId}>
          <Link to={`/events/${showing.eventId}?showing=${showing.showingId}`} className="stretched-link">
            {showing.eventName}
          </Link>
        </h2>
        <p className="showing-when">{formatShowingTime(showing.startTime, showing.endTime)}</p>
        {showing.location && <p className="showing-where">{showing.location}</p>}
        <div className="showing-meta">
          <span className="showing-price">{formatPriceRange(showing.minPrice, showing.maxPrice)}</span>
          <SaleBadge status={showing.saleStatus} available={showing.available} />
        </div>
        {showing.saleStatus === "NOT_YET" && showing.dropTime && (
          <p className="drop-line">
            <Badge tone="info">On sale in</Badge> <Countdown to={showing.dropTime} onDone={onSaleStarts} doneText="a moment" />
          </p>
        )}
      </div>
    </article>
  );
}
