import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useNavigate } from "react-router";
import type { Outputs } from "../../lib/api-types.ts";
import { appCodeOf, errorMessage, lobbyPathOf } from "../../lib/errors.ts";
import { formatUsd, isFree, plural } from "../../lib/format.ts";
import { useTRPC } from "../../lib/trpc.ts";
import { Alert, Button, ButtonLink, Card, Countdown, useAnnounce } from "../../ui/index.ts";
import { PaymentRedirect, type PaymentForm } from "./PaymentRedirect.tsx";

type Cart = Outputs["cart"]["get"];

export function CheckoutPanel({ cart, onCartChanged }: { cart: Cart; onCartChanged: () => Promise<void> }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const announce = useAnnounce();
  const [error, setError] = useState<{ text: string; lobbyPath: string | null } | null>(null);
  const [holdEnded, setHoldEnded] = useState(false);
  const [payment, setPayment] = useState<PaymentForm | null>(null);

  // Coming back with the browser's Back button from the payment page restores this page as it was left: ready again.
  useEffect(() => {
    const onPageShow = (event: PageTransitionEvent) => {
      if (event.persisted) setPayment(null);
    };
    window.addEventListener("pageshow", onPageShow);
    return () => window.removeEventListener("pageshow", onPageShow);
  }, []);

  const free = isFree(cart.total);

  const checkout = useMutation(
    trpc.checkout.start.mutationOptions({
      onSuccess: async (result) => {
        if (result.sold_free_tickets) {
          await queryClient.invalidateQueries();
          await navigate(`/checkout/result?outcome=free${result.order_id ? `&order=${encodeURIComponent(result.order_id)}` : ""}`);
          return;
        }
        if (result.cybersource_url && result.payment_params) {
          announce("Taking you to the secure payment page.");
          setPayment({ url: result.cybersource_url, params: result.payment_params });
        }
      },
      onError: async (e) => {
        setError({ text: errorMessage(e), lobbyPath: lobbyPathOf(e) });
        if (appCodeOf(e) === "CART_STALE" || appCodeOf(e) === "CART_EMPTY") await onCartChanged();
      },
    }),
  );

  const pending = cart.hold_expires_at !== null;
  return (
    <aside className="split-sticky" aria-labelledby="summary-title">
      <Card>
        <h2 className="card-title" id="summary-title">
          Order summary
        </h2>
        <dl className="summary">
          <div>
            <dt>{plural(cart.tickets.length, "ticket")}</dt>
            <dd>{formatUsd(cart.list_total)}</dd>
          </div>
          {!isFree(cart.discount) && (
            <div className="summary-savings">
              <dt>Group discounts</dt>
              <dd>−{formatUsd(cart.discount)}</dd>
            </div>
          )}
          <div className="summary-total">
            <dt>Total</dt>
            <dd>{free ? "Free" : formatUsd(cart.total)}</dd>
          </div>
        </dl>

        {pending && cart.hold_expires_at && (
          <div className="hold-box" role="status">
            <p>
              Your tickets are held for you for{" "}
              <Countdown
                to={cart.hold_expires_at}
                style="clock"
                onDone={() => {
                  setHoldEnded(true);
                  announce("Your hold has ended. Check out again to pay.");
                  void onCartChanged();
                }}
              />
            </p>
            <p className="small">Finish paying before the time runs out, or the tickets go back on sale.</p>
          </div>
        )}
        {holdEnded && !pending && (
          <Alert tone="warning">Your hold ended before the payment finished. Your tickets are still in your cart; check out again.</Alert>
        )}
        {error && (
          <Alert
            tone="danger"
            onDismiss={() => setError(null)}
            actions={error.lobbyPath ? <ButtonLink to={error.lobbyPath} size="sm">Go to the lobby</ButtonLink> : undefined}
          >
            {error.text}
          </Alert>
        )}

        <Button
          size="lg"
          block
          busy={checkout.isPending || payment !== null}
          onClick={() => {
            setError(null);
            checkout.mutate();
          }}
        >
          {free ? "Get my free tickets" : pending ? `Continue to payment · ${formatUsd(cart.total)}` : `Check out · ${formatUsd(cart.total)}`}
        </Button>
        <p className="small muted checkout-note">
          {free
            ? "Free tickets are yours as soon as you confirm."
            : "You'll pay on the secure card page, then come straight back here. While you pay, your tickets are kept aside for you; this page shows how long."}
        </p>
      </Card>
      {payment && <PaymentRedirect form={payment} />}
    </aside>
  );
}
