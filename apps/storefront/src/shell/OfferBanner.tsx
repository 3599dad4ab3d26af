import { useQuery } from "@tanstack/react-query";
import { useLocation } from "react-router";
import { formatTime, plural } from "../lib/format.ts";
import { useSession } from "../lib/session.ts";
import { useTRPC } from "../lib/trpc.ts";
import { Alert, ButtonLink } from "../ui/index.ts";

/**
 * "Tickets held for you until 8:12 PM": a waitlist offer puts tickets in the student's cart and holds them for a
 * while. Shown on every page while one is open, from one answer listing the student's waitlist places.
 */
export function OfferBanner() {
  const trpc = useTRPC();
  const { isSignedIn } = useSession();
  const { pathname } = useLocation();
  const places = useQuery({ ...trpc.waitlist.mine.queryOptions(), enabled: isSignedIn, staleTime: 15_000, refetchInterval: 60_000 });
  const offers = (places.data ?? []).flatMap((place) =>
    // An offer whose time is up is gone even before the server's next round marks it so.
    place.state === "OFFERED" && place.offer && new Date(place.offer.expiresAt).getTime() > Date.now()
      ? [{ showingId: place.showingId, eventName: place.eventName, ...place.offer }]
      : [],
  );
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
