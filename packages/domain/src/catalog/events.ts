import type { UserActor } from "../actor.ts";
import type { DomainDeps } from "../deps.ts";
import { DomainError, notFound } from "../errors.ts";
import { Roles } from "../roles.ts";
import {
  checkDropTime,
  lockEvent,
  lockExistingShowing,
  lockShowings,
  managedEvent,
  managedShowing,
  refuseIfTicketsInUse,
  requireActiveClub,
  ticketInUse,
} from "./access.ts";
import { requireNotCancelled } from "./cancelled.ts";

export interface NewShowing {
  eventId: number;
  startTime: Date;
  endTime: Date;
  location?: string | null | undefined;
  orderLimit?: number | undefined;
  dropTime?: Date | null | undefined;
}

export interface ShowingChanges {
  showingId: number;
  startTime?: Date | undefined;
  endTime?: Date | undefined;
  location?: string | null | undefined;
  orderLimit?: number | undefined;
  dropTime?: Date | null | undefined;
  /** Pauses (true) or resumes (false) every sale of the showing. */
  salesPaused?: boolean | undefined;
}

const showingSummary = {
  id: true,
  eventId: true,
  startTime: true,
  endTime: true,
  location: true,
  ticketOrderLimit: true,
  ticketDropTime: true,
  salesPaused: true,
  cancelledAt: true,
} as const;

function summary(s: {
  id: number;
  eventId: number;
  startTime: Date;
  endTime: Date;
  location: string | null;
  ticketOrderLimit: number;
  ticketDropTime: Date | null;
  salesPaused: boolean;
  cancelledAt: Date | null;
}) {
  return {
    id: s.id,
    eventId: s.eventId,
    startTime: s.startTime,
    endTime: s.endTime,
    location: s.location,
    orderLimit: s.ticketOrderLimit,
    dropTime: s.ticketDropTime,
    salesPaused: s.salesPaused,
    cancelledAt: s.cancelledAt,
  };
}

function requireStartBeforeEnd(startTime: Date, endTime: Date): void {
  if (startTime >= endTime) throw new DomainError("VALIDATION_FAILED", "A showing has to start before it ends.");
}

/** Officers create, change and delete their club's events and showings; sold or held tickets are never deleted. */
export class EventAdmin {
  private readonly roles: Roles;

  constructor(private readonly deps: DomainDeps) {
    this.roles = new Roles(deps);
  }

  async createEvent(actor: UserActor, input: { clubId: number; name: string; description: string }) {
    await this.roles.requireClubManager(actor, input.clubId);
    const club = await this.deps.prisma.club.findUnique({ where: { id: input.clubId }, select: { archived: true } });
    if (!club) throw notFound("Club");
    requireActiveClub(club);
    return this.deps.prisma.event.create({
      data: { clubId: input.clubId, name: input.name, description: input.description },
      select: { id: true, clubId: true, name: true, description: true },
    });
  }

  async updateEvent(actor: UserActor, input: { eventId: number; name?: string | undefined; description?: string | undefined }) {
    const event = await managedEvent(this.deps.prisma, this.roles, actor, input.eventId);
    requireActiveClub(event.club);
    return this.deps.prisma.$transaction(async (tx) => {
      await lockEvent(tx, event.id, "reference");
      return tx.event.update({
        where: { id: event.id },
        data: {
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.description !== undefined ? { description: input.description } : {}),
        },
        select: { id: true, clubId: true, name: true, description: true },
      });
    });
  }

  /** Deletes the event, its showings and their unsold tickets, or nothing when any ticket is in use. */
  async deleteEvent(actor: UserActor, eventId: number): Promise<void> {
    const event = await managedEvent(this.deps.prisma, this.roles, actor, eventId);
    await this.deps.prisma.$transaction(async (tx) => {
      await lockEvent(tx, event.id, "delete");
      const showings = await tx.showing.findMany({ where: { eventId: event.id }, select: { id: true } });
      const ids = showings.map((s) => s.id);
      await lockShowings(tx, ids);
      await refuseIfTicketsInUse(tx, ids, this.deps.clock.now(), {
        forDeletion: true,
        message: "Tickets of this event are held or sold, so it cannot be deleted.",
      });
      await tx.ticket.deleteMany({ where: { showingId: { in: ids } } });
      await tx.showing.deleteMany({ where: { id: { in: ids } } });
      await tx.event.delete({ where: { id: event.id } });
    });
  }

  async createShowing(actor: UserActor, input: NewShowing) {
    const event = await managedEvent(this.deps.prisma, this.roles, actor, input.eventId);
    requireActiveClub(event.club);
    requireStartBeforeEnd(input.startTime, input.endTime);
    checkDropTime(input.dropTime, input.endTime, this.deps.clock.now(), true);
    const showing = await this.deps.prisma.$transaction(async (tx) => {
      await lockEvent(tx, event.id, "reference");
      return tx.showing.create({
        data: {
          eventId: event.id,
          startTime: input.startTime,
          endTime: input.endTime,
          location: input.location ?? null,
          ...(input.orderLimit !== undefined ? { ticketOrderLimit: input.orderLimit } : {}),
          ticketDropTime: input.dropTime ?? null,
        },
        select: showingSummary,
      });
    });
    return summary(showing);
  }

  /**
   * Changes times, place and limits. Once sales have opened and a ticket is held or sold, the drop time stays put:
   * moving it would take back a sale that already happened.
   */
  async updateShowing(actor: UserActor, input: ShowingChanges) {
    const found = await managedShowing(this.deps.prisma, this.roles, actor, input.showingId);
    requireActiveClub(found.event.club);
    const now = this.deps.clock.now();
    return this.deps.prisma.$transaction(async (tx) => {
      await lockExistingShowing(tx, found.id);
      const current = await tx.showing.findUniqueOrThrow({ where: { id: found.id }, select: showingSummary });
      requireNotCancelled(current);
      const startTime = input.startTime ?? current.startTime;
      const endTime = input.endTime ?? current.endTime;
      requireStartBeforeEnd(startTime, endTime);
      const dropTime = input.dropTime === undefined ? current.ticketDropTime : input.dropTime;
      const dropChanged = (dropTime?.getTime() ?? null) !== (current.ticketDropTime?.getTime() ?? null);
      checkDropTime(dropTime, endTime, now, dropChanged);
      const salesOpen = current.ticketDropTime === null || current.ticketDropTime <= now;
      if (dropChanged && salesOpen) {
        const inUse = await tx.ticket.count({ where: { showingId: current.id, ...ticketInUse(now) } });
        if (inUse > 0) {
          throw new DomainError("HAS_TICKETS", "Tickets are already held or sold, so the drop time can no longer change.");
        }
      }
      const updated = await tx.showing.update({
        where: { id: current.id },
        data: {
          startTime,
          endTime,
          ticketDropTime: dropTime,
          ...(input.location !== undefined ? { location: input.location } : {}),
          ...(input.orderLimit !== undefined ? { ticketOrderLimit: input.orderLimit } : {}),
          ...(input.salesPaused !== undefined ? { salesPaused: input.salesPaused } : {}),
        },
        select: showingSummary,
      });
      return summary(updated);
    });
  }

  /** Deletes the showing and its unsold tickets, or nothing when any ticket is in use. */
  async deleteShowing(actor: UserActor, showingId: number): Promise<void> {
    const showing = await managedShowing(this.deps.prisma, this.roles, actor, showingId);
    await this.deps.prisma.$transaction(async (tx) => {
      if ((await lockShowings(tx, [showing.id])).length === 0) throw notFound("Showing");
      await refuseIfTicketsInUse(tx, [showing.id], this.deps.clock.now(), {
        forDeletion: true,
        message: "Tickets of this showing are held or sold, so it cannot be deleted.",
      });
      await tx.ticket.deleteMany({ where: { showingId: showing.id } });
      await tx.showing.delete({ where: { id: showing.id } });
    });
  }
}
