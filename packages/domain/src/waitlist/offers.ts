import { Prisma } from "@admit/db";
import { notSellableSql, saleState, sellableSql } from "../availability.ts";
import { lockCart } from "../cart/store.ts";
import { enqueueMail } from "../mail/outbox.ts";
import { boughtOfShowingSql, orderAllowance } from "../order-limit.ts";
import { sqlTime } from "../sql-time.ts";
import { zoneOfClub } from "../time-zone.ts";
import { offerMessage, type MailShowing } from "./mail.ts";

type Tx = Prisma.TransactionClient;

/** The first key of every waitlist lock (the second is the showing id): "WAIT" in ASCII, apart from other advisory locks. */
const WAITLIST_LOCK_SPACE = 0x57414954;

/**
 * One showing's waitlist changes one transaction at a time, in any process: offers, joins and leaves take this lock
 * first and hold it until they commit, so an entry is never offered twice and two offers never count the same
 * freed tickets. An advisory lock, not the Showing row, so checkouts and officers' edits never wait for it.
 */
export async function lockWaitlist(tx: Tx, showingId: number): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${WAITLIST_LOCK_SPACE}::int, ${showingId}::int)`;
}

export interface OfferRound {
  /** Students offered tickets in this round. */
  offers: number;
  /** Tickets held for them. */
  tickets: number;
  /** Offers that lapsed unused (their places ended EXPIRED). */
  expired: number;
}

export interface OfferSettings {
  now: Date;
  publicUrl: string;
  siteTimeZone: string | undefined;
}

/**
 * Ends the showing's lapsed offers, then offers its freed tickets to the waiting students in the order they joined,
 * each up to what they asked for and what the order limit still allows them (fewer is an offer too). The caller holds
 * the waitlist lock (`lockWaitlist`). An offer holds the tickets for the student until the offer ends (a hold, so the
 * one availability rule keeps everyone else off them), puts them in their cart, and is e-mailed in this transaction.
 */
export async function offerRound(tx: Tx, showingId: number, settings: OfferSettings): Promise<OfferRound> {
  const { now } = settings;
  const expired = await expireLapsedOffers(tx, showingId, now);
  const round: OfferRound = { offers: 0, tickets: 0, expired };
  const showing = await showingForOffers(tx, showingId, settings);
  if (!showing || saleState(showing, now) !== "ON_SALE") return round;
  const supply = await sellableByType(tx, showingId, now);
  let left = [...supply.values()].reduce((a, b) => a + b, 0);
  if (left === 0) return round;
  const offerUntil = new Date(now.getTime() + showing.waitlistOfferMinutes * 60_000);
  for (const entry of await waitingEntries(tx, showingId)) {
    const available = entry.type === null ? left : (supply.get(entry.type) ?? 0);
    if (available === 0) continue;
    const cartId = await lockCart(tx, entry.userId, now);
    // A sale ends places without the waitlist lock (orders/demand.ts): re-read the place under its row lock.
    if (!(await stillWaiting(tx, entry.id))) continue;
    await dropTakenFromCart(tx, { cartId, showingId, userId: entry.userId, now });
    const allowance = orderAllowance({ limit: showing.ticketOrderLimit, ...(await countsFor(tx, { cartId, showingId, userId: entry.userId })) });
    const want = Math.min(entry.count, allowance.remaining, available);
    if (want === 0) continue;
    const held = await holdForStudent(tx, { showingId, type: entry.type, count: want, userId: entry.userId, cartId, until: offerUntil, now });
    if (held.length === 0) continue;
    await tx.waitlistEntry.update({
      where: { id: entry.id },
      data: { state: "OFFERED", offeredAt: now, offerExpiresAt: offerUntil, offeredCount: held.length },
    });
    await enqueueMail(tx, [
      offerMessage(
        { entryId: entry.id, offeredAt: now, expiresAt: offerUntil, held: held.length, wanted: entry.count, type: entry.type },
        showing.mail,
        entry.user,
        settings.publicUrl,
      ),
    ]);
    round.offers += 1;
    round.tickets += held.length;
    for (const h of held) supply.set(h.type, (supply.get(h.type) ?? 0) - 1);
    left -= held.length;
    if (left <= 0) break;
  }
  return round;
}

/**
 * Offers whose time ran out end EXPIRED; their tickets' holds lapse by themselves (the hold ends when the offer does).
 * An offer whose student is paying right now (their checkout holds the showing's tickets) is not ended: the
 * payment's outcome decides (a sale ends the place DONE, see orders/demand.ts).
 */
async function expireLapsedOffers(tx: Tx, showingId: number, now: Date): Promise<number> {
  const at = sqlTime(now);
  return tx.$executeRaw`
    UPDATE "WaitlistEntry" w SET state = 'EXPIRED', "endedAt" = ${at}
    WHERE w."showingId" = ${showingId} AND w.state = 'OFFERED' AND w."offerExpiresAt" <= ${at}
      AND NOT EXISTS (SELECT 1 FROM "Ticket" t WHERE t."showingId" = w."showingId" AND t."holderId" = w."userId"
                      AND t."heldForPaymentId" IS NOT NULL AND t."holdExpiresAt" > ${at})`;
}

interface ShowingForOffers {
  endTime: Date;
  ticketDropTime: Date | null;
  salesPaused: boolean;
  cancelledAt: Date | null;
  event: { club: { approved: boolean; archived: boolean } };
  ticketOrderLimit: number;
  waitlistOfferMinutes: number;
  mail: MailShowing;
}

async function showingForOffers(tx: Tx, showingId: number, settings: OfferSettings): Promise<ShowingForOffers | null> {
  const s = await tx.showing.findUnique({
    where: { id: showingId },
    select: {
      id: true,
      eventId: true,
      startTime: true,
      endTime: true,
      ticketDropTime: true,
      salesPaused: true,
      cancelledAt: true,
      ticketOrderLimit: true,
      waitlistOfferMinutes: true,
      event: { select: { name: true, club: { select: { name: true, approved: true, archived: true, timeZone: true } } } },
    },
  });
  if (!s) return null;
  return {
    ...s,
    mail: {
      id: s.id,
      eventId: s.eventId,
      eventName: s.event.name,
      clubName: s.event.club.name,
      startTime: s.startTime,
      endTime: s.endTime,
      timeZone: zoneOfClub(s.event.club.timeZone, settings.siteTimeZone),
    },
  };
}

/** How many of the showing's tickets of each type can be sold now (nobody's hold counts as free here). */
async function sellableByType(tx: Tx, showingId: number, now: Date): Promise<Map<string, number>> {
  const rows = await tx.$queryRaw<Array<{ type: string; n: number }>>`
    SELECT t.type, count(*)::int AS n FROM "Ticket" t
    WHERE t."showingId" = ${showingId} AND ${sellableSql({ now, purpose: "sale" })}
    GROUP BY t.type`;
  return new Map(rows.map((r) => [r.type, Number(r.n)]));
}

interface WaitingEntry {
  id: string;
  userId: string;
  type: string | null;
  count: number;
  user: { email: string; fullName: string };
}

function waitingEntries(tx: Tx, showingId: number): Promise<WaitingEntry[]> {
  return tx.waitlistEntry.findMany({
    where: { showingId, state: "WAITING" },
    orderBy: [{ joinedAt: "asc" }, { id: "asc" }],
    select: { id: true, userId: true, type: true, count: true, user: { select: { email: true, fullName: true } } },
  });
}

async function stillWaiting(tx: Tx, entryId: string): Promise<boolean> {
  const rows = await tx.$queryRaw<Array<{ state: string }>>`
    SELECT state::text AS state FROM "WaitlistEntry" WHERE id = ${entryId}::uuid FOR UPDATE`;
  return rows[0]?.state === "WAITING";
}

/**
 * The offer replaces what in the student's cart for this showing someone else has taken (sold, or held for another),
 * so the cart holds exactly what they can buy and the order limit counts only that.
 */
async function dropTakenFromCart(tx: Tx, at: { cartId: number; showingId: number; userId: string; now: Date }): Promise<void> {
  await tx.$executeRaw`
    DELETE FROM "CartTicket" ct USING "Ticket" t
    WHERE ct."cartId" = ${at.cartId} AND t.id = ct."ticketId" AND t."showingId" = ${at.showingId}
      AND ${notSellableSql({ now: at.now, purpose: "handover", holder: Prisma.sql`${at.userId}` })}`;
}

async function countsFor(tx: Tx, at: { cartId: number; showingId: number; userId: string }): Promise<{ inCart: number; owned: number }> {
  const [row] = await tx.$queryRaw<Array<{ inCart: number; owned: number }>>`
    SELECT (SELECT count(*)::int FROM "CartTicket" ct JOIN "Ticket" t ON t.id = ct."ticketId"
            WHERE ct."cartId" = ${at.cartId} AND t."showingId" = ${at.showingId}) AS "inCart",
           ${boughtOfShowingSql(Prisma.sql`${at.showingId}`, Prisma.sql`${at.userId}`)} AS owned`;
  return { inCart: Number(row?.inCart ?? 0), owned: Number(row?.owned ?? 0) };
}

/**
 * Picks up to `count` sellable tickets (of `type`, or any), skipping any another transaction is claiming right now,
 * holds them for the student until the offer ends and puts them in their cart: one statement.
 */
async function holdForStudent(
  tx: Tx,
  pick: { showingId: number; type: string | null; count: number; userId: string; cartId: number; until: Date; now: Date },
): Promise<Array<{ id: string; type: string }>> {
  const at = sqlTime(pick.now);
  const ofType = pick.type === null ? Prisma.empty : Prisma.sql`AND t.type = ${pick.type}`;
  return tx.$queryRaw<Array<{ id: string; type: string }>>`
    WITH picked AS (
      SELECT t.id FROM "Ticket" t
      WHERE t."showingId" = ${pick.showingId} ${ofType} AND ${sellableSql({ now: pick.now, purpose: "sale" })}
        AND t."ownerId" IS DISTINCT FROM ${pick.userId}
      ORDER BY EXISTS (SELECT 1 FROM "CartTicket" other WHERE other."ticketId" = t.id), t.id
      LIMIT ${pick.count}
      FOR NO KEY UPDATE OF t SKIP LOCKED
    ), held AS (
      UPDATE "Ticket" t SET "holderId" = ${pick.userId}, "holdExpiresAt" = ${sqlTime(pick.until)}, "heldForPaymentId" = NULL, "updatedAt" = ${at}
      FROM picked WHERE t.id = picked.id
      RETURNING t.id, t.type
    ), carted AS (
      INSERT INTO "CartTicket" ("cartId", "ticketId", "addedAt") SELECT ${pick.cartId}, held.id, ${at} FROM held
      ON CONFLICT DO NOTHING
    )
    SELECT held.id::text AS id, held.type FROM held`;
}

/**
 * A student leaving while holding an offer gives its tickets back at once: their holds end and they leave the cart.
 * Only the offer's holds: tickets their own checkout holds (heldForPaymentId) stay with that checkout.
 */
export async function releaseOfferedTickets(tx: Tx, at: { showingId: number; userId: string; now: Date }): Promise<number> {
  const rows = await tx.$queryRaw<Array<{ id: string }>>`
    UPDATE "Ticket" t SET "holderId" = NULL, "holdExpiresAt" = NULL, "updatedAt" = ${sqlTime(at.now)}
    WHERE t."showingId" = ${at.showingId} AND t."holderId" = ${at.userId} AND t."heldForPaymentId" IS NULL
      AND t."holdExpiresAt" > ${sqlTime(at.now)}
    RETURNING t.id::text AS id`;
  if (rows.length) {
    await tx.$executeRaw`
      DELETE FROM "CartTicket" ct USING "Cart" k
      WHERE k.id = ct."cartId" AND k."userId" = ${at.userId} AND ct."ticketId" = ANY(${rows.map((r) => r.id)}::uuid[])`;
  }
  return rows.length;
}
