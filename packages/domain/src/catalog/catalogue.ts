import { Prisma } from "@admit/db";
import type { Actor } from "../actor.ts";
import { saleState, typeSaleState } from "../availability.ts";
import type { DomainDeps } from "../deps.ts";
import { notFound } from "../errors.ts";
import { Decimal } from "../money.ts";
import { boughtOfShowingSql, orderAllowance, type OrderAllowance } from "../order-limit.ts";
import { formatQuote, groupQuote } from "../pricing.ts";
import { Roles } from "../roles.ts";
import { countsOf, groupByShowing, ticketStats, type TypeStats } from "./stats.ts";

const publicClub = { approved: true, archived: false } as const;

const clubFields = { id: true, code: true, name: true, approved: true, archived: true } as const;

/** The group discount priced here, so that no client does arithmetic on money. */
function quoteOf(t: TypeStats) {
  if (!t.groupDiscount) return null;
  return formatQuote(
    groupQuote({ price: new Decimal(t.price), groupDiscount: new Decimal(t.groupDiscount.fraction), groupSize: t.groupDiscount.size }),
  );
}

/**
 * What a student sees of a type: only types that are sold to the public, with how many are in their cart, and
 * whether the type itself sells now (availability.ts decides; the storefront shows why not: paused or sales ended).
 */
function publicTypes(stats: TypeStats[], inCart: Record<string, number>, now: Date) {
  return stats
    .filter((t) => t.buyable)
    .map((t) => ({
      type: t.type,
      price: t.price,
      groupDiscount: t.groupDiscount,
      groupQuote: quoteOf(t),
      transferable: t.transferable,
      available: t.available,
      inCart: inCart[t.type] ?? 0,
      saleStatus: typeSaleState(t, now),
      salesEndAt: t.salesEndAt,
      returnHoursBefore: t.returnHoursBefore,
      exchangeAllowed: t.exchangeAllowed,
    }));
}

interface CallerCounts {
  allowance: OrderAllowance;
  inCartByType: Record<string, number>;
}

/**
 * The storefront's read side: upcoming showings, one event with its offerings, and ticket counts. Only approved,
 * unarchived clubs are public; officers (and site admins) also see their own club's unpublished events.
 */
export class Catalogue {
  private readonly roles: Roles;

  constructor(private readonly deps: DomainDeps) {
    this.roles = new Roles(deps);
  }

  private async visible(actor: Actor, club: { id: number; approved: boolean; archived: boolean }): Promise<boolean> {
    if (club.approved && !club.archived) return true;
    return actor?.kind === "user" && (await this.roles.canManageClub(actor, club.id));
  }

  /** Upcoming showings (not yet ended) of public clubs, soonest first. */
  async list(filter: { clubCode?: string | undefined } = {}) {
    const now = this.deps.clock.now();
    const showings = await this.deps.prisma.showing.findMany({
      where: {
        endTime: { gt: now },
        event: { club: { ...publicClub, ...(filter.clubCode ? { code: filter.clubCode } : {}) } },
      },
      select: {
        id: true,
        startTime: true,
        endTime: true,
        location: true,
        ticketOrderLimit: true,
        ticketDropTime: true,
        salesPaused: true,
        cancelledAt: true,
        cancelReason: true,
        event: { select: { id: true, name: true, club: { select: clubFields } } },
      },
      orderBy: [{ startTime: "asc" }, { id: "asc" }],
      take: 500,
    });
    const stats = groupByShowing(await ticketStats(this.deps.prisma, showings.map((s) => s.id), now));
    return showings.map((s) => {
      const types = (stats.get(s.id) ?? []).filter((t) => t.buyable);
      const prices = types.flatMap((t) => [t.minPrice, t.price]).sort((a, b) => new Decimal(a).comparedTo(b));
      return {
        showingId: s.id,
        eventId: s.event.id,
        eventName: s.event.name,
        club: { id: s.event.club.id, code: s.event.club.code, name: s.event.club.name },
        startTime: s.startTime,
        endTime: s.endTime,
        location: s.location,
        dropTime: s.ticketDropTime,
        orderLimit: s.ticketOrderLimit,
        saleStatus: saleState(s, now),
        cancelReason: s.cancelReason,
        minPrice: prices[0] ?? null,
        maxPrice: prices[prices.length - 1] ?? null,
        available: types.reduce((n, t) => n + t.available, 0),
      };
    });
  }

  /** One event with every showing and, per public ticket type, price, group discount rule and availability. */
  async get(actor: Actor, eventId: number) {
    const now = this.deps.clock.now();
    const event = await this.deps.prisma.event.findUnique({
      where: { id: eventId },
      select: {
        id: true,
        name: true,
        description: true,
        club: { select: clubFields },
        showings: {
          select: {
            id: true,
            startTime: true,
            endTime: true,
            location: true,
            ticketOrderLimit: true,
            ticketDropTime: true,
            salesPaused: true,
            cancelledAt: true,
            cancelReason: true,
            lobby: { select: { showingId: true } },
          },
          orderBy: [{ startTime: "asc" }, { id: "asc" }],
        },
      },
    });
    if (!event || !(await this.visible(actor, event.club))) throw notFound("Event");
    const showingIds = event.showings.map((s) => s.id);
    const stats = groupByShowing(await ticketStats(this.deps.prisma, showingIds, now));
    const mine = actor?.kind === "user" ? await this.callerCounts(actor.userId, showingIds) : new Map<number, CallerCounts>();
    return {
      id: event.id,
      name: event.name,
      description: event.description,
      club: { id: event.club.id, code: event.club.code, name: event.club.name },
      showings: event.showings.map((s) => ({
        id: s.id,
        startTime: s.startTime,
        endTime: s.endTime,
        location: s.location,
        dropTime: s.ticketDropTime,
        orderLimit: s.ticketOrderLimit,
        saleStatus: saleState({ ...s, event }, now),
        cancelReason: s.cancelReason,
        hasLobby: s.lobby !== null,
        allowance: mine.get(s.id)?.allowance ?? null,
        types: publicTypes(stats.get(s.id) ?? [], mine.get(s.id)?.inCartByType ?? {}, now),
      })),
    };
  }

  /** Per showing, the caller's order limit (see order-limit.ts) and cart tickets per type, in one statement. */
  private async callerCounts(userId: string, showingIds: number[]): Promise<Map<number, CallerCounts>> {
    if (showingIds.length === 0) return new Map();
    const rows = await this.deps.prisma.$queryRaw<
      Array<{ id: number; limit: number; owned: number; inCartByType: Record<string, number> | null }>
    >`
      SELECT s.id, s."ticketOrderLimit" AS "limit", ${boughtOfShowingSql(Prisma.sql`s.id`, Prisma.sql`${userId}`)} AS owned,
             (SELECT json_object_agg(x.type, x.n) FROM (
                SELECT t.type, count(*)::int AS n FROM "CartTicket" ct JOIN "Cart" k ON k.id = ct."cartId"
                JOIN "Ticket" t ON t.id = ct."ticketId"
                WHERE k."userId" = ${userId} AND t."showingId" = s.id GROUP BY t.type) x) AS "inCartByType"
      FROM "Showing" s WHERE s.id = ANY(${showingIds}::int[])`;
    return new Map(
      rows.map((r) => {
        const inCartByType = r.inCartByType ?? {};
        const inCart = Object.values(inCartByType).reduce((n, c) => n + Number(c), 0);
        return [Number(r.id), { allowance: orderAllowance({ limit: Number(r.limit), inCart, owned: Number(r.owned) }), inCartByType }];
      }),
    );
  }

  /**
   * Ticket counts of one showing. With an eventId (the REST path), a showing of another event is NOT_FOUND too.
   */
  async counts(actor: Actor, showingId: number, eventId?: number) {
    const showing = await this.deps.prisma.showing.findUnique({
      where: { id: showingId },
      select: { id: true, eventId: true, event: { select: { club: { select: clubFields } } } },
    });
    if (!showing || (eventId !== undefined && showing.eventId !== eventId)) throw notFound("Showing");
    if (!(await this.visible(actor, showing.event.club))) throw notFound("Showing");
    return countsOf(await ticketStats(this.deps.prisma, [showing.id], this.deps.clock.now()));
  }
}
