import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useLocation } from "react-router";
import type { Outputs } from "../../lib/api-types.ts";
import { errorMessage } from "../../lib/errors.ts";
import { formatShowingTime, formatUsd, plural, unitPriceFor } from "../../lib/format.ts";
import { useTRPC } from "../../lib/trpc.ts";
import { Alert, Badge, Button, ButtonLink, Countdown, useAnnounce } from "../../ui/index.ts";
import { SaleBadge } from "../events/SaleBadge.tsx";
import { TicketTypeRow } from "./TicketTypeRow.tsx";

type Showing = Outputs["event"]["get"]["showings"][number];

export interface HeldCounts {
  inCart: number;
  owned: number;
  inCartByType: Map<string, number>;
}

interface Props {
  eventId: number;
  eventName: string;
  showing: Showing;
  held: HeldCounts;
  signedIn: boolean;
  onSaleStarts: () => void;
}

export function ShowingTickets({ eventId, eventName, showing, held, signedIn, onSaleStarts }: Props) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const announce = useAnnounce();
  const location = useLocation();
  const [picks, setPicks] = useState<Record<string, number>>({});
  const [result, setResult] = useState<{ tone: "success" | "danger"; text: string } | null>(null);

  const onSale = showing.saleStatus === "ON_SALE";
  const allowance = Math.max(0, showing.orderLimit - held.inCart - held.owned);
  const picked = Object.values(picks).reduce((a, b) => a + b, 0);
  const totalAvailable = showing.types.reduce((n, t) => n + t.available, 0);
  const estimate = showing.types.reduce((sum, t) => {
    const count = picks[t.type] ?? 0;
    return sum + count * unitPriceFor(t.price, count + (held.inCartByType.get(t.type) ?? 0), t.groupDiscount);
  }, 0);

  const add = useMutation(
    trpc.cart.add.mutationOptions({
      onSuccess: async (res) => {
        const text = `${plural(res.count, "ticket")} added to your cart.`;
        setResult({ tone: "success", text });
        announce(text);
        setPicks({});
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.cart.get.queryKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.event.get.queryKey({ eventId }) }),
        ]);
      },
      onError: (error) => setResult({ tone: "danger", text: errorMessage(error) }),
    }),
  );

  const headingId = `showing-${showing.id}`;
  const limitText = held.inCart + held.owned > 0
    ? `Up to ${showing.orderLimit} per person. You have ${[held.inCart ? `${held.inCart} in your cart` : "", held.owned ? `${held.owned} already` : ""].filter(Boolean).join(" and ")}, so you can add ${allowance} more.`
    : `Up to ${showing.orderLimit} tickets per person.`;

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
      {showing.saleStatus === "ENDED" && <Alert tone="info">This showing has ended; its tickets are no longer sold.</Alert>}
      {showing.saleStatus === "CLOSED" && <Alert tone="info">Tickets for this showing are not on sale.</Alert>}

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
              inCart={held.inCartByType.get(type.type) ?? 0}
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
        <div className="order-bar">
          <p className="small muted">{limitText}</p>
          {signedIn ? (
            <div className="order-bar-actions">
              <p className="order-estimate" aria-live="polite">
                {picked > 0 ? (
                  <>
                    {plural(picked, "ticket")} · <strong>{estimate === 0 ? "Free" : formatUsd(estimate)}</strong>
                  </>
                ) : (
                  "Choose how many tickets you want"
                )}
              </p>
              <Button
                onClick={() =>
                  add.mutate({
                    showingId: showing.id,
                    eventId,
                    quantities: Object.entries(picks)
                      .filter(([, count]) => count > 0)
                      .map(([type, count]) => ({ type, count })),
                  })
                }
                disabled={picked === 0}
                busy={add.isPending}
              >
                Add to cart
              </Button>
            </div>
          ) : (
            <div className="order-bar-actions">
              <p className="order-estimate">Sign in to buy tickets.</p>
              <ButtonLink to={`/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`}>Sign in to buy</ButtonLink>
            </div>
          )}
        </div>
      )}

      {result && (
        <Alert
          tone={result.tone}
          onDismiss={() => setResult(null)}
          actions={result.tone === "success" ? <ButtonLink to="/cart" size="sm">Go to cart and check out</ButtonLink> : undefined}
        >
          {result.text}
        </Alert>
      )}
      {onSale && signedIn && allowance === 0 && (
        <p className="small">
          <Badge tone="warning">Limit reached</Badge> You have the most tickets one person can get for this showing.{" "}
          {held.inCart > 0 && <Link to="/cart">See your cart</Link>}
        </p>
      )}
    </section>
  );
}
