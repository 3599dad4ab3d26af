import type { Outputs } from "../../lib/api-types.ts";
import { isFree } from "../../lib/format.ts";
import type { Tone } from "../../ui/index.ts";

export type Order = Outputs["order"]["get"];
type OrderTicket = Order["tickets"][number];
type OrderRefund = Order["refunds"][number];

/**
 * The order's status (decided by the server) in words; a free order that stands is confirmed rather than paid. A
 * refund the club still has to make by hand, or one still on its way, is not called refunded: the money is not back.
 */
export function statusWords(order: Pick<Order, "status" | "total" | "refunds">): { label: string; tone: Tone } {
  const states = new Set(order.refunds.map((refund) => refund.state));
  const underway = states.has("waiting_for_club") ? "waiting for the club" : states.has("pending") || states.has("failing") ? "on its way" : null;
  switch (order.status) {
    case "paid":
      return isFree(order.total) ? { label: "Confirmed", tone: "success" } : { label: "Paid", tone: "success" };
    case "partly_refunded":
      return underway ? { label: `Partial refund ${underway}`, tone: "warning" } : { label: "Partly refunded", tone: "warning" };
    case "refunded":
      return underway ? { label: `Refund ${underway}`, tone: "warning" } : { label: "Refunded", tone: "info" };
    case "cancelled":
      return { label: "Cancelled", tone: "neutral" };
  }
}

/** What is happening to a refund, said plainly: the student should know whether to wait, and for whom. */
export function refundWords(refund: Pick<OrderRefund, "state">): { label: string; tone: Tone; detail: string } {
  switch (refund.state) {
    case "pending":
      return {
        label: "On its way",
        tone: "info",
        detail: "Sent back to your card through the payment processor. It usually shows on your statement within 5–10 business days.",
      };
    case "failing":
      return {
        label: "Delayed, retrying",
        tone: "warning",
        detail: "The payment processor has not accepted this refund yet. We keep trying automatically; you don't need to do anything.",
      };
    case "waiting_for_club":
      return {
        label: "Waiting for the club",
        tone: "warning",
        detail: "The club is refunding this by hand through the payment processor. We'll e-mail you when it's done.",
      };
    case "refunded":
      return { label: "Refunded", tone: "success", detail: "The money has been sent back to your card." };
  }
}

/** Where a ticket of the order stands now. */
export function ticketWords(ticket: Pick<OrderTicket, "voided" | "void_reason" | "current">): { label: string; tone: Tone } {
  if (ticket.voided) {
    if (ticket.void_reason === "returned") return { label: "Returned", tone: "neutral" };
    if (ticket.void_reason === "cancelled") return { label: "Showing cancelled", tone: "neutral" };
    if (ticket.void_reason === "resold") return { label: "Sold on the exchange", tone: "neutral" };
    return { label: "Refunded", tone: "neutral" };
  }
  return ticket.current ? { label: "Valid", tone: "success" } : { label: "Transferred", tone: "neutral" };
}

/** "Winter Concert" or "Winter Concert and 1 more event". */
export function eventsOf(order: Pick<Order, "lines">): string {
  const names = [...new Set(order.lines.map((line) => line.event.name))];
  const [first = "Order"] = names;
  return names.length > 1 ? `${first} and ${names.length - 1} more ${names.length === 2 ? "event" : "events"}` : first;
}
