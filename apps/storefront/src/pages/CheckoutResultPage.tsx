import { paymentOutcomeSchema } from "@admit/validators";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, type ReactNode } from "react";
import { Link, useSearchParams } from "react-router";
import { useTRPC } from "../lib/trpc.ts";
import { Alert, type AlertTone, ButtonLink, Card, PageHeader } from "../ui/index.ts";

type Outcome = "paid" | "free" | "declined" | "cancelled" | "error" | "review" | "expired" | "refund";

interface Story {
  title: string;
  tone: AlertTone;
  summary: string;
  next: ReactNode[];
  primary: { to: string; label: string };
  secondary?: { to: string; label: string };
}

const seeMyTickets = { to: "/tickets", label: "See my tickets" };
const backToCart = { to: "/cart", label: "Back to my cart" };

/** Paid or free, once the tickets are issued what comes next is the same. */
const ticketsIssued: Pick<Story, "next" | "primary" | "secondary"> = {
  next: ["Open a ticket to show its QR code at the door.", "Add the showing to your calendar from the ticket page."],
  primary: seeMyTickets,
  secondary: { to: "/", label: "Find more events" },
};

const stories: Record<Outcome, Story> = {
  paid: {
    title: "You're going!",
    tone: "success",
    summary: "Your payment went through and your tickets are ready. We've e-mailed you a receipt with your QR codes.",
    ...ticketsIssued,
  },
  free: {
    title: "Your tickets are ready",
    tone: "success",
    summary: "Your free tickets are yours. We've e-mailed you a receipt with your QR codes too.",
    ...ticketsIssued,
  },
  declined: {
    title: "Your card was declined",
    tone: "danger",
    summary: "You were not charged. The tickets are still in your cart, but they are no longer held for you, so others can buy them.",
    next: ["Check the card number, expiry date and security code, or use another card.", "Check out again from your cart."],
    primary: backToCart,
  },
  cancelled: {
    title: "Payment cancelled",
    tone: "info",
    summary: "You cancelled the payment, so you were not charged. Your tickets are still in your cart.",
    next: ["Check out again whenever you're ready; tickets sell on a first-come basis."],
    primary: backToCart,
    secondary: { to: "/", label: "Browse events" },
  },
  error: {
    title: "The payment didn't go through",
    tone: "danger",
    summary: "The payment page ran into a problem and did not charge you. Your tickets are still in your cart.",
    next: ["Wait a minute, then check out again.", "If it keeps happening, try another card or browser."],
    primary: backToCart,
  },
  review: {
    title: "Your payment is being reviewed",
    tone: "warning",
    summary: "Your bank has asked to review this payment before it completes. You don't need to pay again.",
    next: [
      "If it is approved, your tickets appear in My tickets and we e-mail you.",
      "If it is refused, you won't be charged and your tickets go back on sale.",
    ],
    primary: seeMyTickets,
  },
  expired: {
    title: "Your hold ran out",
    tone: "warning",
    summary: "The payment did not finish before your hold on the tickets ended, so this attempt was closed and you were not charged.",
    next: ["Your tickets may still be in your cart: check out again to start a new payment."],
    primary: backToCart,
  },
  refund: {
    title: "You'll get your money back",
    tone: "warning",
    summary:
      "Your payment arrived after the tickets had sold out, so we couldn't issue them. The full amount is owed back to you; there's nothing you need to do.",
    next: [
      "Your order's page says where the refund is: on its way to your card, or waiting for the club to send it through the payment processor.",
      "We've e-mailed you the details, and we'll e-mail you again when a refund the club sends by hand is done.",
    ],
    primary: { to: "/", label: "Find other events" },
  },
};

/** Outcomes that leave an order behind (tickets, or a payment being refunded). */
const ORDERED: Outcome[] = ["paid", "free", "refund"];

/**
 * The order this checkout made: a free checkout names it; a paid one is found among the newest orders by the payment
 * reference CyberSource sent back. Nothing shows while it is unknown.
 */
function NewOrderLink({ orderId, reference }: { orderId: string | null; reference: string | null }) {
  const trpc = useTRPC();
  const recent = useQuery({ ...trpc.order.list.queryOptions({ limit: 10 }), enabled: !orderId && reference !== null });
  const id = orderId ?? recent.data?.find((order) => order.reference === reference)?.id;
  if (!id) return null;
  return (
    <p>
      <Link to={`/orders/${id}`}>View your order and receipt</Link>
    </p>
  );
}

function readOutcome(value: string | null): Outcome | null {
  if (value === "free") return "free";
  const parsed = paymentOutcomeSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

export function CheckoutResultPage() {
  const [params] = useSearchParams();
  const outcome = readOutcome(params.get("outcome"));
  const reference = params.get("reference");
  const orderId = params.get("order");
  const queryClient = useQueryClient();

  useEffect(() => {
    // Tickets, cart and availability all changed on the server while the student was on the payment page.
    void queryClient.invalidateQueries();
  }, [queryClient]);

  if (!outcome) {
    return (
      <>
        <PageHeader title="Checkout" />
        <Alert tone="info" title="We couldn't tell how this checkout ended">
          Check My tickets to see what you have, or your cart for what is still waiting.
        </Alert>
        <div className="row result-actions">
          <ButtonLink to="/tickets">See my tickets</ButtonLink>
          <ButtonLink to="/cart" variant="secondary">
            Go to my cart
          </ButtonLink>
        </div>
      </>
    );
  }

  const story = stories[outcome];
  return (
    <>
      <PageHeader title={story.title} />
      <Card className="result-card">
        <div className="stack">
          <Alert tone={story.tone}>{story.summary}</Alert>
          <div>
            <h2 className="result-next-title">What to do next</h2>
            <ul className="result-next">
              {story.next.map((item, index) => (
                <li key={index}>{item}</li>
              ))}
            </ul>
          </div>
          {reference && (
            <p className="small muted">
              Payment reference: <span className="mono">{reference}</span>
            </p>
          )}
          {ORDERED.includes(outcome) && <NewOrderLink orderId={orderId} reference={reference} />}
          <div className="row result-actions">
            <ButtonLink to={story.primary.to}>{story.primary.label}</ButtonLink>
            {story.secondary && (
              <ButtonLink to={story.secondary.to} variant="secondary">
                {story.secondary.label}
              </ButtonLink>
            )}
          </div>
        </div>
      </Card>
    </>
  );
}
