import { Prisma } from "@admit/db";
import { onSaleSql } from "../availability.ts";
import {
  lobbyAdmitsSql,
  lobbyGateFacts,
  lobbyGateJoinsSql,
  waitlistOfferSql,
  type LobbyGateFacts,
  type LobbyGateRow,
  type LobbyGateSqlSource,
} from "../lobby/gate.ts";
import { boughtOfShowingSql, withinOrderLimitSql } from "../order-limit.ts";
import { sqlTime, UTC_TEXT } from "../sql-time.ts";
import { freeTicketsOf, leastWantedFirst } from "./store.ts";

type Tx = Prisma.TransactionClient;

export interface ShowingForCart {
  id: number;
  eventId: number;
  endTime: Date;
  ticketDropTime: Date | null;
  ticketOrderLimit: number;
  salesPaused: boolean;
  cancelledAt: Date | null;
  event: { club: { approved: boolean; archived: boolean } };
  /** This showing's tickets in the cart, and those the person bought (see order-limit.ts). */
  inCart: number;
  owned: number;
  /** Whether the showing's lobby lets this person buy now (lobby/gate.ts). */
  lobby: LobbyGateFacts;
}

export interface CartFactsQuery {
  cartId: number;
  userId: string;
  showingId: number;
  /** The showing's event as the request named it; a different one makes the showing invisible (nothing is added). */
  eventId?: number | undefined;
  /** Tickets to add, per type (each type once). */
  add: Array<{ type: string; count: number }>;
}

export interface CartFacts {
  /** Null when the showing does not exist. */
  showing: ShowingForCart | null;
  /** How many tickets went into the cart: all that were asked for, or none. */
  added: number;
  /**
   * Types with fewer free tickets than asked for, whether the showing has that type at all, and the type's own sale
   * switch and end (so a refusal can say the type is paused or its sales ended rather than sold out).
   */
  short: ShortType[];
}

export interface ShortType {
  type: string;
  known: boolean;
  salesPaused: boolean;
  salesEndAt: Date | null;
}

interface FactsRow {
  n: number;
  id: number;
  eventId: number;
  endTime: string;
  ticketDropTime: string | null;
  ticketOrderLimit: number;
  salesPaused: boolean;
  cancelledAt: string | null;
  approved: boolean;
  archived: boolean;
  inCart: number;
  owned: number;
  lobby: LobbyGateRow["lobby"];
  entry: LobbyGateRow["entry"];
  waitlistOffer: boolean;
  added: number;
  short: Array<{ type: string; known: boolean; salesPaused: boolean | null; salesEndAt: string | null }> | null;
}

/**
 * Sale facts of the showings several carts are changed for, each person's count against the order limit, and the
 * adding itself, in one statement. Each request's tickets go in only if all of them can, the showing is on sale
 * and visible, and the order limit allows them, so a request refused for any of these rules wrote nothing. In a
 * batch, a request can come up short where it would not alone (a refused request's share is not passed on, and a
 * ticket in any of the batch's carts is left out for all of them): the caller runs such a request again on its own.
 * The caller holds the carts' locks, taken in an earlier statement so the counts include everything committed before.
 */
export async function cartFacts(
  tx: Tx,
  queries: CartFactsQuery[],
  now: Date,
  { share = true }: { share?: boolean } = {},
): Promise<CartFacts[]> {
  const at = sqlTime(now);
  const wanted = queries.flatMap((q, n) => q.add.map((line) => ({ n, ...line })));
  const rows = await tx.$queryRaw<FactsRow[]>`
    WITH req AS (
      SELECT * FROM unnest(${queries.map((_, n) => n)}::int[], ${queries.map((q) => q.cartId)}::int[],
                           ${queries.map((q) => q.userId)}::text[], ${queries.map((q) => q.showingId)}::int[],
                           ${queries.map((q) => q.eventId ?? null)}::int[],
                           ${queries.map((q) => q.add.reduce((sum, line) => sum + line.count, 0))}::int[])
        AS req(n, "cartId", "userId", "showingId", "eventId", total)
    ), wanted AS (
      SELECT * FROM unnest(${wanted.map((w) => w.n)}::int[], ${wanted.map((w) => w.type)}::text[],
                           ${wanted.map((w) => w.count)}::int[]) AS wanted(n, type, count)
    ), facts AS (
      SELECT req.n, req."cartId", req.total, s.id, s."eventId", to_char(s."endTime", ${UTC_TEXT}) AS "endTime",
             to_char(s."ticketDropTime", ${UTC_TEXT}) AS "ticketDropTime", s."ticketOrderLimit", s."salesPaused",
             to_char(s."cancelledAt", ${UTC_TEXT}) AS "cancelledAt", c.approved, c.archived,
             ${onSaleSql("s", "c", now)} AND (req."eventId" IS NULL OR req."eventId" = s."eventId") AS open,
             (SELECT count(*)::int FROM "CartTicket" ct JOIN "Ticket" t ON t.id = ct."ticketId"
               WHERE ct."cartId" = req."cartId" AND t."showingId" = s.id) AS "inCart",
             ${boughtOfShowingSql(Prisma.sql`s.id`, Prisma.sql`req."userId"`)} AS owned,
             CASE WHEN lb."showingId" IS NOT NULL THEN json_build_object('enabled', lb.enabled,
               'opensMinutesBefore', lb."opensMinutesBefore", 'soldOutAt', to_char(lb."soldOutAt", ${UTC_TEXT})) END AS lobby,
             CASE WHEN le.id IS NOT NULL THEN json_build_object('state', le.state,
               'admitUntil', to_char(le."admitUntil", ${UTC_TEXT})) END AS entry,
             ${waitlistOfferSql(gate(now))} AS "waitlistOffer",
             ${lobbyAdmitsSql(gate(now))} AS "lobbyAdmits"
      FROM req JOIN "Showing" s ON s.id = req."showingId" JOIN "Event" e ON e.id = s."eventId" JOIN "Club" c ON c.id = e."clubId"
      ${lobbyGateJoinsSql(gate(now))}
${share ? sharedPicks(now) : ownPicks(now)}
    ), short AS (
      SELECT wanted.n, wanted.type, kind.known, kind."salesPaused", kind."salesEndAt"
      FROM wanted JOIN facts f ON f.n = wanted.n
      CROSS JOIN LATERAL (
        SELECT count(*) > 0 AS known, bool_or(x."salesPaused") AS "salesPaused",
               to_char(min(x."salesEndAt"), ${UTC_TEXT}) AS "salesEndAt"
        FROM (SELECT y."salesPaused", y."salesEndAt" FROM "Ticket" y WHERE y."showingId" = f.id AND y.type = wanted.type LIMIT 1) x
      ) kind
      WHERE (SELECT count(*) FROM picks p WHERE p.n = wanted.n AND p.type = wanted.type) < wanted.count
    ), added AS (
      INSERT INTO "CartTicket" ("cartId", "ticketId", "addedAt")
      SELECT p."cartId", p.id, ${at} FROM picks p WHERE NOT EXISTS (SELECT 1 FROM short WHERE short.n = p.n)
      RETURNING "cartId"
    )
    SELECT f.n, f.id, f."eventId", f."endTime", f."ticketDropTime", f."ticketOrderLimit", f."salesPaused", f."cancelledAt",
           f.approved, f.archived,
           f."inCart", f.owned, f.lobby, f.entry, f."waitlistOffer",
           (SELECT count(*)::int FROM added a WHERE a."cartId" = f."cartId") AS added,
           (SELECT json_agg(json_build_object('type', short.type, 'known', short.known, 'salesPaused', short."salesPaused",
                                               'salesEndAt', short."salesEndAt"))
              FROM short WHERE short.n = f.n) AS short
    FROM facts f`;
  const byRequest = new Map(rows.map((row) => [Number(row.n), row]));
  return queries.map((_, n) => {
    const row = byRequest.get(n);
    if (!row) return { showing: null, added: 0, short: [] };
    const showing = {
        id: Number(row.id),
        eventId: Number(row.eventId),
        endTime: new Date(row.endTime),
        ticketDropTime: row.ticketDropTime === null ? null : new Date(row.ticketDropTime),
        ticketOrderLimit: Number(row.ticketOrderLimit),
        salesPaused: row.salesPaused,
        cancelledAt: row.cancelledAt === null ? null : new Date(row.cancelledAt),
        event: { club: { approved: row.approved, archived: row.archived } },
        inCart: Number(row.inCart),
        owned: Number(row.owned),
    };
    return {
      showing: { ...showing, lobby: lobbyGateFacts(row, showing, now) },
      added: Number(row.added),
      short: (row.short ?? []).map((short) => ({
        type: short.type,
        known: short.known,
        salesPaused: short.salesPaused ?? false,
        salesEndAt: short.salesEndAt === null ? null : new Date(short.salesEndAt),
      })),
    };
  });
}

/** The lobby gate's view of a request in `facts`: the showing `s`, its lobby `lb`, the person's place `le`. */
const gate = (now: Date): LobbyGateSqlSource => ({ showing: "s", lobby: "lb", entry: "le", userId: Prisma.sql`req."userId"`, now });

/** The order limit (order-limit.ts) over a request's counts in `facts`. */
const withinLimit = withinOrderLimitSql({
  limit: Prisma.sql`f."ticketOrderLimit"`,
  inCart: Prisma.sql`f."inCart"`,
  owned: Prisma.sql`f.owned`,
  adding: Prisma.sql`f.total`,
});

/**
 * `picks` for a batch: one list of distinct tickets per showing and type, shared out in request order among the
 * requests that pass every rule, so two carts of one batch never aim at the same ticket (which would make the later
 * checkout stale). Tickets in any of the group's carts are left out for all of them.
 */
const sharedPicks = (now: Date) => Prisma.sql`
    ), eligible AS (
      -- Requests that pass every rule, each with the number of tickets of its showing and type that requests
      -- before it in the batch take first.
      SELECT wanted.n, f."cartId", f.id AS "showingId", wanted.type, wanted.count,
             sum(wanted.count) OVER (PARTITION BY f.id, wanted.type ORDER BY wanted.n) - wanted.count AS before
      FROM facts f JOIN wanted ON wanted.n = f.n
      WHERE f.open AND ${withinLimit} AND f."lobbyAdmits"
    ), groups AS (
      SELECT "showingId", type, sum(count)::int AS needed, array_agg("cartId") AS carts
      FROM eligible GROUP BY "showingId", type
    ), ranked AS (
      SELECT g."showingId", g.type, pick.id, row_number() OVER (PARTITION BY g."showingId", g.type) AS rank
      FROM groups g CROSS JOIN LATERAL (
        SELECT t.id FROM "Ticket" t
        WHERE ${freeTicketsOf(Prisma.sql`g."showingId"`, Prisma.sql`g.type`, Prisma.sql`= ANY(g.carts)`, now)}
        ${leastWantedFirst}
        LIMIT g.needed
      ) pick
    ), picks AS (
      SELECT e.n, e."cartId", e.type, r.id
      FROM eligible e JOIN ranked r ON r."showingId" = e."showingId" AND r.type = e.type
        AND r.rank > e.before AND r.rank <= e.before + e.count`;

/**
 * `picks` with each request on its own, as if it ran alone: only its own cart's tickets are left out, and two
 * requests may pick the same ticket (a cart is a soft reservation).
 */
const ownPicks = (now: Date) => Prisma.sql`
    ), picks AS (
      SELECT f.n, f."cartId", wanted.type, pick.id
      FROM facts f JOIN wanted ON wanted.n = f.n
      CROSS JOIN LATERAL (
        SELECT t.id FROM "Ticket" t
        WHERE ${freeTicketsOf(Prisma.sql`f.id`, Prisma.sql`wanted.type`, Prisma.sql`= f."cartId"`, now)}
        ${leastWantedFirst}
        LIMIT wanted.count
      ) pick
      WHERE f.open AND ${withinLimit} AND f."lobbyAdmits"`;
