import { Prisma } from "@admit/db";
import type { UserActor } from "../actor.ts";
import type { DomainDeps } from "../deps.ts";
import { DomainError, notFound } from "../errors.ts";
import { formatMoney } from "../money.ts";
import { typeSaleState } from "../availability.ts";
import { Roles } from "../roles.ts";
import {
  checkDropTime,
  lockExistingShowing,
  lockShowings,
  managedShowing,
  refuseIfTicketsInUse,
  requireActiveClub,
} from "./access.ts";
import { requireNotCancelled } from "./cancelled.ts";
import { countsOf, ticketStats } from "./stats.ts";

export interface Offering {
  type: string;
  count: number;
  price: string;
  groupDiscount?: string | undefined;
  groupSize?: number | undefined;
  transferable: boolean;
  buyable: boolean;
  salesEndAt?: Date | null | undefined;
  returnHoursBefore?: number | null | undefined;
  /** Holders may offer tickets of this type on the face-value exchange; false when left out. */
  exchangeAllowed?: boolean | undefined;
}

export interface SetOfferings {
  showingId: number;
  offerings: Offering[];
  orderLimit?: number | undefined;
  dropTime?: Date | null | undefined;
}

export interface AddTickets {
  showingId: number;
  tickets: Array<Omit<Offering, "price" | "transferable" | "buyable"> & Partial<Pick<Offering, "price" | "transferable" | "buyable">>>;
}

/** A type's selling controls (availability.ts reads them); left-out fields stay as they are. */
export interface TypeControls {
  showingId: number;
  type: string;
  salesPaused?: boolean | undefined;
  salesEndAt?: Date | null | undefined;
  returnHoursBefore?: number | null | undefined;
  exchangeAllowed?: boolean | undefined;
}

interface TypeSettings {
  price: Prisma.Decimal;
  groupDiscount: Prisma.Decimal;
  groupSize: number | null;
  transferable: boolean;
  buyable: boolean;
  salesPaused: boolean;
  salesEndAt: Date | null;
  returnHoursBefore: number | null;
  exchangeAllowed: boolean;
}

function ticketRows(showingId: number, type: string, count: number, settings: TypeSettings): Prisma.TicketCreateManyInput[] {
  return Array.from({ length: count }, () => ({ showingId, type, ...settings }));
}

function settingsOf(offering: Offering): TypeSettings {
  return {
    price: new Prisma.Decimal(offering.price),
    groupDiscount: new Prisma.Decimal(offering.groupDiscount ?? 0),
    groupSize: offering.groupSize ?? null,
    transferable: offering.transferable,
    buyable: offering.buyable,
    salesPaused: false,
    salesEndAt: offering.salesEndAt ?? null,
    returnHoursBefore: offering.returnHoursBefore ?? null,
    exchangeAllowed: offering.exchangeAllowed ?? false,
  };
}

/**
 * What a showing sells. Two operations with different promises:
 * - `set` replaces every ticket of the showing with a new set, and may change the order limit and drop time. It is
 *   allowed only while no ticket is held, sold or being paid for (HAS_TICKETS otherwise): unsold tickets are
 *   deleted and the new ones created in one transaction.
 * - `add` only creates tickets, so it stays allowed after sales start: more tickets of an existing type (at that
 *   type's price and settings) or a new type. It never deletes or changes an existing ticket.
 * Both are all-or-nothing: one bad line and nothing changes.
 * A type's settings (price, discount, transferable, for sale, and its selling controls: paused, sales end, returns)
 * are kept on every ticket of the type, so a new ticket of an existing type copies them and `updateType` changes
 * them on every row at once.
 */
export class Offerings {
  private readonly roles: Roles;

  constructor(
    private readonly deps: DomainDeps,
    /** Called after added tickets are committed (the waitlist is offered them); best effort. */
    private readonly ticketsAdded?: (showingId: number) => Promise<void>,
  ) {
    this.roles = new Roles(deps);
  }

  async set(actor: UserActor, input: SetOfferings) {
    const showing = await managedShowing(this.deps.prisma, this.roles, actor, input.showingId);
    requireActiveClub(showing.event.club);
    const now = this.deps.clock.now();
    return this.deps.prisma.$transaction(async (tx) => {
      if ((await lockShowings(tx, [showing.id])).length === 0) throw notFound("Showing");
      const current = await tx.showing.findUniqueOrThrow({ where: { id: showing.id }, select: { endTime: true, cancelledAt: true } });
      requireNotCancelled(current);
      if (input.dropTime !== undefined) checkDropTime(input.dropTime, current.endTime, now, true);
      await refuseIfTicketsInUse(tx, [showing.id], now, {
        forDeletion: false,
        message: "Tickets of this showing are already held or sold, so its offerings cannot be replaced. Add tickets instead.",
      });
      const { count: deleted } = await tx.ticket.deleteMany({ where: { showingId: showing.id } });
      const rows = input.offerings.flatMap((o) => ticketRows(showing.id, o.type, o.count, settingsOf(o)));
      const { count: created } = await tx.ticket.createMany({ data: rows });
      await tx.showing.update({
        where: { id: showing.id },
        data: {
          ...(input.orderLimit !== undefined ? { ticketOrderLimit: input.orderLimit } : {}),
          ...(input.dropTime !== undefined ? { ticketDropTime: input.dropTime } : {}),
        },
      });
      return { showingId: showing.id, created, deleted, counts: countsOf(await ticketStats(tx, [showing.id], now)) };
    });
  }

  async add(actor: UserActor, input: AddTickets) {
    const showing = await managedShowing(this.deps.prisma, this.roles, actor, input.showingId);
    requireActiveClub(showing.event.club);
    const now = this.deps.clock.now();
    const added = await this.deps.prisma.$transaction(async (tx) => {
      // Serializes with `set` (which locks the same row first), so types cannot change under us.
      await lockExistingShowing(tx, showing.id);
      requireNotCancelled(await tx.showing.findUniqueOrThrow({ where: { id: showing.id }, select: { cancelledAt: true } }));
      const existing = await tx.ticket.findMany({
        where: { showingId: showing.id },
        distinct: ["type"],
        select: {
          type: true,
          price: true,
          groupDiscount: true,
          groupSize: true,
          transferable: true,
          buyable: true,
          salesPaused: true,
          salesEndAt: true,
          returnHoursBefore: true,
          exchangeAllowed: true,
        },
      });
      const byType = new Map(existing.map(({ type, ...settings }) => [type, settings]));
      const problems: string[] = [];
      const rows = input.tickets.flatMap((item) => {
        const current = byType.get(item.type);
        if (current) {
          const conflict = differences(item, current);
          if (conflict.length) {
            problems.push(`"${item.type}" already sells with ${conflict.join(", ")}; leave those out or name a new type.`);
          }
          return ticketRows(showing.id, item.type, item.count, current);
        }
        if (item.price === undefined) {
          problems.push(`"${item.type}" is a new type: give its price.`);
          return [];
        }
        return ticketRows(showing.id, item.type, item.count, settingsOf({ transferable: true, buyable: true, ...item, price: item.price }));
      });
      if (problems.length) {
        throw new DomainError("VALIDATION_FAILED", problems.join(" "), { details: { problems } });
      }
      const { count: created } = await tx.ticket.createMany({ data: rows });
      return { showingId: showing.id, created, deleted: 0, counts: countsOf(await ticketStats(tx, [showing.id], now)) };
    });
    if (added.created) await this.ticketsAdded?.(showing.id);
    return added;
  }

  /**
   * Pauses or resumes a type's sales, sets when they end, and whether (until how long before the showing) its
   * tickets may be returned: on every ticket of the type, sold ones included (a return reads its ticket's setting).
   * Allowed after sales start; refused for a cancelled showing.
   */
  async updateType(actor: UserActor, input: TypeControls) {
    const showing = await managedShowing(this.deps.prisma, this.roles, actor, input.showingId);
    requireActiveClub(showing.event.club);
    const now = this.deps.clock.now();
    return this.deps.prisma.$transaction(async (tx) => {
      await lockExistingShowing(tx, showing.id);
      const current = await tx.showing.findUniqueOrThrow({ where: { id: showing.id }, select: { cancelledAt: true } });
      requireNotCancelled(current);
      const { count } = await tx.ticket.updateMany({
        where: { showingId: showing.id, type: input.type },
        data: {
          ...(input.salesPaused !== undefined ? { salesPaused: input.salesPaused } : {}),
          ...(input.salesEndAt !== undefined ? { salesEndAt: input.salesEndAt } : {}),
          ...(input.returnHoursBefore !== undefined ? { returnHoursBefore: input.returnHoursBefore } : {}),
          ...(input.exchangeAllowed !== undefined ? { exchangeAllowed: input.exchangeAllowed } : {}),
        },
      });
      if (count === 0) {
        throw new DomainError("NOT_FOUND", `This showing has no "${input.type}" tickets.`, { details: { type: input.type } });
      }
      const stats = (await ticketStats(tx, [showing.id], now)).find((t) => t.type === input.type);
      if (!stats) throw notFound("Ticket type");
      return {
        showingId: showing.id,
        type: input.type,
        salesPaused: stats.salesPaused,
        salesEndAt: stats.salesEndAt,
        returnHoursBefore: stats.returnHoursBefore,
        exchangeAllowed: stats.exchangeAllowed,
        saleStatus: typeSaleState(stats, now),
      };
    });
  }
}

/** The settings an add-tickets line gives that disagree with the existing type, in words. */
function differences(item: AddTickets["tickets"][number], current: TypeSettings): string[] {
  const out: string[] = [];
  if (item.price !== undefined && !current.price.equals(item.price)) out.push(`price ${formatMoney(current.price)}`);
  if (item.groupDiscount !== undefined && !current.groupDiscount.equals(item.groupDiscount)) {
    out.push(`group discount ${current.groupDiscount.toString()}`);
  }
  if (item.groupSize !== undefined && current.groupSize !== item.groupSize) {
    out.push(current.groupSize === null ? "no group discount" : `group size ${current.groupSize}`);
  }
  if (item.transferable !== undefined && item.transferable !== current.transferable) {
    out.push(current.transferable ? "transferable tickets" : "non-transferable tickets");
  }
  if (item.buyable !== undefined && item.buyable !== current.buyable) {
    out.push(current.buyable ? "tickets for sale" : "tickets not for sale");
  }
  if (item.salesEndAt !== undefined && (item.salesEndAt?.getTime() ?? null) !== (current.salesEndAt?.getTime() ?? null)) {
    out.push(current.salesEndAt ? `sales ending ${current.salesEndAt.toISOString()}` : "no sales end");
  }
  if (item.returnHoursBefore !== undefined && item.returnHoursBefore !== current.returnHoursBefore) {
    out.push(current.returnHoursBefore === null ? "no returns" : `returns until ${current.returnHoursBefore} hours before`);
  }
  if (item.exchangeAllowed !== undefined && item.exchangeAllowed !== current.exchangeAllowed) {
    out.push(current.exchangeAllowed ? "the exchange allowed" : "no exchange");
  }
  return out;
}
