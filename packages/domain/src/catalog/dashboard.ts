import type { UserActor } from "../actor.ts";
import { saleState, typeSaleState } from "../availability.ts";
import type { DomainDeps } from "../deps.ts";
import { notFound } from "../errors.ts";
import { Roles } from "../roles.ts";
import { groupByShowing, showingTotals, ticketStats } from "./stats.ts";

/** A club's events as its officers see them: every showing with live sales, holds, revenue and door numbers. */
export class ClubDashboard {
  private readonly roles: Roles;

  constructor(private readonly deps: DomainDeps) {
    this.roles = new Roles(deps);
  }

  async events(actor: UserActor, clubId: number) {
    await this.roles.requireClubManager(actor, clubId);
    const now = this.deps.clock.now();
    const club = await this.deps.prisma.club.findUnique({
      where: { id: clubId },
      select: {
        approved: true,
        archived: true,
        events: {
          select: {
            id: true,
            name: true,
            description: true,
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
              },
              orderBy: [{ startTime: "asc" }, { id: "asc" }],
            },
          },
          orderBy: { id: "desc" },
        },
      },
    });
    if (!club) throw notFound("Club");
    const showingIds = club.events.flatMap((e) => e.showings.map((s) => s.id));
    const stats = groupByShowing(await ticketStats(this.deps.prisma, showingIds, now));
    const saleFacts = { event: { club: { approved: club.approved, archived: club.archived } } };
    return club.events.map((event) => ({
      id: event.id,
      name: event.name,
      description: event.description,
      showings: event.showings.map((s) => {
        const types = stats.get(s.id) ?? [];
        return {
          id: s.id,
          startTime: s.startTime,
          endTime: s.endTime,
          location: s.location,
          dropTime: s.ticketDropTime,
          orderLimit: s.ticketOrderLimit,
          saleStatus: saleState({ ...s, ...saleFacts }, now),
          salesPaused: s.salesPaused,
          cancelledAt: s.cancelledAt,
          cancelReason: s.cancelReason,
          ...showingTotals(types),
          types: types.map((t) => ({
            type: t.type,
            price: t.price,
            groupDiscount: t.groupDiscount,
            transferable: t.transferable,
            buyable: t.buyable,
            salesPaused: t.salesPaused,
            salesEndAt: t.salesEndAt,
            returnHoursBefore: t.returnHoursBefore,
            exchangeAllowed: t.exchangeAllowed,
            saleStatus: typeSaleState(t, now),
            total: t.total,
            sold: t.sold,
            onExchange: t.onExchange,
            held: t.held,
            issuable: t.issuable,
            // Officers count a ticket offered on the exchange as sold (it has an owner), in `onExchange`, not here.
            available: t.availableUnsold,
            revenue: t.revenue,
            checkedIn: t.checkedIn,
          })),
        };
      }),
    }));
  }
}
