import { Prisma } from "@admit/db";
import { sellableSql } from "../availability.ts";
import type { DomainDeps } from "../deps.ts";
import { boughtOfShowingSql } from "../order-limit.ts";
import { sqlTime, UTC_TEXT } from "../sql-time.ts";
import { admissionBatch, roomFor, type AllowanceCounts } from "./admission.ts";
import { numberPlaces } from "./draw.ts";
import { lobbyPhase } from "./phase.ts";

type Tx = Prisma.TransactionClient;

/** A lobby advances at most this often; callers in between (any process) skip instead of queueing. */
export const ADVANCE_INTERVAL_MS = 1_000;
const ADVANCE_TRANSACTION = { maxWait: 10_000, timeout: 30_000 };

export interface AdvanceResult {
  showingId: number;
  /** Places numbered this time (the draw's and late arrivals'). */
  placed: number;
  /** Set when this advance made the draw: how many early joiners it placed. */
  drew: number | null;
  expired: number;
  admitted: number;
  room: number;
  soldOut: boolean;
}

interface LockedLobby {
  enabled: boolean;
  opensMinutesBefore: number;
  admitMinutes: number;
  drawnAt: string | null;
  nextPosition: number;
  admittedThrough: number;
  soldOutAt: string | null;
  ticketDropTime: string | null;
  endTime: string;
  cancelledAt: string | null;
  salesPaused: boolean;
  ticketOrderLimit: number;
}

const date = (text: string | null) => (text === null ? null : new Date(text));

/**
 * Moves one running lobby on: the draw (first time after the drop), places for late arrivals, the end of admission
 * windows that ran out, and the next batch of students sized to the room. Everything happens under the lobby row's
 * lock, taken with SKIP LOCKED and only when the last advance is at least `ADVANCE_INTERVAL_MS` old, so concurrent
 * callers in any process return null at once rather than wait. Entries another transaction is changing (a sale
 * ending a turn) are skipped too, and counted as they were before it: never two writers of one place.
 */
export async function advanceLobby(deps: DomainDeps, showingId: number, opts: { force?: boolean } = {}): Promise<AdvanceResult | null> {
  const now = deps.clock.now();
  const at = sqlTime(now);
  const due = sqlTime(new Date(now.getTime() - (opts.force ? 0 : ADVANCE_INTERVAL_MS)));
  return deps.prisma.$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<LockedLobby[]>`
      SELECT l.enabled, l."opensMinutesBefore", l."admitMinutes", to_char(l."drawnAt", ${UTC_TEXT}) AS "drawnAt",
             l."nextPosition", l."admittedThrough", to_char(l."soldOutAt", ${UTC_TEXT}) AS "soldOutAt",
             to_char(s."ticketDropTime", ${UTC_TEXT}) AS "ticketDropTime", to_char(s."endTime", ${UTC_TEXT}) AS "endTime",
             to_char(s."cancelledAt", ${UTC_TEXT}) AS "cancelledAt", s."salesPaused", s."ticketOrderLimit"
      FROM "Lobby" l JOIN "Showing" s ON s.id = l."showingId"
      WHERE l."showingId" = ${showingId} AND (l."advancedAt" IS NULL OR l."advancedAt" <= ${due})
      FOR UPDATE OF l SKIP LOCKED`;
    if (!row) return null;
    const showing = { ticketDropTime: date(row.ticketDropTime), endTime: new Date(row.endTime), cancelledAt: date(row.cancelledAt) };
    const phase = lobbyPhase({ ...row, soldOutAt: date(row.soldOutAt) }, showing, now);
    if (phase !== "RUNNING" && phase !== "SOLD_OUT") return null;

    const placed = await placeArrivals(tx, showingId, { dropAt: showing.ticketDropTime, drawn: row.drawnAt !== null, nextPosition: row.nextPosition });
    const expired = await tx.$executeRaw`
      UPDATE "LobbyEntry" SET state = 'EXPIRED', "endedAt" = ${at}
      WHERE id IN (SELECT id FROM "LobbyEntry" WHERE "showingId" = ${showingId} AND state = 'ADMITTED' AND "admitUntil" <= ${at}
                   FOR UPDATE SKIP LOCKED)`;

    const [facts] = await tx.$queryRaw<Array<{ sellable: number; admitted: AllowanceCounts[] | null }>>`
      SELECT (SELECT count(*)::int FROM "Ticket" t JOIN "Showing" s ON s.id = t."showingId"
               WHERE t."showingId" = ${showingId} AND ${sellableSql({ now, purpose: "sale", showing: "s" })}) AS sellable,
             (SELECT json_agg(json_build_object('limit', ${row.ticketOrderLimit}::int, 'held', ${heldSql(showingId, now)}, 'owned',
                     ${boughtOfShowingSql(Prisma.sql`${showingId}::int`, Prisma.sql`e."userId"`)}))
                FROM "LobbyEntry" e WHERE e."showingId" = ${showingId} AND e.state = 'ADMITTED' AND e."admitUntil" > ${at}) AS admitted`;
    const sellable = facts?.sellable ?? 0;
    const room = row.salesPaused ? 0 : roomFor(sellable, facts?.admitted ?? []);
    const admittedPositions = room > 0 ? await admitNext(tx, showingId, room, row, now) : [];

    const soldOut = sellable === 0 && !row.salesPaused;
    const soldOutChanged = soldOut !== (row.soldOutAt !== null);
    const changed = placed.count > 0 || expired > 0 || admittedPositions.length > 0 || soldOutChanged;
    const drew = row.drawnAt === null ? placed.drawn : null;
    await tx.$executeRaw`
      UPDATE "Lobby" SET "advancedAt" = ${at}, "updatedAt" = ${at},
        "nextPosition" = "nextPosition" + ${placed.count},
        "admittedThrough" = GREATEST("admittedThrough", ${Math.max(0, ...admittedPositions)}),
        "drawnAt" = COALESCE("drawnAt", ${at}), "drawnEntries" = COALESCE("drawnEntries", ${drew}::int),
        "soldOutAt" = ${soldOut ? Prisma.sql`COALESCE("soldOutAt", ${at})` : Prisma.sql`NULL`},
        version = version + ${changed ? 1 : 0}
      WHERE "showingId" = ${showingId}`;
    return { showingId, placed: placed.count, drew, expired, admitted: admittedPositions.length, room, soldOut };
  }, ADVANCE_TRANSACTION);
}

/** Tickets of the showing a student holds under a hold that has not expired (out of the sellable count for others). */
function heldSql(showingId: number, now: Date): Prisma.Sql {
  return Prisma.sql`(SELECT count(*)::int FROM "Ticket" h WHERE h."holderId" = e."userId" AND h."showingId" = ${showingId}
      AND h."ownerId" IS NULL AND (h."holdExpiresAt" IS NULL OR h."holdExpiresAt" > ${sqlTime(now)}))`;
}

/** Numbers waiting entries without a place (draw.ts decides the order); the caller holds the lobby's lock. */
async function placeArrivals(tx: Tx, showingId: number, rule: { dropAt: Date | null; drawn: boolean; nextPosition: number }) {
  const unplaced = await tx.$queryRaw<Array<{ id: string; joinedAt: string; drawKey: string | null }>>`
    SELECT id::text AS id, to_char("joinedAt", ${UTC_TEXT}) AS "joinedAt", "drawKey"
    FROM "LobbyEntry" WHERE "showingId" = ${showingId} AND state = 'WAITING' AND position IS NULL`;
  const places = numberPlaces(
    unplaced.map((e) => ({ id: e.id, joinedAt: new Date(e.joinedAt), drawKey: e.drawKey })),
    rule,
  );
  if (places.length > 0) {
    await tx.$executeRaw`
      UPDATE "LobbyEntry" e SET position = p.position
      FROM unnest(${places.map((p) => p.id)}::uuid[], ${places.map((p) => p.position)}::int[]) AS p(id, position)
      WHERE e.id = p.id`;
  }
  return { count: places.length, drawn: places.filter((p) => p.drawn).length };
}

/** Admits the next waiting students while the room lasts; returns their places. */
async function admitNext(tx: Tx, showingId: number, room: number, lobby: LockedLobby, now: Date): Promise<number[]> {
  const at = sqlTime(now);
  const candidates = await tx.$queryRaw<Array<{ id: string; position: number; held: number; owned: number }>>`
    SELECT e.id::text AS id, e.position, ${heldSql(showingId, now)} AS held,
           ${boughtOfShowingSql(Prisma.sql`${showingId}::int`, Prisma.sql`e."userId"`)} AS owned
    FROM "LobbyEntry" e
    WHERE e."showingId" = ${showingId} AND e.state = 'WAITING' AND e.position IS NOT NULL
    ORDER BY e.position LIMIT ${room}`;
  const { admit } = admissionBatch(
    room,
    candidates.map((c) => ({ ...c, limit: lobby.ticketOrderLimit })),
  );
  if (admit.length === 0) return [];
  const until = sqlTime(new Date(now.getTime() + lobby.admitMinutes * 60_000));
  const admitted = await tx.$queryRaw<Array<{ position: number }>>`
    UPDATE "LobbyEntry" SET state = 'ADMITTED', "admittedAt" = ${at}, "admitUntil" = ${until}
    WHERE id = ANY(${admit.map((c) => c.id)}::uuid[]) AND state = 'WAITING'
    RETURNING position`;
  return admitted.map((a) => a.position);
}

/** Every lobby whose drop has come and whose showing is not over: the periodic job advances each. */
export async function runningLobbies(deps: DomainDeps): Promise<number[]> {
  const at = sqlTime(deps.clock.now());
  const rows = await deps.prisma.$queryRaw<Array<{ showingId: number }>>`
    SELECT l."showingId" FROM "Lobby" l JOIN "Showing" s ON s.id = l."showingId"
    WHERE l.enabled AND s."cancelledAt" IS NULL AND s."endTime" > ${at}
      AND (s."ticketDropTime" IS NULL OR s."ticketDropTime" <= ${at})`;
  return rows.map((r) => r.showingId);
}
