import { renderEmail } from "../mail/layout.ts";
import type { OutgoingMessage } from "../mail/outbox.ts";
import { formatShowingTime } from "../orders/showing-time.ts";

interface Person {
  fullName: string;
  username: string;
  email: string;
}

export interface TransferMail {
  transferId: number;
  ticketId: string;
  type: string;
  eventName: string;
  start: Date;
  end: Date;
  location: string | null;
  /** The club's zone (time-zone.ts), so the time reads as it does on the club's posters. */
  timeZone: string;
  sender: Person;
  receiver: Person;
}

/** One message to each side of a transfer; the receiver's carries the new QR code inline. */
export function transferMessages(t: TransferMail): OutgoingMessage[] {
  const when = formatShowingTime(t.start, t.end, t.timeZone);
  const where = t.location ? [`Where: ${t.location}`] : [];
  const cid = `qr-${t.ticketId}`;
  const toSender = renderEmail({
    title: `You transferred your ticket to ${t.eventName}`,
    paragraphs: [
      `Hi ${t.sender.fullName}, you transferred your ${t.type} ticket to ${t.eventName} to ${t.receiver.fullName} (${t.receiver.username}).`,
      `When: ${when}`,
      ...where,
      "Your copy of the QR code no longer works at the door. If you did not do this, contact the club right away.",
    ],
  });
  const toReceiver = renderEmail({
    title: `${t.sender.fullName} sent you a ticket to ${t.eventName}`,
    paragraphs: [
      `Hi ${t.receiver.fullName}, ${t.sender.fullName} (${t.sender.username}) transferred a ${t.type} ticket to ${t.eventName} to you.`,
      `When: ${when}`,
      ...where,
      "Show the QR code below at the door. It is yours alone: do not share it.",
    ],
    images: [{ cid, alt: `QR code for ticket ${t.ticketId}`, caption: `Ticket ${t.ticketId}` }],
  });
  return [
    {
      to: t.sender.email,
      subject: `You transferred your ticket to ${t.eventName}`,
      ...toSender,
      dedupeKey: `transfer:${t.transferId}:sender`,
    },
    {
      to: t.receiver.email,
      subject: `${t.sender.fullName} sent you a ticket to ${t.eventName}`,
      ...toReceiver,
      attachments: [{ filename: `ticket-${t.ticketId}.png`, qrTicketId: t.ticketId, cid }],
      dedupeKey: `transfer:${t.transferId}:receiver`,
    },
  ];
}
