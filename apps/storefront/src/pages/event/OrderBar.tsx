import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useLocation } from "react-router";
import type { Outputs } from "../../lib/api-types.ts";
import { errorMessage, lobbyPathOf } from "../../lib/errors.ts";
import { formatPrice, plural } from "../../lib/format.ts";
import { useTRPC } from "../../lib/trpc.ts";
import { Button, ButtonLink, useAnnounce } from "../../ui/index.ts";

/** How many of each type the student has picked. */
export type Picks = Record<string, number>;

export type PicksQuote = Outputs["cart"]["quote"];

const chosen = (picks: Picks) =>
  Object.entries(picks)
    .filter(([, count]) => count > 0)
    .map(([type, count]) => ({ type, count }));

/**
 * The server's price for the picks, their group discount reached together with the cart's tickets (the browser does
 * no arithmetic on money). The last answer stays on screen while the next one is asked for.
 */
export function usePicksQuote(showingId: number, picks: Picks, enabled: boolean): PicksQuote | undefined {
  const trpc = useTRPC();
  const quantities = chosen(picks);
  const quote = useQuery({
    ...trpc.cart.quote.queryOptions({ showingId, quantities }),
    enabled: enabled && quantities.length > 0,
    placeholderData: keepPreviousData,
  });
  return quantities.length > 0 ? quote.data : undefined;
}

interface Props {
  eventId: number;
  showingId: number;
  limitText: string;
  picks: Picks;
  picked: number;
  quote: PicksQuote | undefined;
  signedIn: boolean;
  onAdded: (text: string) => void;
  /** A refusal, with the lobby to go to when the drop runs through one. */
  onRefused: (text: string, lobbyPath: string | null) => void;
}

export function OrderBar({ eventId, showingId, limitText, picks, picked, quote, signedIn, onAdded, onRefused }: Props) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const announce = useAnnounce();
  const location = useLocation();

  const add = useMutation(
    trpc.cart.add.mutationOptions({
      onSuccess: async (res) => {
        const text = `${plural(res.count, "ticket")} added to your cart.`;
        onAdded(text);
        announce(text);
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.cart.get.queryKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.event.get.queryKey({ eventId }) }),
        ]);
      },
      onError: (error) => onRefused(errorMessage(error), lobbyPathOf(error)),
    }),
  );

  return (
    <div className="order-bar">
      <p className="small muted">{limitText}</p>
      {signedIn ? (
        <div className="order-bar-actions">
          <p className="order-estimate" aria-live="polite">
            {picked > 0 ? (
              <>
                {plural(picked, "ticket")}
                {quote && (
                  <>
                    {" "}
                    · <strong>{formatPrice(quote.total)}</strong>
                  </>
                )}
              </>
            ) : (
              "Choose how many tickets you want"
            )}
          </p>
          <Button
            onClick={() => add.mutate({ showingId, eventId, quantities: chosen(picks) })}
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
  );
}
