import { Link } from "react-router";
import type { Outputs } from "../../lib/api-types.ts";
import { formatShowingTime } from "../../lib/format.ts";
import { Badge, DateChip } from "../../ui/index.ts";

type Ticket = Outputs["ticket"]["list"][number];

export function TicketCard({ ticket, past }: { ticket: Ticket; past: boolean }) {
  return (
    <article className={`card ticket-card${past ? " ticket-card-past" : ""}`} aria-labelledby={`ticket-${ticket.id}`}>
      <DateChip iso={ticket.showing.start_time} />
      <div className="ticket-card-body">
        <p className="showing-club">{ticket.event.club_name}</p>
        <h3 className="ticket-card-title" id={`ticket-${ticket.id}`}>
          <Link to={`/tickets/${ticket.id}`} className="stretched-link">
            {ticket.event.name}
          </Link>
        </h3>
        <p className="small">{formatShowingTime(ticket.showing.start_time, ticket.showing.end_time)}</p>
        {ticket.showing.location && <p className="small muted">{ticket.showing.location}</p>}
        <div className="row ticket-card-badges">
          <Badge tone="brand">{ticket.type}</Badge>
          {ticket.attended && <Badge tone="success">Checked in</Badge>}
          {ticket.exchange.listed_at && <Badge tone="info">On the exchange</Badge>}
        </div>
      </div>
      <span className="ticket-card-cta" aria-hidden="true">
        {past ? "Details" : "Show QR"} ›
      </span>
    </article>
  );
}
