import { DomainError } from "../errors.ts";

/** A cancelled showing is final: its sales, tickets and settings can no longer be changed. */
export function requireNotCancelled(showing: { cancelledAt: Date | null }): void {
  if (showing.cancelledAt) {
    throw new DomainError("SHOWING_CANCELLED", "This showing has been cancelled, so it can no longer be changed.");
  }
}
