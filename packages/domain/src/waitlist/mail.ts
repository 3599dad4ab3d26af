import { renderEmail } from "../mail/layout.ts";
import type { OutgoingMessage } from "../mail/outbox.ts";
import { formatShowingTime } from "../orders/showing-time.ts";
import { formatInZone } from "../time-zone.ts";

export interface MailShowing {
  id: number;
  eventId: number;
  eventName: string;
  clubName: string;
  startTime: Date;
  endTime: Date;
  timeZone: string;
}

export interface Recipient {
  email: string;
  fullName: string;
}

const tickets = (n: number) => (n === 1 ? "1 ticket" : `${n} tickets`);

/** The offer: which tickets are held, until when (in the club's zone), and the way straight to checkout. */
export function offerMessage(
  offer: { entryId: string; offeredAt: Date; expiresAt: Date; held: number; wanted: number; type: string | null },
  showing: MailShowing,
  to: Recipient,
  publicUrl: string,
): OutgoingMessage {
  const title = `Tickets held for you: ${showing.eventName}`;
  const until = formatInZone(offer.expiresAt, showing.timeZone);
  const what = `${tickets(offer.held)}${offer.type ? ` (${offer.type})` : ""}`;
  const paragraphs = [
    `Hi ${to.fullName},`,
    `Good news from the waitlist: ${what} for ${showing.eventName} (${formatShowingTime(showing.startTime, showing.endTime, showing.timeZone)}) came free, and we are holding ${offer.held === 1 ? "it" : "them"} for you until ${until}. ${offer.held === 1 ? "It is" : "They are"} already in your cart.`,
  ];
  if (offer.held < offer.wanted) {
    paragraphs.push(`You asked for ${offer.wanted}; only ${offer.held} came free this time.`);
  }
  paragraphs.push(`Check out before ${until}; after that the tickets pass to the next person on the waitlist.`);
  const { text, html } = renderEmail({ title, paragraphs, action: { label: "Check out now", url: `${publicUrl}/cart` } });
  return { to: to.email, subject: title, text, html, dedupeKey: `waitlist-offer:${offer.entryId}:${offer.offeredAt.toISOString()}` };
}

/** "Notify me": the drop (or the lobby) is coming, with the event page and, when there is one, the lobby. */
export function reminderMessage(
  reminder: { id: string; dropTime: Date; lobbyOpensAt: Date | null },
  showing: MailShowing,
  to: Recipient,
  publicUrl: string,
): OutgoingMessage {
  const eventUrl = `${publicUrl}/events/${showing.eventId}`;
  const lobbyUrl = `${eventUrl}/showings/${showing.id}/lobby`;
  const drop = formatInZone(reminder.dropTime, showing.timeZone);
  const when = formatShowingTime(showing.startTime, showing.endTime, showing.timeZone);
  const title = reminder.lobbyOpensAt
    ? `${showing.eventName}: the lobby opens at ${formatInZone(reminder.lobbyOpensAt, showing.timeZone)}`
    : `${showing.eventName}: tickets go on sale at ${drop}`;
  const paragraphs = [`Hi ${to.fullName},`, `You asked us to remind you: tickets for ${showing.eventName} by ${showing.clubName} (${when}) go on sale at ${drop}.`];
  if (reminder.lobbyOpensAt) {
    paragraphs.push(
      `This drop has a lobby: join it from ${formatInZone(reminder.lobbyOpensAt, showing.timeZone)} at ${lobbyUrl}. Everyone in the lobby at the drop gets a random place, so there is no need to rush before then.`,
    );
  }
  paragraphs.push(`The event page: ${eventUrl}`);
  const { text, html } = renderEmail({
    title,
    paragraphs,
    action: reminder.lobbyOpensAt ? { label: "Go to the lobby", url: lobbyUrl } : { label: "Go to the event", url: eventUrl },
  });
  return { to: to.email, subject: title, text, html, dedupeKey: `drop-reminder:${reminder.id}` };
}
