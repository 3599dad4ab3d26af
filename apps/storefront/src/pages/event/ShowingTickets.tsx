import { useEffect, useRef, useState } from "react";
import { Link } from "react-router";
import type { Outputs } from "../../lib/api-types.ts";
import { formatShowingTime } from "../../lib/format.ts";
import { Alert, Badge, ButtonLink, Countdown } from "../../ui/index.ts";
import { SaleBadge } from "../events/SaleBadge.tsx";
import { useLobbyStatus } from "../lobby/use-lobby.ts";
import { LobbyBlock } from "./LobbyBlock.tsx";
import { OrderBar, usePicksQuote, type Picks } from "./OrderBar.tsx";
import { TicketTypeRow } from "./TicketTypeRow.tsx";
import { hasWaitlist, WaitlistBlock } from "./WaitlistBlock.tsx";

type Showing = Outputs["event"]["get"]["showings"][number];

interface Props {
  eventId: number;
  eventName: string;
  showing: Showing;
  signedIn: boolean;
  onSaleStarts: () => void;
  /** Show the showing's lobby, if it has one, and hold the picker back until the student's turn (the event page). */
  lobbyAware?: boolean;
}

/** "Up to 4 per person. You have 2 in your cart and 1 already, so you can add 1 more.", from the server's counts. */
function limitText(showing: Showing): string {
  const mine = showing.allowance;
  if (!mine || mine.inCart + mine.owned === 0) return `Up to ${showing.orderLimit} tickets per person.`;
  const have = [mine.inCart ? `${mine.inCart} in your cart` : "", mine.owned ? `${mine.owned} already` : ""].filter(Boolean);
  return `Up to ${mine.limit} per person. You have ${have.join(" and ")}, so you can add ${mine.remaining} more.`;
}

export function ShowingTickets({ eventId, eventName, showing, signedIn, onSaleStarts, lobbyAware = true }: Props) {
  const [picks, setPicks] = useState<Picks>({});
  const [result, setResult] = useState<{ tone: "success" | "danger"; text: string; lobbyPath?: string | null } | null>(null);
  // Only a showing whose officers set up a lobby is asked about it; the summary here is refreshed slowly, the lobby
  // page is live.
  const lobby = useLobbyStatus(showing.id, { enabled: lobbyAware && showing.hasLobby, minPollMs: 10_000 });
  const lobbyStatus = lobbyAware ? lobby.status : null;
  // The drop, a turn or sold out change what is on sale: the event is read again when the lobby moves on.
  const moment = lobbyStatus ? `${lobbyStatus.phase}:${lobbyStatus.you?.state ?? ""}` : null;
  const seen = useRef(moment);
  useEffect(() => {
    if (seen.current === moment) return;
    seen.current = moment;
    onSaleStarts();
  }, [moment, onSaleStarts]);
  // The server's gate says whether this student may buy now (their turn, or a waitlist offer).
  const waitForTurn = lobbyStatus !== null && !lobbyStatus.mayBuy;

  const onSale = showing.saleStatus === "ON_SALE" && !waitForTurn;
  // Signed out: the showing's own limit; signed in: what the server says is left for this person.
  const allowance = showing.allowance?.remaining ?? showing.orderLimit;
  const picked = Object.values(picks).reduce((a, b) => a + b, 0);
  const totalAvailable = showing.types.reduce((n, t) => n + t.available, 0);
  const quote = usePicksQuote(showing.id, picks, signedIn && onSale);

  const headingId = `showing-${showing.id}`;
  return (
    <section className="card card-padded showing-panel" aria-labelledby={headingId} id={`showing-panel-${showing.id}`}>
      <div className="showing-panel-head">
        <div className="stack-sm">
          <h2 id={headingId} className="showing-panel-title">
            {formatShowingTime(showing.startTime, showing.endTime)}
          </h2>
          {showing.location && <p className="muted">{showing.location}</p>}
        </div>
        <SaleBadge status={showing.saleStatus} available={totalAvailable} />
      </div>

      {showing.saleStatus === "NOT_YET" && showing.dropTime && (
        <div className="drop-banner">
          <p>Tickets go on sale in</p>
          <p className="drop-banner-time">
            <Countdown to={showing.dropTime} onDone={onSaleStarts} doneText="a moment…" />
          </p>
          <p className="small">
            {new Date(showing.dropTime).toLocaleString("en-US", { weekday: "long", month: "long", day: "numeric", hour: "numeric", minute: "2-digit" })}
          </p>
        </div>
      )}
      {lobbyStatus && <LobbyBlock eventId={eventId} status={lobbyStatus} signedIn={signedIn} />}
      {showing.saleStatus === "ENDED" && <Alert tone="info">This showing has ended; its tickets are no longer sold.</Alert>}
      {showing.saleStatus === "CLOSED" && <Alert tone="info">Tickets for this showing are not on sale.</Alert>}
      {showing.saleStatus === "PAUSED" && (
        <Alert tone="warning">Sales for this showing are paused right now. Check back later.</Alert>
      )}
      {showing.saleStatus === "CANCELLED" && (
        <Alert tone="danger">
          This showing has been cancelled{showing.cancelReason ? `: ${showing.cancelReason}` : "."} Ticket holders have been
          refunded and e-mailed.
        </Alert>
      )}

      {showing.types.length === 0 ? (
        <p className="muted">No tickets are listed for this showing yet.</p>
      ) : (
        <ul className="plain type-list" aria-label={`Ticket types for ${eventName}`}>
          {showing.types.map((type) => (
            <TicketTypeRow
              key={type.type}
              type={type}
              value={picks[type.type] ?? 0}
              max={Math.min(type.available, allowance - picked + (picks[type.type] ?? 0))}
              priced={quote?.lines.find((l) => l.type === type.type) ?? null}
              onSale={onSale}
              disabled={!onSale || !signedIn}
              onChange={(value) => {
                setResult(null);
                setPicks((p) => ({ ...p, [type.type]: value }));
              }}
            />
          ))}
        </ul>
      )}

      {onSale && showing.types.length > 0 && (
        <OrderBar
          eventId={eventId}
          showingId={showing.id}
          limitText={limitText(showing)}
          picks={picks}
          picked={picked}
          quote={quote}
          signedIn={signedIn}
          onAdded={(text) => {
            setResult({ tone: "success", text });
            setPicks({});
          }}
          onRefused={(text, lobbyPath) => setResult({ tone: "danger", text, lobbyPath })}
        />
      )}

      {result && (
        <Alert
          tone={result.tone}
          onDismiss={() => setResult(null)}
          actions={
            result.tone === "success" ? (
              <ButtonLink to="/cart" size="sm">Go to cart and check out</ButtonLink>
            ) : result.lobbyPath ? (
              <ButtonLink to={result.lobbyPath} size="sm">Go to the lobby</ButtonLink>
            ) : undefined
          }
        >
          {result.text}
        </Alert>
      )}
      {hasWaitlist(showing) && <WaitlistBlock showing={showing} signedIn={signedIn} allowance={allowance} />}
      {onSale && signedIn && allowance === 0 && (
        <p className="small">
          <Badge tone="warning">Limit reached</Badge> You have the most tickets one person can get for this showing.{" "}
          {(showing.allowance?.inCart ?? 0) > 0 && <Link to="/cart">See your cart</Link>}
        </p>
      )}
    </section>
  );
}
