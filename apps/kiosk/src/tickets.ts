import type { DoorTicket } from "@admit/door";
import type { KioskDb, TicketBucket } from "./db.ts";

export const BUCKET_COUNT = 1024;

/** Ticket ids are random UUIDs: their first three hex digits spread tickets evenly over the buckets. */
export function bucketOf(ticketId: string): number {
  const prefix = Number.parseInt(ticketId.slice(0, 3), 16);
  return Number.isNaN(prefix) ? 0 : prefix % BUCKET_COUNT;
}

export async function getTicket(db: KioskDb, ticketId: string): Promise<DoorTicket | undefined> {
  return (await db.buckets.get(bucketOf(ticketId)))?.tickets[ticketId];
}

export async function getTickets(db: KioskDb, ticketIds: readonly string[]): Promise<Map<string, DoorTicket>> {
  const keys = [...new Set(ticketIds.map(bucketOf))];
  const buckets = await db.buckets.bulkGet(keys);
  const found = new Map<string, DoorTicket>();
  for (const id of ticketIds) {
    const ticket = buckets[keys.indexOf(bucketOf(id))]?.tickets[id];
    if (ticket) found.set(id, ticket);
  }
  return found;
}

/** Stores tickets as given (absolute states from the server), leaving the other tickets of their buckets alone. */
export async function putTickets(db: KioskDb, tickets: readonly DoorTicket[]): Promise<void> {
  if (!tickets.length) return;
  await db.transaction("rw", db.buckets, async () => {
    const keys = [...new Set(tickets.map((t) => bucketOf(t.id)))];
    const current = await db.buckets.bulkGet(keys);
    const next = new Map<number, TicketBucket>(keys.map((k, i) => [k, { k, tickets: { ...current[i]?.tickets } }]));
    for (const ticket of tickets) next.get(bucketOf(ticket.id))!.tickets[ticket.id] = ticket;
    await db.buckets.bulkPut([...next.values()]);
  });
}

/**
 * Replaces every ticket with a full list (a manifest). Tickets stored before but missing from the list (refunded
 * and never admitted) stay, marked not valid: their codes must not admit as "sold after the last sync".
 */
export async function replaceAllTickets(db: KioskDb, tickets: readonly DoorTicket[]): Promise<void> {
  await db.transaction("rw", db.buckets, async () => {
    const next = new Map<number, TicketBucket>();
    const into = (ticket: DoorTicket) => {
      const k = bucketOf(ticket.id);
      let bucket = next.get(k);
      if (!bucket) next.set(k, (bucket = { k, tickets: {} }));
      bucket.tickets[ticket.id] = ticket;
    };
    for (const ticket of tickets) into(ticket);
    for (const bucket of await db.buckets.toArray()) {
      for (const old of Object.values(bucket.tickets)) {
        if (next.get(bucket.k)?.tickets[old.id]) continue;
        into({ ...old, valid: false, attended: false, attendedAt: null, attendedDoor: null });
      }
    }
    await db.buckets.bulkPut([...next.values()]);
  });
}

/** Every ticket the door knows (for building the search index). */
export async function allTickets(db: KioskDb): Promise<DoorTicket[]> {
  return (await db.buckets.toArray()).flatMap((bucket) => Object.values(bucket.tickets));
}
