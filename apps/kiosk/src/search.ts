import type { DoorTicket } from "@admit/door";
import { foldText, nameWords, type KioskDb } from "./db.ts";
import { displayedTicket } from "./sync/merge.ts";
import { allTickets, getTickets } from "./tickets.ts";

export type SearchHit = DoorTicket;

/**
 * A door needs to find the guest in front of it, not to browse the guest list: at least three characters, and at
 * most this many matches (a private showing's names are first names only, from the server).
 */
export const MIN_QUERY = 3;
export const MAX_HITS = 8;

interface Entry {
  id: string;
  name: string;
  words: string[];
}

function entryOf(ticket: DoorTicket): Entry {
  return { id: ticket.id, name: ticket.holderName, words: nameWords(ticket.holderName) };
}

/**
 * Offline search for the door's manual check-in: every word typed must start a word of the holder's name (accents
 * and case ignored, from three characters), or the text starts the ticket id. Names live in memory (loaded on the
 * first search, patched by the change feed); hits show the door's current view, unsent scans included.
 */
export class TicketSearch {
  private entries: Map<string, Entry> | null = null;
  private loading: Promise<Map<string, Entry>> | null = null;

  constructor(private readonly db: KioskDb) {}

  /** After a full download: load again on the next search. */
  invalidate(): void {
    this.entries = null;
    this.loading = null;
  }

  /** After a change feed: patch the names that changed. */
  update(tickets: readonly DoorTicket[]): void {
    for (const ticket of tickets) this.entries?.set(ticket.id, entryOf(ticket));
  }

  private index(): Promise<Map<string, Entry>> {
    if (this.entries) return Promise.resolve(this.entries);
    this.loading ??= allTickets(this.db).then((tickets) => {
      this.entries = new Map(tickets.map((t) => [t.id, entryOf(t)]));
      return this.entries;
    });
    return this.loading;
  }

  async search(query: string): Promise<SearchHit[]> {
    const compact = foldText(query.trim());
    if (compact.length < MIN_QUERY) return [];
    const words = nameWords(query);
    const byId = /^[0-9a-f-]{4,}$/.test(compact);
    const ids: string[] = [];
    for (const entry of (await this.index()).values()) {
      const named = words.length > 0 && words.every((w) => entry.words.some((ew) => ew.startsWith(w)));
      if (named || (byId && entry.id.startsWith(compact))) ids.push(entry.id);
      if (ids.length === MAX_HITS) break;
    }
    const [tickets, scans] = await Promise.all([getTickets(this.db, ids), this.db.outbox.where("ticketId").anyOf(ids).toArray()]);
    return ids
      .map((id) => tickets.get(id))
      .filter((t): t is DoorTicket => t !== undefined)
      .map((t) => displayedTicket(t, scans.filter((s) => s.ticketId === t.id), t) ?? t)
      .sort((a, b) => a.holderName.localeCompare(b.holderName));
  }
}
