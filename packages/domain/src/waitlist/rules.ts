import type { WaitlistState } from "@admit/db";
import { requireTypeOnSale, saleState, typeSaleState, type ShowingSaleFacts, type TypeSaleFacts } from "../availability.ts";
import { DomainError, notFound } from "../errors.ts";
import { requireWithinOrderLimit, type OrderAllowance } from "../order-limit.ts";

/** One ticket type of the showing, as the waitlist rules read it for one student. */
export interface WaitTypeFacts extends TypeSaleFacts {
  type: string;
  /** Some ticket of the type is for public sale (a complimentary-only type has no waitlist). */
  buyable: boolean;
  /** Tickets of the type this student could put in their cart and buy right now. */
  sellableForYou: number;
}

/** What the join rule reads about one showing and one student. */
export interface JoinFacts {
  showing: ShowingSaleFacts;
  /** Every ticket type of the showing. */
  types: WaitTypeFacts[];
  allowance: OrderAllowance;
  /** Their place on this showing's waitlist, if they ever had one. */
  entry: { state: WaitlistState } | null;
}

/** What a student may wait for: these types by name, and (`any`) any type at all. */
export interface Waitable {
  any: boolean;
  types: string[];
}

/**
 * The one home of which ticket types a student may join the waitlist for: none unless the showing sells or is paused
 * (not before its drop, not ended, not cancelled); then each public type whose own sales are on (not paused, not
 * ended) with nothing on sale for this student right now; and any type when there is at least one such type and
 * nothing of any type is on sale for them. `requireMayJoin` refuses exactly what this leaves out (the order limit
 * and an offer already held aside); the waitlist status carries it so the storefront shows only these choices.
 */
export function waitable(facts: Pick<JoinFacts, "showing" | "types">, now: Date): Waitable {
  const state = saleState(facts.showing, now);
  if (state !== "ON_SALE" && state !== "PAUSED") return { any: false, types: [] };
  const selling = facts.types.filter((t) => t.buyable && typeSaleState(t, now) === "ON_SALE");
  const types = selling.filter((t) => t.sellableForYou === 0).map((t) => t.type);
  const onSaleForYou = facts.types.reduce((n, t) => n + t.sellableForYou, 0);
  return { any: types.length > 0 && onSaleForYou === 0, types };
}

/**
 * The one home of "may this student join (or change their place on) the showing's waitlist now" for `type` (null:
 * any): the showing has not ended, is not cancelled and its drop has passed (before it, "notify me" is the way); the
 * type exists for the public; they hold no offer already; then `waitable` must list what they want (409
 * TICKETS_AVAILABLE while it is on sale for them: buy it instead; SALES_PAUSED / SALES_ENDED for a type that stopped
 * selling); and the count fits what the order limit still allows them. A paused showing may be joined: nothing is
 * on sale.
 */
export function requireMayJoin(facts: JoinFacts, wanted: { type: string | null; count: number }, now: Date): void {
  switch (saleState(facts.showing, now)) {
    case "CANCELLED":
      throw new DomainError("SHOWING_CANCELLED", "This showing has been cancelled, so it has no waitlist.");
    case "ENDED":
      throw new DomainError("SHOWING_ENDED", "This showing has already ended.");
    case "CLOSED":
      throw notFound("Showing");
    case "NOT_YET":
      throw new DomainError("NOT_ON_SALE", "Tickets for this showing are not on sale yet: ask to be reminded before they go on sale.");
    case "PAUSED":
    case "ON_SALE":
      break;
  }
  const { type } = wanted;
  const ofType = type === null ? facts.types.filter((t) => t.buyable) : facts.types.filter((t) => t.type === type && t.buyable);
  if (ofType.length === 0) {
    throw new DomainError("VALIDATION_FAILED", `This showing has no "${type ?? ""}" tickets.`, { details: { type } });
  }
  if (facts.entry?.state === "OFFERED") {
    throw new DomainError("CONFLICT", "Tickets are already held for you from the waitlist: check out from your cart.");
  }
  const may = waitable(facts, now);
  if (type === null ? !may.any : !may.types.includes(type)) {
    const onSale = (type === null ? facts.types : ofType).reduce((n, t) => n + t.sellableForYou, 0);
    if (onSale > 0) {
      throw new DomainError("TICKETS_AVAILABLE", "Tickets are on sale: add them to your cart.", { details: { available: onSale } });
    }
    // Nothing on sale and still not waitable: the type (or, for any type, every type) stopped selling.
    const stopped = ofType.find((t) => typeSaleState(t, now) !== "ON_SALE") ?? ofType[0];
    if (stopped) requireTypeOnSale(stopped.type, stopped, now);
    throw new DomainError("NOT_ON_SALE", "There is nothing to wait for here.");
  }
  requireWithinOrderLimit(facts.allowance, wanted.count, "cart");
}

/** Whether joining keeps the student's place (still waiting: only the type and count change) or puts them at the back. */
export function keepsPlace(entry: { state: WaitlistState } | null): boolean {
  return entry?.state === "WAITING";
}

/**
 * The one home of whether a showing has a drop to remind of, for asking for a reminder and for sending one: its sale
 * state (`saleState`) is NOT_YET, its drop ahead. A paused showing has no drop to announce (its officers stopped
 * sales; the reminder waits until they resume, and goes only if the drop is still ahead then), a cancelled or ended
 * one none at all, and one already on sale is past it.
 */
export function hasDropAhead(showing: ShowingSaleFacts, now: Date): boolean {
  return saleState(showing, now) === "NOT_YET";
}

/** `hasDropAhead` as the refusal a student asking for a reminder sees. */
export function requireDropAhead(showing: ShowingSaleFacts, now: Date): void {
  switch (saleState(showing, now)) {
    case "NOT_YET":
      return;
    case "CANCELLED":
      throw new DomainError("SHOWING_CANCELLED", "This showing has been cancelled.");
    case "ENDED":
      throw new DomainError("SHOWING_ENDED", "This showing has already ended.");
    case "CLOSED":
      throw notFound("Showing");
    case "PAUSED":
      throw new DomainError("SALES_PAUSED", "Sales for this showing are paused, so there is no drop to remind you of.");
    case "ON_SALE":
      throw new DomainError("CONFLICT", "Tickets for this showing are already on sale, so there is no drop to remind you of.");
  }
}

/** "Notify me" e-mails go out this long before the lobby opens (or, without a lobby, before the drop). */
export const REMIND_MINUTES_BEFORE = 30;

/**
 * The one home of when a drop reminder is due: REMIND_MINUTES_BEFORE before the lobby opens when the showing has an
 * enabled lobby, else before the drop itself. `reminderDueSql` (reminders.ts) is the same rule inside a statement.
 */
export function remindAt(dropTime: Date, lobby: { enabled: boolean; opensMinutesBefore: number } | null): Date {
  const opensBefore = lobby?.enabled ? lobby.opensMinutesBefore : 0;
  return new Date(dropTime.getTime() - (opensBefore + REMIND_MINUTES_BEFORE) * 60_000);
}
