import { orderAllowance } from "../order-limit.ts";

/**
 * How many students the lobby lets in at once. Room is what can still be sold and nobody admitted is still entitled
 * to: sellable tickets minus what each student whose turn is running may still take. Tickets in a cart are not set
 * aside (a cart is a soft reservation), so they are still in the sellable count and still part of their owner's
 * claim; only tickets a student holds (their checkout, an offer) have left the sellable count, so those, with the
 * tickets they own, are what the order limit (order-limit.ts) takes off their claim.
 */

export interface AllowanceCounts {
  /** The showing's limit per person. */
  limit: number;
  /** Tickets of the showing they hold under an unexpired hold. */
  held: number;
  /** Tickets of the showing they bought and own. */
  owned: number;
}

/** What a student may still take from the sellable tickets. */
export function claimOf(counts: AllowanceCounts): number {
  return orderAllowance({ limit: counts.limit, inCart: counts.held, owned: counts.owned }).remaining;
}

export function roomFor(sellable: number, admitted: readonly AllowanceCounts[]): number {
  return Math.max(0, sellable - admitted.reduce((sum, counts) => sum + claimOf(counts), 0));
}

/**
 * The next students to admit, from `waiting` in place order: each while their claim fits in the room left, and the
 * first one whenever there is any room at all (a student allowed 2 is let in for the last ticket).
 */
export function admissionBatch<T extends AllowanceCounts>(room: number, waiting: readonly T[]): { admit: T[]; roomLeft: number } {
  const admit: T[] = [];
  let left = room;
  for (const candidate of waiting) {
    const claim = claimOf(candidate);
    if (left <= 0 || (claim > left && admit.length > 0)) break;
    admit.push(candidate);
    left -= claim;
  }
  return { admit, roomLeft: Math.max(0, left) };
}
