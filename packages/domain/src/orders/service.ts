import type { UserActor } from "../actor.ts";
import type { DomainDeps } from "../deps.ts";
import { notFound } from "../errors.ts";
import type { Roles } from "../roles.ts";
import { clubsOf, onlyClubs, orderViewSelect, toOrderView, type OrderView } from "./view.ts";
import { isUuid } from "../ids.ts";


export const ORDERS_PAGE = { default: 20, max: 100 } as const;

export interface OrderListOptions {
  /** How many orders (at most ORDERS_PAGE.max). */
  limit?: number;
  /** The last order of the previous page: the list goes on with the ones placed before it. */
  before?: string;
}

/**
 * What people bought. Buyers list and read their own orders; officers of a club whose showing is in an order read
 * their clubs' part of it (lines, tickets, refunds; another club's stay private). Anyone else gets NOT_FOUND, so order
 * ids cannot be probed.
 */
export class Orders {
  constructor(
    private readonly deps: DomainDeps,
    private readonly roles: Roles,
  ) {}

  /** The caller's orders, newest first, a page at a time. */
  async listMine(actor: UserActor, options: OrderListOptions = {}): Promise<OrderView[]> {
    const limit = Math.min(Math.max(options.limit ?? ORDERS_PAGE.default, 1), ORDERS_PAGE.max);
    const after = options.before ? await this.cursorOf(actor, options.before) : null;
    const rows = await this.deps.prisma.order.findMany({
      where: {
        userId: actor.userId,
        ...(after
          ? { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] }
          : {}),
      },
      select: orderViewSelect,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: limit,
    });
    return rows.map(toOrderView);
  }

  /** One order, for its buyer or an officer of a club whose showing it is for. */
  async get(actor: UserActor, id: string): Promise<OrderView> {
    if (!isUuid(id)) throw notFound("Order");
    const order = await this.deps.prisma.order.findUnique({ where: { id: id.toLowerCase() }, select: orderViewSelect });
    if (!order) throw notFound("Order");
    if (order.userId === actor.userId) return toOrderView(order);
    const managed = await this.managedClubsOf(actor, clubsOf(order));
    if (managed.size === 0) throw notFound("Order");
    return toOrderView(onlyClubs(order, managed));
  }

  private async managedClubsOf(actor: UserActor, clubIds: number[]): Promise<Set<number>> {
    const managed = new Set<number>();
    for (const clubId of clubIds) if (await this.roles.canManageClub(actor, clubId)) managed.add(clubId);
    return managed;
  }

  /** A page cursor is one of the caller's own orders; any other id is NOT_FOUND like everywhere else. */
  private async cursorOf(actor: UserActor, id: string) {
    const order = isUuid(id)
      ? await this.deps.prisma.order.findFirst({ where: { id: id.toLowerCase(), userId: actor.userId }, select: { id: true, createdAt: true } })
      : null;
    if (!order) throw notFound("Order");
    return order;
  }
}
