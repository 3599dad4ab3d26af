import type { Prisma } from "@admit/db";
import { renderEmail } from "../mail/layout.ts";
import { enqueueMail, type OutgoingMessage } from "../mail/outbox.ts";
import { formatMoney } from "../money.ts";
import type { VoidReason } from "./void.ts";

type Tx = Prisma.TransactionClient;

export interface NoticeTicket {
  id: string;
  type: string;
  eventName: string;
  /** Whoever holds the ticket now (the buyer, or someone it was transferred to). */
  owner: { id: string; email: string; fullName: string } | null;
}

export interface RefundNoticeFacts {
  /** Dedupe keys hang off this: the refund's id, or the request's idempotency key when nothing is paid back. */
  key: string;
  orderId: string;
  orderReference: string;
  clubName: string;
  buyer: { id: string; email: string; fullName: string };
  amount: Prisma.Decimal | null;
  /** How the money goes back: sent through CyberSource (automatic) or refunded by hand by the club (manual). */
  mode: "automatic" | "manual";
  reason: string;
  voidReason: VoidReason;
  tickets: NoticeTicket[];
}

const WHAT_HAPPENED: Record<VoidReason, (club: string) => string> = {
  refunded: (club) => `${club} refunded`,
  returned: () => "You returned",
  cancelled: () => "The showing was cancelled for",
  resold: () => "Another student bought on the exchange",
};

function ticketList(tickets: NoticeTicket[]): string {
  const counts = new Map<string, number>();
  for (const t of tickets) counts.set(`${t.eventName} (${t.type})`, (counts.get(`${t.eventName} (${t.type})`) ?? 0) + 1);
  return [...counts].map(([name, count]) => `${count} × ${name}`).join(", ");
}

/**
 * What the buyer (and anyone holding one of the tickets) is told when money goes back or tickets are voided, queued
 * in the same transaction. It says what really happens: an automatic refund is on its way; a manual one waits for the
 * club, and a second e-mail follows when it is done.
 */
export async function queueRefundNotices(tx: Tx, facts: RefundNoticeFacts, publicUrl: string): Promise<void> {
  const messages: OutgoingMessage[] = [buyerNotice(facts, publicUrl)];
  const holders = new Map<string, { holder: Holder; tickets: NoticeTicket[] }>();
  for (const ticket of facts.tickets) {
    if (!ticket.owner || ticket.owner.id === facts.buyer.id) continue;
    const entry = holders.get(ticket.owner.id) ?? { holder: ticket.owner, tickets: [] };
    entry.tickets.push(ticket);
    holders.set(ticket.owner.id, entry);
  }
  for (const { holder, tickets } of holders.values()) messages.push(holderNotice(facts, holder, tickets, publicUrl));
  await enqueueMail(tx, messages);
}

function buyerNotice(facts: RefundNoticeFacts, publicUrl: string): OutgoingMessage {
  const paragraphs = [`Hi ${facts.buyer.fullName},`];
  if (facts.tickets.length) {
    paragraphs.push(
      `${WHAT_HAPPENED[facts.voidReason](facts.clubName)} these tickets of order ${facts.orderReference}: ${ticketList(facts.tickets)}. Their QR codes no longer admit anyone.`,
    );
  }
  paragraphs.push(`Reason: ${facts.reason}`);
  let title: string;
  if (!facts.amount) {
    title =
      facts.voidReason === "returned"
        ? "Your tickets were returned"
        : facts.voidReason === "resold"
          ? "Your ticket sold on the exchange"
          : "Your tickets were cancelled";
    paragraphs.push("These tickets were free, so there is nothing to pay back.");
  } else {
    const amount = `$${formatMoney(facts.amount)}`;
    title = facts.voidReason === "resold" ? `Your ticket sold on the exchange: refund of ${amount}` : `Your refund of ${amount}`;
    paragraphs.push(
      facts.mode === "automatic"
        ? `We are refunding ${amount} for order ${facts.orderReference} to the card you paid with. It is on its way; refunds usually show up within 5 to 10 business days.`
        : `${facts.clubName} is refunding ${amount} for order ${facts.orderReference} by hand through the payment processor. You will get another e-mail when it is done; the money then usually shows up within 5 to 10 business days.`,
    );
    paragraphs.push("If you have a question, reply to this e-mail and quote the order reference.");
  }
  const { text, html } = renderEmail({
    title,
    paragraphs,
    action: { label: "View your order", url: `${publicUrl}/orders/${facts.orderId}` },
  });
  return { to: facts.buyer.email, subject: title, text, html, dedupeKey: `refund-requested:${facts.key}` };
}

type Holder = NonNullable<NoticeTicket["owner"]>;

function holderNotice(facts: RefundNoticeFacts, holder: Holder, tickets: NoticeTicket[], publicUrl: string): OutgoingMessage {
  const events = [...new Set(tickets.map((t) => t.eventName))].join(", ");
  const cause =
    facts.voidReason === "cancelled"
      ? "its showing was cancelled"
      : facts.voidReason === "returned"
        ? "its buyer returned it"
        : `${facts.clubName} refunded it to its buyer`;
  const title = `Your ticket to ${events} is no longer valid`;
  const { text, html } = renderEmail({
    title,
    paragraphs: [
      `Hi ${holder.fullName}, ${tickets.length === 1 ? "a ticket you hold" : "tickets you hold"} (${ticketList(tickets)}) ${tickets.length === 1 ? "is" : "are"} no longer valid: ${cause}. The QR code no longer admits anyone.`,
      `Reason: ${facts.reason}`,
    ],
    action: { label: "Your tickets", url: `${publicUrl}/tickets` },
  });
  return { to: holder.email, subject: title, text, html, dedupeKey: `refund-holder:${facts.key}:${holder.id}` };
}

/** The second e-mail: the money has gone back (CyberSource accepted the refund, or an officer marked the manual one done). */
export async function queueRefundDoneNotice(
  tx: Tx,
  facts: { refundId: string; orderId: string; orderReference: string; amount: Prisma.Decimal; buyerEmail: string; buyerName: string },
  publicUrl: string,
): Promise<void> {
  const amount = `$${formatMoney(facts.amount)}`;
  const title = `Your refund of ${amount} has been sent`;
  const { text, html } = renderEmail({
    title,
    paragraphs: [
      `Hi ${facts.buyerName}, the refund of ${amount} for order ${facts.orderReference} has been sent to the card you paid with.`,
      "Card issuers usually show it within 5 to 10 business days. If it has not appeared by then, reply to this e-mail and quote the order reference.",
    ],
    action: { label: "View your order", url: `${publicUrl}/orders/${facts.orderId}` },
  });
  await enqueueMail(tx, [{ to: facts.buyerEmail, subject: title, text, html, dedupeKey: `refund-done:${facts.refundId}` }]);
}
