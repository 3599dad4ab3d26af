import { DomainError } from "../errors.ts";

export interface ShowingSaleFacts {
  endTime: Date;
  ticketDropTime: Date | null;
  event: { club: { approved: boolean; archived: boolean } };
}

export type SaleState = "ON_SALE" | "ENDED" | "NOT_YET" | "CLOSED";

/** Whether a showing's tickets can be put in carts and bought right now. */
export function saleState(showing: ShowingSaleFacts, now: Date): SaleState {
  if (showing.endTime <= now) return "ENDED";
  if (!showing.event.club.approved || showing.event.club.archived) return "CLOSED";
  if (showing.ticketDropTime && showing.ticketDropTime > now) return "NOT_YET";
  return "ON_SALE";
}

export function requireOnSale(showing: ShowingSaleFacts, now: Date): void {
  switch (saleState(showing, now)) {
    case "ENDED":
      throw new DomainError("SHOWING_ENDED", "This showing has already ended.");
    case "CLOSED":
      throw new DomainError("NOT_ON_SALE", "This club is not selling tickets right now.");
    case "NOT_YET":
      throw new DomainError("NOT_ON_SALE", "Tickets for this showing are not on sale yet.");
    case "ON_SALE":
      return;
  }
}

/**
 * Whether a ticket is held, right now, by someone other than `userId`. An expired hold is no hold: holds are checked
 * against the clock on every read, so a lapsed checkout frees its seats even before the sweeper runs.
 */
export function heldByOther(ticket: { holderId: string | null; holdExpiresAt: Date | null }, userId: string, now: Date) {
  return ticket.holderId !== null && ticket.holderId !== userId && (ticket.holdExpiresAt === null || ticket.holdExpiresAt > now);
}
