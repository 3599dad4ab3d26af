import type { Prisma } from "@admit/db";
import { isSellable, pausedOnly, saleState } from "../availability.ts";
import { loadCartTickets, type CartTicketRow } from "./serialize.ts";
import { addFreeTickets } from "./store.ts";

type Tx = Prisma.TransactionClient;

export interface SoldOutEntry {
  type: string;
  showing: { id: number };
  event: { id: number; name: string };
  count: number;
}

/** A cart ticket that can no longer be bought as it is: sold, held by someone else, or its showing is off sale. */
export function isStale(ticket: CartTicketRow, userId: string, now: Date): boolean {
  return !isSellable(ticket, { now, holder: userId });
}

/**
 * Repairs a loaded cart: each stale ticket is swapped for a free ticket of the same showing and type where one
 * exists; what cannot be swapped is reported in `soldOut` and leaves the cart. A cart with nothing stale costs no
 * statement. The caller holds the cart lock.
 */
export async function repairCart(
  tx: Tx,
  cart: { cartId: number; userId: string; now: Date; tickets: CartTicketRow[] },
): Promise<{ tickets: CartTicketRow[]; soldOut: SoldOutEntry[] }> {
  const { cartId, userId, now, tickets } = cart;
  // A ticket of a paused showing or type keeps its place in the cart until sales resume.
  const stale = tickets.filter((t) => isStale(t, userId, now) && !pausedOnly(t, { now, holder: userId }));
  if (stale.length === 0) return { tickets, soldOut: [] };

  const groups = new Map<string, CartTicketRow[]>();
  for (const ticket of stale) {
    const key = `${ticket.showing.id}\u0000${ticket.type}`;
    groups.set(key, [...(groups.get(key) ?? []), ticket]);
  }
  // Stale tickets leave first; they cannot come back as their own replacements, being unavailable.
  await tx.cartTicket.deleteMany({ where: { cartId, ticketId: { in: stale.map((t) => t.id) } } });
  const soldOut: SoldOutEntry[] = [];
  const replacementIds: string[] = [];
  for (const group of groups.values()) {
    const sample = group[0]!;
    const replacements =
      saleState(sample.showing, now) === "ON_SALE"
        ? await addFreeTickets(tx, { cartId, showingId: sample.showing.id, type: sample.type, count: group.length, now })
        : [];
    replacementIds.push(...replacements);
    if (replacements.length < group.length) {
      soldOut.push({
        type: sample.type,
        showing: { id: sample.showing.id },
        event: { id: sample.showing.event.id, name: sample.showing.event.name },
        count: group.length - replacements.length,
      });
    }
  }
  const added = await loadCartTickets(tx, { ids: replacementIds });
  const staleIds = new Set(stale.map((t) => t.id));
  return { tickets: [...tickets.filter((t) => !staleIds.has(t.id)), ...added], soldOut };
}
