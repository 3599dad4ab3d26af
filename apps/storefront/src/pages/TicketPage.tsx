import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useParams } from "react-router";
import { appCodeOf } from "../lib/errors.ts";
import { formatDateTime, formatLongDay, formatPrice, formatTime } from "../lib/format.ts";
import { downloadIcs } from "../lib/ics.ts";
import { useTRPC } from "../lib/trpc.ts";
import { useNow } from "../lib/use-now.ts";
import { Badge, Button, Card, EmptyState, ErrorState, PageHeader, Skeleton, useAnnounce } from "../ui/index.ts";
import { ExchangeTicket } from "./tickets/ExchangeTicket.tsx";
import { GoneTicketReason, ReturnTicket } from "./tickets/ReturnTicket.tsx";
import { TicketQr } from "./tickets/TicketQr.tsx";
import { TransferDialog } from "./tickets/TransferDialog.tsx";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function TicketPage() {
  const trpc = useTRPC();
  const id = useParams().ticketId ?? "";
  const valid = UUID.test(id);
  const ticket = useQuery({ ...trpc.ticket.get.queryOptions({ id }), enabled: valid });
  const now = useNow(60_000);
  const announce = useAnnounce();
  const [transferOpen, setTransferOpen] = useState(false);

  if (!valid || (ticket.isError && appCodeOf(ticket.error) === "NOT_FOUND")) {
    return (
      <>
        <PageHeader title="Ticket not found" />
        {valid && <GoneTicketReason ticketId={id} />}
        <EmptyState icon="ticket" title="This ticket isn't yours" action={<Link to="/tickets">See my tickets</Link>}>
          It may have been transferred to someone else, or the link is mistyped.
        </EmptyState>
      </>
    );
  }
  if (ticket.isPending || ticket.isError) {
    return (
      <>
        <PageHeader title={<Skeleton width="min(20rem, 80%)" height="1.2em" />} documentTitle="Ticket" eyebrow={<Skeleton width="8rem" />} />
        {ticket.isError ? (
          <ErrorState error={ticket.error} onRetry={() => void ticket.refetch()} title="This ticket didn't load" />
        ) : (
          <div className="split">
            <Skeleton height="24rem" radius="var(--radius-lg)" />
            <Skeleton height="16rem" radius="var(--radius-lg)" />
          </div>
        )}
      </>
    );
  }

  const t = ticket.data;
  const ended = new Date(t.showing.end_time).getTime() <= now;
  const listed = t.exchange.listed_at !== null;
  const transferBlock = !t.transferable
    ? "This ticket type can't be transferred."
    : listed
      ? "This ticket is offered on the exchange: withdraw it from the exchange first."
      : t.attended
      ? "This ticket was already used at the door, so it can't be transferred."
      : ended
        ? "This showing has ended."
        : null;

  return (
    <>
      <PageHeader
        eyebrow={t.event.club_name}
        title={t.event.name}
        description={`${formatLongDay(t.showing.start_time)} at ${formatTime(t.showing.start_time)}`}
      />
      <div className="split ticket-layout">
        <TicketQr ticket={t} ended={ended} />
        <div className="stack">
          <Card>
            <h2 className="card-title">Ticket details</h2>
            <dl className="details">
              <dt>Type</dt>
              <dd>
                {t.type} {t.attended && <Badge tone="success">Checked in</Badge>}
              </dd>
              <dt>When</dt>
              <dd>
                {formatLongDay(t.showing.start_time)}, {formatTime(t.showing.start_time)} – {formatTime(t.showing.end_time)}
              </dd>
              <dt>Where</dt>
              <dd>{t.showing.location ?? "To be announced"}</dd>
              <dt>Holder</dt>
              <dd>{t.owner ?? "—"}</dd>
              <dt>Paid</dt>
              <dd>{t.amount_paid === null ? "Complimentary" : formatPrice(t.amount_paid)}</dd>
              {t.attended_at && (
                <>
                  <dt>Checked in</dt>
                  <dd>{formatDateTime(t.attended_at)}</dd>
                </>
              )}
              <dt>Ticket number</dt>
              <dd className="mono">{t.id}</dd>
            </dl>
          </Card>
          <Card>
            <h2 className="card-title">Plans changed?</h2>
            <div className="stack-sm">
              <div className="row">
                <Button
                  variant="secondary"
                  onClick={() => {
                    downloadIcs({
                      uid: `ticket-${t.id}@admit`,
                      title: t.event.name,
                      start: t.showing.start_time,
                      end: t.showing.end_time,
                      location: t.showing.location,
                      timeZone: t.showing.time_zone,
                      description: `${t.type} ticket · ${t.event.club_name}\nShow your QR code at the door: ${window.location.origin}/tickets/${t.id}`,
                      url: `${window.location.origin}/tickets/${t.id}`,
                    });
                    announce("Calendar file downloaded.");
                  }}
                >
                  Add to calendar
                </Button>
                <Button variant="secondary" onClick={() => setTransferOpen(true)} disabled={transferBlock !== null}>
                  Transfer to a friend
                </Button>
              </div>
              {transferBlock && <p className="small muted">{transferBlock}</p>}
              <ExchangeTicket
                ticket={t}
                blocked={t.attended ? "This ticket was already used at the door." : ended ? "This showing has ended." : null}
              />
              {!listed && <ReturnTicket ticket={t} />}
            </div>
          </Card>
        </div>
      </div>
      {transferBlock === null && <TransferDialog ticket={t} open={transferOpen} onClose={() => setTransferOpen(false)} />}
    </>
  );
}
