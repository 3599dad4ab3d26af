import type { UserActor } from "../actor.ts";
import type { DomainDeps } from "../deps.ts";
import { notFound } from "../errors.ts";
import { Roles } from "../roles.ts";
import { zoneOfClub } from "../time-zone.ts";
import { loadClubMoney } from "./facts.ts";
import { financeLedger, type LedgerEntry } from "./ledger.ts";
import { financeReport, type FinanceReport } from "./report.ts";

/** A club named by id (the dashboard) or by code (REST paths). */
export type ClubRef = { clubId: number } | { clubCode: string };

export interface ClubFinanceReport extends FinanceReport {
  club: { id: number; code: string; name: string };
}

/**
 * A club's money for its treasurer and the student-activities office: what it sold, what went back and what is still
 * owed, and the file that reconciles with the CyberSource Business Center. Owners and officers only (and site admins).
 */
export class ClubFinance {
  constructor(
    private readonly deps: DomainDeps,
    private readonly roles: Roles,
  ) {}

  async report(actor: UserActor, ref: ClubRef): Promise<ClubFinanceReport> {
    const club = await this.managedClub(actor, ref);
    const { sales, refunds } = await loadClubMoney(this.deps.prisma, club.id);
    return { club: { id: club.id, code: club.code, name: club.name }, ...financeReport(sales, refunds, club.zone) };
  }

  async ledger(actor: UserActor, ref: ClubRef): Promise<{ club: { id: number; code: string; name: string }; timeZone: string; entries: LedgerEntry[] }> {
    const club = await this.managedClub(actor, ref);
    const { sales, refunds } = await loadClubMoney(this.deps.prisma, club.id);
    return { club: { id: club.id, code: club.code, name: club.name }, timeZone: club.zone, entries: financeLedger(sales, refunds, club.zone) };
  }

  /** NOT_FOUND for unknown clubs and for clubs the caller does not manage alike, so club money cannot be probed. */
  private async managedClub(actor: UserActor, ref: ClubRef) {
    const club = await this.deps.prisma.club.findUnique({
      where: "clubId" in ref ? { id: ref.clubId } : { code: ref.clubCode },
      select: { id: true, code: true, name: true, timeZone: true },
    });
    if (!club) throw notFound("Club");
    await this.roles.requireClubManager(actor, club.id);
    return { ...club, zone: zoneOfClub(club.timeZone, this.deps.siteTimeZone) };
  }
}
