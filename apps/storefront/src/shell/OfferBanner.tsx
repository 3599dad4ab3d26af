import { useQueries, useQuery } from "@tanstack/react-query";
import { useLocation } from "react-router";
import { formatTime, plural } from "../lib/format.ts";
import { useSession } from "../lib/session.ts";
import { useTRPC } from "../lib/trpc.ts";
import { Alert, ButtonLink } from "../ui/index.ts";

/**
 * "Tickets held for you until 8:12 PM": a waitlist offer puts tickets in the student's cart and holds them for a
 * while. Shown on every page while one is open, from the waitlist's answer for each showing in the cart.
 */
export function OfferBanner() {
  const trpc = useTRPC();
  const { isSignedIn } = useSession();
  const { pathname } = useLocation();
  const cart = useQuery({ ...trpc.cart.get.queryOptions(), enabled: isSignedIn });
  const showingIds = isSignedIn ? [...new Set((cart.data?.tickets ?? []).map((t) => t.showing.id))] : [];
  const statuses = useQueries({
    queries: showingIds.map((showingId) => ({ ...trpc.waitlist.status.queryOptions({ showingId }), staleTime: 15_000, refetchInterval: 60_000 })),
  });
  const offers = statuses.flatMap((s) => {
    const offer = s.data?.you?.state === "OFFERED" ? s.data.you.offer : null;
    if (!offer || new Date(offer.expiresAt).getTime() <= Date.now()) return [];
    const ticket = cart.data?.tickets.find((t) => t.showing.id === s.data?.showingId);
    return [{ showingId: s.data?.showingId ?? 0, eventName: ticket?.event.name ?? "your event", ...offer }];
  });
  if (offers.length === 0) return null;
  return (
    <div className="offer-banner stack-sm">
      {offers.map((offer) => (
        <Alert
          key={offer.showingId}
          tone="success"
          title={`Tickets held for you until ${formatTime(offer.expiresAt)}`}
          actions={pathname === "/cart" ? undefined : <ButtonLink to="/cart" size="sm">Check out now</ButtonLink>}
        >
          From the waitlist: {plural(offer.count, "ticket")} for {offer.eventName} {offer.count === 1 ? "is" : "are"} in your cart, kept
          for you alone until then. After that they go to the next person in line.
        </Alert>
      ))}
    </div>
  );
}
