import { Prisma, type PrismaClient } from "@admit/db";
import type { UserActor } from "../actor.ts";
import { underHoldWhere } from "../availability.ts";
import { DomainError, notFound } from "../errors.ts";
import type { Roles } from "../roles.ts";

type Db = PrismaClient | Prisma.TransactionClient;

const showingSelect = {
  id: true,
  eventId: true,
  startTime: true,
  endTime: true,
  location: true,
  ticketOrderLimit: true,
  ticketDropTime: true,
  event: {
    select: { id: true, name: true, clubId: true, club: { select: { id: true, code: true, name: true, archived: true, timeZone: true } } },
  },
} satisfies Prisma.ShowingSelect;

export type ManagedShowing = Prisma.ShowingGetPayload<{ select: typeof showingSelect }>;

/** A showing the caller manages; NOT_FOUND for everyone else, so ids of other clubs cannot be probed. */
export async function managedShowing(db: Db, roles: Roles, actor: UserActor, showingId: number): Promise<ManagedShowing> {
  const showing = await db.showing.findUnique({ where: { id: showingId }, select: showingSelect });
  if (!showing) throw notFound("Showing");
  await roles.requireClubManager(actor, showing.event.clubId, "Showing");
  return showing;
}

export async function managedEvent(db: Db, roles: Roles, actor: UserActor, eventId: number) {
  const event = await db.event.findUnique({
    where: { id: eventId },
    select: { id: true, clubId: true, name: true, description: true, club: { select: { archived: true } } },
  });
  if (!event) throw notFound("Event");
  await roles.requireClubManager(actor, event.clubId, "Event");
  return event;
}

export function requireActiveClub(club: { archived: boolean }): void {
  if (club.archived) throw new DomainError("FORBIDDEN", "This club is archived, so its events cannot be changed.");
}

/**
 * Tickets that must never be deleted: owned or paid for, under a hold that has not expired, or with a transfer or
 * door-scan history.
 */
export function ticketInUse(now: Date): Prisma.TicketWhereInput {
  return {
    OR: [
      { ownerId: { not: null } },
      { paymentId: { not: null } },
      underHoldWhere(now),
      { transfers: { some: {} } },
      { checkIns: { some: {} } },
    ],
  };
}

/**
 * Serializes officers' changes to one showing. NO KEY UPDATE, not UPDATE: checkouts and door scans insert rows that
 * reference the showing (taking KEY SHARE on it) while holding ticket locks we may wait for; FOR UPDATE here would
 * deadlock with them.
 */
export async function lockShowingRow(tx: Prisma.TransactionClient, showingIds: number[]): Promise<number[]> {
  if (showingIds.length === 0) return [];
  const rows = await tx.$queryRaw<Array<{ id: number }>>`
    SELECT id FROM "Showing" WHERE id IN (${Prisma.join(showingIds)}) ORDER BY id FOR NO KEY UPDATE`;
  return rows.map((r) => r.id);
}

/** Locks one showing (see lockShowingRow); NOT_FOUND when it was deleted since the caller looked it up. */
export async function lockExistingShowing(tx: Prisma.TransactionClient, showingId: number): Promise<void> {
  if ((await lockShowingRow(tx, [showingId])).length === 0) throw notFound("Showing");
}

/**
 * Locks the showings and their unowned tickets until the transaction ends. Checkouts and complimentary issues claim
 * tickets with SKIP LOCKED, so none can be held or sold between our check and our change; a claim already in
 * progress is waited for, and then seen by the check.
 */
export async function lockShowings(tx: Prisma.TransactionClient, showingIds: number[]): Promise<number[]> {
  const locked = await lockShowingRow(tx, showingIds);
  if (locked.length === 0) return [];
  await tx.$queryRaw`
    SELECT id FROM "Ticket" WHERE "showingId" IN (${Prisma.join(locked)}) AND "ownerId" IS NULL ORDER BY id FOR UPDATE`;
  return locked;
}

/**
 * Locks an event row: FOR UPDATE before deleting it (new showings, which take KEY SHARE on it, wait and then find
 * it gone), KEY SHARE before adding a showing to it. NOT_FOUND when it was deleted meanwhile.
 */
export async function lockEvent(tx: Prisma.TransactionClient, eventId: number, mode: "delete" | "reference"): Promise<void> {
  const rows =
    mode === "delete"
      ? await tx.$queryRaw<unknown[]>`SELECT id FROM "Event" WHERE id = ${eventId} FOR UPDATE`
      : await tx.$queryRaw<unknown[]>`SELECT id FROM "Event" WHERE id = ${eventId} FOR KEY SHARE`;
  if (rows.length === 0) throw notFound("Event");
}

/**
 * Refuses (HAS_TICKETS) when the showings have tickets in use, or, when `forDeletion`, any checkout record at all
 * (payment records keep pointing at their showing). Otherwise only checkouts still in flight block.
 */
export async function refuseIfTicketsInUse(
  tx: Prisma.TransactionClient,
  showingIds: number[],
  now: Date,
  what: { forDeletion: boolean; message: string },
): Promise<void> {
  const inUse = await tx.ticket.count({ where: { showingId: { in: showingIds }, ...ticketInUse(now) } });
  const checkouts = await tx.paymentItem.count({
    where: {
      showingId: { in: showingIds },
      ...(what.forDeletion ? {} : { payment: { status: { in: ["PENDING", "REVIEW"] } } }),
    },
  });
  if (inUse > 0 || checkouts > 0) {
    throw new DomainError("HAS_TICKETS", what.message, { details: { ticketsInUse: inUse, checkouts } });
  }
}

/** Drop time rules shared by showings and offerings: in the future, and before the showing ends. */
export function checkDropTime(dropTime: Date | null | undefined, endTime: Date, now: Date, changed: boolean): void {
  if (!dropTime) return;
  if (changed && dropTime <= now) {
    throw new DomainError("VALIDATION_FAILED", "The ticket drop time has to be in the future.");
  }
  if (dropTime >= endTime) {
    throw new DomainError("VALIDATION_FAILED", "The ticket drop time has to be before the showing ends.");
  }
}
