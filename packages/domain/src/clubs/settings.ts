import type { UserActor } from "../actor.ts";
import type { DomainDeps } from "../deps.ts";
import { DomainError, notFound } from "../errors.ts";
import { Roles } from "../roles.ts";
import { DEFAULT_SITE_TIME_ZONE, canonicalTimeZone, isTimeZone, zoneOfClub } from "../time-zone.ts";

export interface ClubSettingsView {
  clubId: number;
  /** The club's own IANA zone; null: the site's. */
  timeZone: string | null;
  /** The zone its times are written in outside the browser (e-mails, CSV, calendar files, finance months). */
  effectiveTimeZone: string;
  siteTimeZone: string;
}

/** Settings a club's owners and officers change for their club. */
export class ClubSettings {
  private readonly roles: Roles;

  constructor(private readonly deps: DomainDeps) {
    this.roles = new Roles(deps);
  }

  async get(actor: UserActor, clubId: number): Promise<ClubSettingsView> {
    await this.roles.requireClubManager(actor, clubId);
    const club = await this.deps.prisma.club.findUnique({ where: { id: clubId }, select: { id: true, timeZone: true } });
    if (!club) throw notFound("Club");
    return this.view(club.id, club.timeZone);
  }

  /** Sets the club's time zone; null goes back to the site's. An unknown zone is refused and nothing changes. */
  async update(actor: UserActor, input: { clubId: number; timeZone: string | null }): Promise<ClubSettingsView> {
    await this.roles.requireClubManager(actor, input.clubId);
    const timeZone = input.timeZone === null ? null : input.timeZone.trim();
    if (timeZone !== null && !isTimeZone(timeZone)) {
      throw new DomainError(
        "VALIDATION_FAILED",
        `"${timeZone}" is not a time zone; choose one such as America/New_York, or the site's zone.`,
        { details: { field: "timeZone" } },
      );
    }
    const club = await this.deps.prisma.club.update({
      where: { id: input.clubId },
      data: { timeZone: timeZone === null ? null : canonicalTimeZone(timeZone) },
      select: { id: true, timeZone: true },
    });
    return this.view(club.id, club.timeZone);
  }

  private view(clubId: number, timeZone: string | null): ClubSettingsView {
    return {
      clubId,
      timeZone,
      effectiveTimeZone: zoneOfClub(timeZone, this.deps.siteTimeZone),
      siteTimeZone: this.deps.siteTimeZone ?? DEFAULT_SITE_TIME_ZONE,
    };
  }
}
