import type { WaitlistState } from "@admit/db";
import { saleState, type ShowingSaleFacts } from "../availability.ts";
import { DomainError, notFound } from "../errors.ts";
import { requireWithinOrderLimit, type OrderAllowance } from "../order-limit.ts";

/** What the join rule reads about one showing, one student and the type they want (null: any type). */
export interface JoinFacts {
  showing: ShowingSaleFacts;
  type: string | null;
  /** The showing sells tickets of `type` at all (always true for any type). */
  typeKnown: boolean;
  /** Tickets of `type` (or of any type) this student could put in their cart and buy right now. */
  sellableForYou: number;
  allowance: OrderAllowance;
  /** Their place on this showing's waitlist, if they ever had one. */
  entry: { state: WaitlistState } | null;
}

/**
 * The one home of "may this student join (or change their place on) the showing's waitlist now": the showing has not
 * ended, is not cancelled and its drop has passed (before it, "notify me" is the way); the type exists; they hold no
 * offer already; nothing they want is on sale for them right now (409 TICKETS_AVAILABLE: buy it instead); and the
 * count fits what the order limit still allows them. A paused showing or type may be joined: nothing is on sale.
 */
export function requireMayJoin(facts: JoinFacts, count: number, now: Date): void {
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
  if (!facts.typeKnown) {
    throw new DomainError("VALIDATION_FAILED", `This showing has no "${facts.type ?? ""}" tickets.`, { details: { type: facts.type } });
  }
  if (facts.entry?.state === "OFFERED") {
    throw new DomainError("CONFLICT", "Tickets are already held for you from the waitlist: check out from your cart.");
  }
  if (facts.sellableForYou > 0) {
    throw new DomainError("TICKETS_AVAILABLE", "Tickets are on sale: add them to your cart.", {
      details: { available: facts.sellableForYou },
    });
  }
  requireWithinOrderLimit(facts.allowance, count, "cart");
}

/** Whether joining keeps the student's place (still waiting: only the type and count change) or puts them at the back. */
export function keepsPlace(entry: { state: WaitlistState } | null): boolean {
  return entry?.state === "WAITING";
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
