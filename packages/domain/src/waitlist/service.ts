import { Prisma, type PrismaClient, type WaitlistState } from "@admit/db";
import type { UserActor } from "../actor.ts";
import { notSellableSql, sellableSql, type ShowingSaleFacts } from "../availability.ts";
import { managedShowing, requireActiveClub } from "../catalog/access.ts";
import type { DomainDeps } from "../deps.ts";
import { DomainError, notFound } from "../errors.ts";
import { boughtOfShowingSql, orderAllowance } from "../order-limit.ts";
import { sqlTime, UTC_TEXT } from "../sql-time.ts";
import type { Roles } from "../roles.ts";
import { lockWaitlist, offerRound, releaseOfferedTickets, type OfferRound } from "./offers.ts";
import { REMINDER_BATCH, sendDueReminders } from "./reminders.ts";
import { keepsPlace, remindAt, requireDropAhead, requireMayJoin, waitable, type WaitTypeFacts } from "./rules.ts";

type Tx = Prisma.TransactionClient;

export interface WaitlistPlace {
  state: WaitlistState;
  /** The ticket type wanted; null: any type. */
  type: string | null;
  count: number;
  /** 1 for the next person to be offered tickets; null unless WAITING. */
  place: number | null;
  joinedAt: Date;
  /** The tickets held for them now (state OFFERED). */
  offer: { count: number; expiresAt: Date } | null;
}

export interface DropReminderView {
  /** When the e-mail goes out (computed from the drop and the lobby as they are now); null once the drop time is gone. */
  remindAt: Date | null;
  sentAt: Date | null;
}

export interface WaitlistStatus {
  showingId: number;
  /** How long an offer holds its tickets. */
  offerMinutes: number;
  /** People waiting for an offer (offered ones not counted). */
  waiting: number;
  /**
   * What the caller may join the waitlist for now (`waitable`, the rule the join refuses by): these types by name,
   * and `anyTypeWaitable` for any type. The order limit aside: the join checks the count.
   */
  waitableTypes: string[];
  anyTypeWaitable: boolean;
  you: WaitlistPlace | null;
  reminder: DropReminderView | null;
}

export interface MyWaitlistPlace {
  showingId: number;
  eventId: number;
  eventName: string;
  startTime: Date;
  state: WaitlistState;
  type: string | null;
  count: number;
  offer: { count: number; expiresAt: Date } | null;
}

export interface WaitlistEntryView {
  place: number | null;
  username: string;
  fullName: string;
  type: string | null;
  count: number;
  state: WaitlistState;
  joinedAt: Date;
  offeredCount: number | null;
  offerExpiresAt: Date | null;
}

export interface WaitlistList {
  showingId: number;
  offerMinutes: number;
  waiting: number;
  offered: number;
  /** Everyone still in line (waiting or holding an offer), in the order they joined. */
  entries: WaitlistEntryView[];
}

const WAITLIST_TRANSACTION = { maxWait: 15_000, timeout: 30_000 } as const;

/**
 * A sold-out showing's waitlist: students join for a count of one type (or any), freed tickets are offered to them
 * in the order they joined (held for `Showing.waitlistOfferMinutes`, put in their cart, e-mailed), an unused offer
 * passes on. And "notify me": an e-mail before an upcoming drop. Offers run from a periodic job in every process and,
 * best effort, right after tickets come free (`tryOfferFreed`); one lock per showing makes that safe.
 */
export class Waitlists {
  constructor(
    private readonly deps: DomainDeps,
    private readonly roles: Roles,
    private readonly settings: { publicUrl: string },
  ) {}

  async status(actor: UserActor | null, showingId: number): Promise<WaitlistStatus> {
    const showing = await this.visibleShowing(showingId);
    return this.statusOf(actor?.userId ?? null, showing);
  }

  async join(actor: UserActor, input: { showingId: number; type?: string | null; count: number }): Promise<WaitlistStatus> {
    const showing = await this.visibleShowing(input.showingId);
    const type = input.type ?? null;
    const now = this.deps.clock.now();
    await this.deps.prisma.$transaction(async (tx) => {
      await lockWaitlist(tx, showing.id);
      const entry = await tx.waitlistEntry.findUnique({
        where: { showingId_userId: { showingId: showing.id, userId: actor.userId } },
        select: { state: true },
      });
      const types = await waitTypeFacts(tx, { showingId: showing.id, userId: actor.userId, now });
      const counts = await orderCounts(tx, { showingId: showing.id, userId: actor.userId, now });
      requireMayJoin({ showing, types, entry, allowance: orderAllowance({ limit: showing.ticketOrderLimit, ...counts }) }, { type, count: input.count }, now);
      const back = { type, count: input.count, state: "WAITING" as const, joinedAt: now, offeredAt: null, offerExpiresAt: null, offeredCount: null, endedAt: null };
      await tx.waitlistEntry.upsert({
        where: { showingId_userId: { showingId: showing.id, userId: actor.userId } },
        create: { showingId: showing.id, userId: actor.userId, ...back },
        update: keepsPlace(entry) ? { type, count: input.count } : back,
      });
    }, WAITLIST_TRANSACTION);
    return this.statusOf(actor.userId, showing);
  }

  /** Leaving gives up the place; tickets an offer holds go back at once, to the next person in line. */
  async leave(actor: UserActor, showingId: number): Promise<WaitlistStatus> {
    const showing = await this.visibleShowing(showingId);
    const now = this.deps.clock.now();
    const released = await this.deps.prisma.$transaction(async (tx) => {
      await lockWaitlist(tx, showing.id);
      const left = await tx.waitlistEntry.updateMany({
        where: { showingId: showing.id, userId: actor.userId, state: { in: ["WAITING", "OFFERED"] } },
        data: { state: "LEFT", endedAt: now },
      });
      return left.count ? releaseOfferedTickets(tx, { showingId: showing.id, userId: actor.userId, now }) : 0;
    }, WAITLIST_TRANSACTION);
    if (released) await this.tryOfferFreed({ showingIds: [showing.id] });
    return this.statusOf(actor.userId, showing);
  }

  /** The caller's places still open (waiting, or an offer holding tickets), soonest showing first: for the cart's banner. */
  async mine(actor: UserActor): Promise<MyWaitlistPlace[]> {
    const rows = await this.deps.prisma.waitlistEntry.findMany({
      where: { userId: actor.userId, state: { in: ["WAITING", "OFFERED"] } },
      orderBy: [{ showing: { startTime: "asc" } }, { joinedAt: "asc" }],
      select: {
        showingId: true,
        state: true,
        type: true,
        count: true,
        offeredCount: true,
        offerExpiresAt: true,
        showing: { select: { eventId: true, startTime: true, event: { select: { name: true } } } },
      },
    });
    return rows.map((r) => ({
      showingId: r.showingId,
      eventId: r.showing.eventId,
      eventName: r.showing.event.name,
      startTime: r.showing.startTime,
      state: r.state,
      type: r.type,
      count: r.count,
      offer: r.state === "OFFERED" && r.offerExpiresAt ? { count: r.offeredCount ?? 0, expiresAt: r.offerExpiresAt } : null,
    }));
  }

  /** Officers: who is in line, in order, with the offer settings. */
  async list(actor: UserActor, showingId: number): Promise<WaitlistList> {
    const showing = await managedShowing(this.deps.prisma, this.roles, actor, showingId);
    const rows = await this.deps.prisma.waitlistEntry.findMany({
      where: { showingId: showing.id, state: { in: ["WAITING", "OFFERED"] } },
      orderBy: [{ joinedAt: "asc" }, { id: "asc" }],
      select: {
        type: true,
        count: true,
        state: true,
        joinedAt: true,
        offeredCount: true,
        offerExpiresAt: true,
        user: { select: { username: true, fullName: true } },
      },
    });
    const { waitlistOfferMinutes } = await this.deps.prisma.showing.findUniqueOrThrow({
      where: { id: showing.id },
      select: { waitlistOfferMinutes: true },
    });
    let place = 0;
    const entries = rows.map((r) => ({
      place: r.state === "WAITING" ? ++place : null,
      username: r.user.username,
      fullName: r.user.fullName,
      type: r.type,
      count: r.count,
      state: r.state,
      joinedAt: r.joinedAt,
      offeredCount: r.state === "OFFERED" ? r.offeredCount : null,
      offerExpiresAt: r.state === "OFFERED" ? r.offerExpiresAt : null,
    }));
    return {
      showingId: showing.id,
      offerMinutes: waitlistOfferMinutes,
      waiting: place,
      offered: entries.length - place,
      entries,
    };
  }

  /** Officers: offer whatever can be sold now to the waitlist at once (the job would within seconds). */
  async release(actor: UserActor, showingId: number): Promise<OfferRound> {
    const showing = await managedShowing(this.deps.prisma, this.roles, actor, showingId);
    return this.offerFreed([showing.id]);
  }

  /** Officers: how long an offer holds its tickets (offers already made keep their time). */
  async configure(actor: UserActor, input: { showingId: number; offerMinutes: number }): Promise<{ showingId: number; offerMinutes: number }> {
    const showing = await managedShowing(this.deps.prisma, this.roles, actor, input.showingId);
    requireActiveClub(showing.event.club);
    if (!Number.isInteger(input.offerMinutes) || input.offerMinutes < 5 || input.offerMinutes > 1440) {
      throw new DomainError("VALIDATION_FAILED", "An offer holds its tickets for 5 to 1440 minutes.");
    }
    const updated = await this.deps.prisma.showing.update({
      where: { id: showing.id },
      data: { waitlistOfferMinutes: input.offerMinutes },
      select: { waitlistOfferMinutes: true },
    });
    return { showingId: showing.id, offerMinutes: updated.waitlistOfferMinutes };
  }

  /**
   * Offers freed tickets of the given showings (all with anyone waiting or an offer to end, when left out). Idempotent
   * and safe from any number of processes at once: each showing's round runs under its waitlist lock.
   */
  async offerFreed(showingIds?: number[]): Promise<OfferRound> {
    const now = this.deps.clock.now();
    const showings = await this.showingsToOffer(now, showingIds);
    const total: OfferRound = { offers: 0, tickets: 0, expired: 0 };
    for (const showingId of showings) {
      const round = await this.deps.prisma.$transaction(async (tx) => {
        await lockWaitlist(tx, showingId);
        return offerRound(tx, showingId, { now: this.deps.clock.now(), publicUrl: this.settings.publicUrl, siteTimeZone: this.deps.siteTimeZone });
      }, WAITLIST_TRANSACTION);
      total.offers += round.offers;
      total.tickets += round.tickets;
      total.expired += round.expired;
    }
    return total;
  }

  /**
   * `offerFreed` right after something put tickets back on sale (a return, a refund, added tickets), called after
   * that change committed. Best effort: a failure here is left to the periodic job, never to the caller.
   */
  async tryOfferFreed(freed: { showingIds: number[] } | { ticketIds: string[] }): Promise<void> {
    try {
      const showingIds =
        "showingIds" in freed
          ? freed.showingIds
          : (
              await this.deps.prisma.ticket.findMany({ where: { id: { in: freed.ticketIds } }, distinct: ["showingId"], select: { showingId: true } })
            ).map((t) => t.showingId);
      if (showingIds.length) await this.offerFreed(showingIds);
    } catch {
      // The offer job runs every few seconds in every process and picks these tickets up.
    }
  }

  /** "Notify me": an e-mail before the lobby opens (or the drop, without a lobby). Asking again changes nothing. */
  async remind(actor: UserActor, showingId: number): Promise<DropReminderView> {
    const showing = await this.visibleShowing(showingId);
    const now = this.deps.clock.now();
    requireDropAhead(showing, now);
    // A drop ahead has a drop time.
    const due = remindAt(showing.ticketDropTime ?? now, showing.lobby);
    const reminder = await this.deps.prisma.dropReminder.upsert({
      where: { showingId_userId: { showingId: showing.id, userId: actor.userId } },
      create: { showingId: showing.id, userId: actor.userId, remindAt: due, createdAt: now },
      update: {},
      select: { sentAt: true },
    });
    return { remindAt: due, sentAt: reminder.sentAt };
  }

  async forget(actor: UserActor, showingId: number): Promise<{ removed: boolean }> {
    const showing = await this.visibleShowing(showingId);
    const { count } = await this.deps.prisma.dropReminder.deleteMany({ where: { showingId: showing.id, userId: actor.userId } });
    return { removed: count > 0 };
  }

  /** The periodic job: every due reminder, each sent once. */
  async sendDueReminders(): Promise<{ sent: number }> {
    let sent = 0;
    for (;;) {
      const batch = await this.deps.prisma.$transaction(
        (tx) => sendDueReminders(tx, { now: this.deps.clock.now(), publicUrl: this.settings.publicUrl, siteTimeZone: this.deps.siteTimeZone }),
        WAITLIST_TRANSACTION,
      );
      sent += batch;
      if (batch < REMINDER_BATCH) return { sent };
    }
  }

  /**
   * Showings where a round has work: someone waits and a ticket can be sold now, or an offer's time ran out. A sold-out
   * showing with a long line costs the periodic job one look at its tickets, not a transaction and a lock every 5 seconds.
   */
  private async showingsToOffer(now: Date, only?: number[]): Promise<number[]> {
    const at = sqlTime(now);
    const onlyThese = (column: Prisma.Sql) => (only ? Prisma.sql`AND ${column} = ANY(${only}::int[])` : Prisma.empty);
    // Per showing, not per place: a long line costs one look at the showing's tickets. Places of ended or cancelled
    // showings wait for nothing: the job leaves them alone instead of visiting them forever.
    const rows = await this.deps.prisma.$queryRaw<Array<{ showingId: number }>>`
      SELECT s.id AS "showingId" FROM "Showing" s
      WHERE s."endTime" > ${at} AND s."cancelledAt" IS NULL ${onlyThese(Prisma.sql`s.id`)}
        AND EXISTS (SELECT 1 FROM "WaitlistEntry" w WHERE w."showingId" = s.id AND w.state = 'WAITING')
        AND EXISTS (SELECT 1 FROM "Ticket" t WHERE t."showingId" = s.id AND ${sellableSql({ now, purpose: "sale", showing: "s" })})
      UNION
      SELECT w."showingId" FROM "WaitlistEntry" w
      WHERE w.state = 'OFFERED' AND w."offerExpiresAt" <= ${at} ${onlyThese(Prisma.sql`w."showingId"`)}
      ORDER BY 1`;
    return rows.map((r) => Number(r.showingId));
  }

  /** A showing students can see (its club approved and not archived); NOT_FOUND otherwise. */
  private async visibleShowing(showingId: number) {
    const showing = await this.deps.prisma.showing.findUnique({
      where: { id: showingId },
      select: {
        id: true,
        endTime: true,
        ticketDropTime: true,
        salesPaused: true,
        cancelledAt: true,
        ticketOrderLimit: true,
        waitlistOfferMinutes: true,
        lobby: { select: { enabled: true, opensMinutesBefore: true } },
        event: { select: { club: { select: { approved: true, archived: true } } } },
      },
    });
    if (!showing || !showing.event.club.approved || showing.event.club.archived) throw notFound("Showing");
    return showing;
  }

  private async statusOf(
    userId: string | null,
    showing: ShowingSaleFacts & { id: number; waitlistOfferMinutes: number; lobby: { enabled: boolean; opensMinutesBefore: number } | null },
  ): Promise<WaitlistStatus> {
    const prisma = this.deps.prisma;
    const now = this.deps.clock.now();
    const [waiting, entry, reminder, types] = await Promise.all([
      prisma.waitlistEntry.count({ where: { showingId: showing.id, state: "WAITING" } }),
      userId ? prisma.waitlistEntry.findUnique({ where: { showingId_userId: { showingId: showing.id, userId } } }) : null,
      userId ? prisma.dropReminder.findUnique({ where: { showingId_userId: { showingId: showing.id, userId } }, select: { sentAt: true } }) : null,
      waitTypeFacts(prisma, { showingId: showing.id, userId, now }),
    ]);
    const may = waitable({ showing, types }, now);
    const ahead =
      entry?.state === "WAITING"
        ? await prisma.waitlistEntry.count({
            where: {
              showingId: showing.id,
              state: "WAITING",
              OR: [{ joinedAt: { lt: entry.joinedAt } }, { joinedAt: entry.joinedAt, id: { lt: entry.id } }],
            },
          })
        : 0;
    return {
      showingId: showing.id,
      offerMinutes: showing.waitlistOfferMinutes,
      waiting,
      waitableTypes: may.types,
      anyTypeWaitable: may.any,
      you: entry
        ? {
            state: entry.state,
            type: entry.type,
            count: entry.count,
            place: entry.state === "WAITING" ? ahead + 1 : null,
            joinedAt: entry.joinedAt,
            offer:
              entry.state === "OFFERED" && entry.offerExpiresAt
                ? { count: entry.offeredCount ?? 0, expiresAt: entry.offerExpiresAt }
                : null,
          }
        : null,
      reminder: reminder
        ? { remindAt: showing.ticketDropTime ? remindAt(showing.ticketDropTime, showing.lobby) : null, sentAt: reminder.sentAt }
        : null,
    };
  }
}

/**
 * Per ticket type of the showing, what the waitlist rules read (`WaitTypeFacts`): its sale switches and what is on sale
 * for this student now (their own holds count as theirs; signed out, anybody's hold counts against them).
 */
async function waitTypeFacts(db: Tx | PrismaClient, q: { showingId: number; userId: string | null; now: Date }): Promise<WaitTypeFacts[]> {
  const holder = q.userId === null ? {} : { holder: Prisma.sql`${q.userId}` };
  const rows = await db.$queryRaw<Array<{ type: string; buyable: boolean; salesPaused: boolean; salesEndAt: string | null; sellable: number }>>`
    SELECT t.type, BOOL_OR(t.buyable) AS buyable, BOOL_OR(t."salesPaused") AS "salesPaused",
           to_char(MIN(t."salesEndAt"), ${UTC_TEXT}) AS "salesEndAt",
           (COUNT(*) FILTER (WHERE ${sellableSql({ now: q.now, purpose: "sale", ...holder })}))::int AS sellable
    FROM "Ticket" t WHERE t."showingId" = ${q.showingId}
    GROUP BY t.type ORDER BY t.type`;
  return rows.map((r) => ({
    type: r.type,
    buyable: r.buyable,
    salesPaused: r.salesPaused,
    salesEndAt: r.salesEndAt === null ? null : new Date(r.salesEndAt),
    sellableForYou: Number(r.sellable),
  }));
}

/** The student's tickets of the showing that count against its order limit: in their cart, and bought. */
async function orderCounts(tx: Tx, q: { showingId: number; userId: string; now: Date }) {
  const user = Prisma.sql`${q.userId}`;
  const [row] = await tx.$queryRaw<Array<{ inCart: number; owned: number }>>`
    SELECT (SELECT count(*)::int FROM "CartTicket" ct JOIN "Cart" k ON k.id = ct."cartId" JOIN "Ticket" t ON t.id = ct."ticketId"
              WHERE k."userId" = ${q.userId} AND t."showingId" = ${q.showingId}
                AND NOT ${notSellableSql({ now: q.now, purpose: "handover", holder: user })}) AS "inCart",
           ${boughtOfShowingSql(Prisma.sql`${q.showingId}`, user)} AS owned`;
  return { inCart: Number(row?.inCart ?? 0), owned: Number(row?.owned ?? 0) };
}
