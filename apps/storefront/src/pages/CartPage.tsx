import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router";
import { dismissCartNotice, useCartNotices } from "../lib/cart-notices.ts";
import { errorMessage, lobbyPathOf } from "../lib/errors.ts";
import { formatShowingTime, plural } from "../lib/format.ts";
import { useTRPC } from "../lib/trpc.ts";
import { Alert, ButtonLink, Card, EmptyState, ErrorState, PageHeader, SkeletonList, useAnnounce } from "../ui/index.ts";
import { CartLineRow } from "./cart/CartLineRow.tsx";
import { CheckoutPanel } from "./cart/CheckoutPanel.tsx";
import { groupCart } from "./cart/lines.ts";

export function CartPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const announce = useAnnounce();
  // Every visit asks again: the answer swaps out tickets others bought and reports what sold out.
  const cart = useQuery({ ...trpc.cart.get.queryOptions(), refetchOnMount: "always" });
  const notices = useCartNotices();
  const [error, setError] = useState<{ text: string; lobbyPath: string | null } | null>(null);

  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.cart.get.queryKey() });
  const onError = (e: unknown) => setError({ text: errorMessage(e), lobbyPath: lobbyPathOf(e) });
  const add = useMutation(trpc.cart.add.mutationOptions({ onSettled: refresh, onError }));
  const remove = useMutation(trpc.cart.remove.mutationOptions({ onSettled: refresh, onError }));
  const busy = add.isPending || remove.isPending;

  const change = (showingId: number, type: string, from: number, to: number) => {
    setError(null);
    if (to === from) return;
    const quantities = [{ type, count: Math.abs(to - from) }];
    const options = {
      onSuccess: () =>
        announce(to === 0 ? `${type} tickets removed from your cart.` : `${plural(to, `${type} ticket`)} in your cart now.`),
    };
    if (to > from) add.mutate({ showingId, quantities }, options);
    else remove.mutate({ showingId, quantities }, options);
  };

  return (
    <>
      <PageHeader title="Your cart" description="Tickets are only yours once you check out. Until then, others can still buy them." />
      <div className="stack">
        {notices.map((notice) => (
          <Alert key={notice.id} tone="warning" title="Sold out" onDismiss={() => dismissCartNotice(notice.id)}>
            {notice.text}
          </Alert>
        ))}
        {error && (
          <Alert
            tone="danger"
            onDismiss={() => setError(null)}
            actions={error.lobbyPath ? <ButtonLink to={error.lobbyPath} size="sm">Go to the lobby</ButtonLink> : undefined}
          >
            {error.text}
          </Alert>
        )}
        {cart.isPending ? (
          <SkeletonList count={2} height="9rem" label="Loading your cart" />
        ) : cart.isError ? (
          <ErrorState error={cart.error} onRetry={() => void cart.refetch()} title="Your cart didn't load" />
        ) : cart.data.tickets.length === 0 ? (
          <EmptyState icon="cart" title="Your cart is empty" action={<ButtonLink to="/">Find events</ButtonLink>}>
            Pick tickets on an event's page and they'll wait for you here.
          </EmptyState>
        ) : (
          <div className="split">
            <div className="stack">
              {groupCart(cart.data).map((group) => (
                <Card key={group.showingId} as="article" aria-labelledby={`cart-showing-${group.showingId}`}>
                  <div className="stack-sm cart-group-head">
                    <p className="small muted">{group.clubName}</p>
                    <h2 className="cart-group-title" id={`cart-showing-${group.showingId}`}>
                      <Link to={`/events/${group.eventId}?showing=${group.showingId}`}>{group.eventName}</Link>
                    </h2>
                    <p className="small">
                      {formatShowingTime(group.start, group.end)}
                      {group.location ? ` · ${group.location}` : ""}
                    </p>
                  </div>
                  <ul className="plain cart-lines">
                    {group.lines.map((line) => (
                      <CartLineRow
                        key={line.type}
                        line={line}
                        canAddMore={group.remaining > 0}
                        busy={busy}
                        onChange={(count) => change(group.showingId, line.type, line.count, count)}
                      />
                    ))}
                  </ul>
                </Card>
              ))}
            </div>
            <CheckoutPanel cart={cart.data} onCartChanged={refresh} />
          </div>
        )}
      </div>
    </>
  );
}
