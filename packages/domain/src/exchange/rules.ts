import { heldByOther } from "../availability.ts";
import { DomainError, notFound } from "../errors.ts";

/** What the exchange rules read about one ticket. */
export interface ExchangeFacts {
  ownerId: string | null;
  exchangeAllowed: boolean;
  exchangeListedAt: Date | null;
  attended: boolean;
  voidedAt: Date | null;
  showing: { endTime: Date; cancelledAt: Date | null };
}

/**
 * The one home of "may this person offer this ticket on the face-value exchange now": only its owner, a ticket of
 * a type that allows it, not void, not used at the door, its showing neither ended nor cancelled. Anyone but the
 * owner is told the ticket does not exist, as everywhere else tickets are looked up.
 */
export function requireListable(facts: ExchangeFacts, userId: string, now: Date): void {
  requireOwner(facts, userId);
  if (facts.voidedAt) throw new DomainError("CONFLICT", "This ticket is no longer valid, so it cannot be offered.");
  if (facts.showing.cancelledAt) {
    throw new DomainError("SHOWING_CANCELLED", "This showing was cancelled; its tickets are refunded by the club.");
  }
  if (facts.showing.endTime <= now) throw new DomainError("SHOWING_ENDED", "This showing has already ended.");
  if (!facts.exchangeAllowed) {
    throw new DomainError("EXCHANGE_NOT_ALLOWED", "Tickets of this type cannot be offered on the exchange.");
  }
  if (facts.attended) {
    throw new DomainError("TICKET_CHECKED_IN", "This ticket was already used at the door, so it cannot be offered on the exchange.");
  }
}

/**
 * The owner takes the offer back, unless a buyer is paying for it right now (someone else's hold that has not
 * expired: a checkout on its payment page or a waitlist offer), which must be allowed to finish.
 */
export function requireWithdrawable(
  facts: ExchangeFacts & { holderId: string | null; holdExpiresAt: Date | null },
  userId: string,
  now: Date,
): void {
  requireOwner(facts, userId);
  if (facts.exchangeListedAt && heldByOther(facts, userId, now)) {
    throw new DomainError(
      "EXCHANGE_IN_PROGRESS",
      "Someone is buying this ticket right now, so the offer cannot be withdrawn. If they do not pay in time, you can withdraw it then.",
    );
  }
}

function requireOwner(facts: ExchangeFacts, userId: string): void {
  if (facts.ownerId !== userId) throw notFound("Ticket");
}

/** Transfers and returns of a ticket on offer: it may be sold at any moment, so it must be withdrawn first. */
export function exchangeListedRefusal(): DomainError {
  return new DomainError(
    "EXCHANGE_LISTED",
    "This ticket is offered on the exchange: withdraw it from the exchange first.",
  );
}
