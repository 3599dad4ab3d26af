import type { UserActor } from "./actor.ts";
import type { DomainDeps } from "./deps.ts";
import { DomainError, notFound } from "./errors.ts";

const MANAGING_ROLES = ["OWNER", "OFFICER"] as const;

/** Club owners and officers manage the club's events; site admins manage every club. */
export class Roles {
  constructor(private readonly deps: DomainDeps) {}

  async canManageClub(actor: UserActor, clubId: number): Promise<boolean> {
    if (actor.isSiteAdmin) return true;
    const membership = await this.deps.prisma.membership.findFirst({
      where: { clubId, userId: actor.userId, role: { in: [...MANAGING_ROLES] } },
      select: { id: true },
    });
    return membership !== null;
  }

  /**
   * Throws NOT_FOUND rather than FORBIDDEN for clubs the caller cannot manage, so ids of other clubs' private
   * things cannot be probed.
   */
  async requireClubManager(actor: UserActor, clubId: number, what = "Club"): Promise<void> {
    if (!(await this.canManageClub(actor, clubId))) throw notFound(what);
  }

  /** NOT_FOUND unless the showing belongs to one of the club's events. */
  async requireShowingInClub(showingId: number, clubId: number): Promise<void> {
    const found = await this.deps.prisma.showing.count({ where: { id: showingId, event: { clubId } } });
    if (found === 0) throw notFound("Showing");
  }

  requireSiteAdmin(actor: UserActor): void {
    if (!actor.isSiteAdmin) throw new DomainError("FORBIDDEN", "Only site administrators can do this.");
  }

  /** The clubs this person manages, with their role. */
  async managedClubs(actor: UserActor) {
    const clubs = await this.deps.prisma.club.findMany({
      where: actor.isSiteAdmin
        ? { archived: false }
        : { archived: false, memberships: { some: { userId: actor.userId, role: { in: [...MANAGING_ROLES] } } } },
      select: {
        id: true,
        code: true,
        name: true,
        memberships: { where: { userId: actor.userId }, select: { role: true } },
      },
      orderBy: { name: "asc" },
    });
    return clubs.map((c) => ({ id: c.id, code: c.code, name: c.name, role: c.memberships[0]?.role ?? null }));
  }
}
