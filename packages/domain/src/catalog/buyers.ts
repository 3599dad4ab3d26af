import type { UserActor } from "../actor.ts";
import type { DomainDeps } from "../deps.ts";
import { formatMoney } from "../money.ts";
import { Roles } from "../roles.ts";
import { zoneOfClub } from "../time-zone.ts";
import { managedShowing } from "./access.ts";

export interface BuyerRow {
  ticketId: string;
  name: string;
  username: string;
  email: string;
  type: string;
  attended: boolean;
  /** When the ticket was first admitted at the door (null: not yet). */
  attendedAt: Date | null;
  /** What was paid for this ticket, e.g. "15.00"; "0.00" for free and complimentary tickets. */
  amountPaid: string;
  complimentary: boolean;
}

/** Who holds the tickets of a showing (the current owner, after any transfer), for officers and their door lists. */
export class Buyers {
  private readonly roles: Roles;

  constructor(private readonly deps: DomainDeps) {
    this.roles = new Roles(deps);
  }

  async list(
    actor: UserActor,
    showingId: number,
  ): Promise<{ showingId: number; eventName: string; timeZone: string; buyers: BuyerRow[] }> {
    const showing = await managedShowing(this.deps.prisma, this.roles, actor, showingId);
    const tickets = await this.deps.prisma.ticket.findMany({
      where: { showingId: showing.id, ownerId: { not: null } },
      select: {
        id: true,
        type: true,
        attended: true,
        attendedAt: true,
        amountPaid: true,
        complimentary: true,
        owner: { select: { fullName: true, username: true, email: true } },
      },
      orderBy: [{ owner: { fullName: "asc" } }, { type: "asc" }, { id: "asc" }],
    });
    return {
      showingId: showing.id,
      eventName: showing.event.name,
      timeZone: zoneOfClub(showing.event.club.timeZone, this.deps.siteTimeZone),
      buyers: tickets.flatMap((t) =>
        t.owner
          ? [
              {
                ticketId: t.id,
                name: t.owner.fullName,
                username: t.owner.username,
                email: t.owner.email,
                type: t.type,
                attended: t.attended,
                attendedAt: t.attendedAt,
                amountPaid: formatMoney(t.amountPaid ?? 0),
                complimentary: t.complimentary,
              },
            ]
          : [],
      ),
    };
  }
}
