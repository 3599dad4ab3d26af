import type { Prisma } from "@admit/db";
import { renderEmail } from "../mail/layout.ts";
import type { OutgoingMessage } from "../mail/outbox.ts";
import { formatMoney } from "../money.ts";
import type { OrderLineRecord } from "./lines.ts";
import { formatShowingTime } from "./showing-time.ts";

export interface ReceiptShowing {
  eventName: string;
  startTime: Date;
  endTime: Date;
  location: string | null;
  /** The showing's club's zone (time-zone.ts): an order spanning clubs writes each line in its own club's. */
  timeZone: string;
}

export interface Receipt {
  orderId: string;
  reference: string;
  total: Prisma.Decimal;
  currency: string;
  buyer: { email: string; fullName: string };
  /** The card payment (CyberSource's transaction id when known); null for a free order. */
  payment: { transactionId: string | null } | null;
  lines: Array<OrderLineRecord & { showing: ReceiptShowing }>;
  tickets: Array<{ id: string; type: string; eventName: string }>;
  publicUrl: string;
}

const money = (amount: Prisma.Decimal, currency: string) => (currency === "USD" ? `$${formatMoney(amount)}` : `${formatMoney(amount)} ${currency}`);

function lineText(line: Receipt["lines"][number], currency: string): string {
  const { showing } = line;
  const when = formatShowingTime(showing.startTime, showing.endTime, showing.timeZone);
  const where = showing.location ? `, ${showing.location}` : "";
  const discount = line.discount.isZero() ? "" : ` (group discount ${money(line.discount, currency)})`;
  return `${showing.eventName}, ${when}${where}: ${line.count} × ${line.type} at ${money(line.unitPrice, currency)} = ${money(line.amount, currency)}${discount}`;
}

function eventsOf(receipt: Receipt): string {
  const names = [...new Set(receipt.lines.map((line) => line.showing.eventName))];
  const [first = "your order"] = names;
  return names.length > 1 ? `${first} and ${names.length - 1} more` : first;
}

/**
 * One message per order: what was bought, line by line, the total, how it was paid, and every ticket's QR code
 * inline (drawn at send time, so the code is the ticket's current one). Sent once per order (dedupe key).
 */
export function receiptMessage(receipt: Receipt): OutgoingMessage {
  const { currency } = receipt;
  const paidBy = receipt.payment
    ? [
        `Paid by card: ${money(receipt.total, currency)}. Reference number: ${receipt.reference}.` +
          (receipt.payment.transactionId ? ` CyberSource transaction id: ${receipt.payment.transactionId}.` : ""),
      ]
    : [`Nothing to pay. Order reference: ${receipt.reference}.`];
  const count = receipt.tickets.length;
  const { text, html } = renderEmail({
    title: `Your receipt for ${eventsOf(receipt)}`,
    paragraphs: [
      `Hi ${receipt.buyer.fullName}, thank you for your order. ${count === 1 ? "Here is your ticket." : `Here are your ${count} tickets.`}`,
      ...receipt.lines.map((line) => lineText(line, currency)),
      `Total: ${money(receipt.total, currency)}`,
      ...paidBy,
      `Show each ticket's QR code at the door. ${count === 1 ? "It is" : "They are"} yours alone: do not share ${count === 1 ? "it" : "them"}.`,
    ],
    images: receipt.tickets.map((ticket) => ({
      cid: `qr-${ticket.id}`,
      alt: `QR code for ticket ${ticket.id}`,
      caption: `${ticket.eventName}, ${ticket.type}: ticket ${ticket.id}`,
    })),
    action: { label: "View your order", url: `${receipt.publicUrl}/orders/${receipt.orderId}` },
  });
  return {
    to: receipt.buyer.email,
    subject: `Your receipt for ${eventsOf(receipt)}`,
    text,
    html,
    attachments: receipt.tickets.map((ticket) => ({ filename: `ticket-${ticket.id}.png`, qrTicketId: ticket.id, cid: `qr-${ticket.id}` })),
    dedupeKey: `receipt:${receipt.orderId}`,
  };
}
