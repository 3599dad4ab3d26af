import { Prisma } from "@admit/db";
import { sqlTime, UTC_TEXT } from "../sql-time.ts";

type Tx = Prisma.TransactionClient;


/**
 * The caller's cart id, creating the cart on first use, with its row locked until the transaction ends: one
 * person's cart changes and checkouts happen one at a time, so two tabs cannot both pass the order limit.
 */
export async function lockCart(tx: Tx, userId: string, now: Date): Promise<number> {
  const rows = await tx.$queryRaw<Array<{ id: number }>>`
    INSERT INTO "Cart" ("userId", "createdAt", "updatedAt") VALUES (${userId}, ${sqlTime(now)}, ${sqlTime(now)})
    ON CONFLICT ("userId") DO UPDATE SET "userId" = EXCLUDED."userId"
    RETURNING id`;
  const cart = rows[0];
  if (!cart) throw new Error("the cart upsert returned no row");
  return cart.id;
}

const freeTicketsForCart = (pick: { cartId: number; showingId: number; type: string; now: Date }) => Prisma.sql`
    t."showingId" = ${pick.showingId} AND t.type = ${pick.type}
      AND t."ownerId" IS NULL AND t.buyable
      AND (t."holderId" IS NULL OR t."holdExpiresAt" <= ${sqlTime(pick.now)})
      AND NOT EXISTS (SELECT 1 FROM "CartTicket" mine WHERE mine."ticketId" = t.id AND mine."cartId" = ${pick.cartId})`;

/** Tickets in nobody's cart first, so that buyers in a rush rarely aim at the same seats; random among equals. */
const leastWantedFirst = Prisma.sql`ORDER BY EXISTS (SELECT 1 FROM "CartTicket" other WHERE other."ticketId" = t.id), random()`;

/**
 * Puts up to `count` free tickets of one showing and type into the cart in one statement and returns their ids.
 * The caller holds the cart lock.
 */
export async function addFreeTickets(
  tx: Tx,
  pick: { cartId: number; showingId: number; type: string; count: number; now: Date },
): Promise<string[]> {
  if (pick.count <= 0) return [];
  const rows = await tx.$queryRaw<Array<{ id: string }>>`
    INSERT INTO "CartTicket" ("cartId", "ticketId", "addedAt")
    SELECT ${pick.cartId}, t.id, ${sqlTime(pick.now)} FROM "Ticket" t
    WHERE ${freeTicketsForCart(pick)}
    ${leastWantedFirst}
    LIMIT ${pick.count}
    RETURNING "ticketId"::text AS id`;
  return rows.map((r) => r.id);
}

export interface ShowingForCart {
  id: number;
  eventId: number;
  endTime: Date;
  ticketDropTime: Date | null;
  ticketOrderLimit: number;
  event: { club: { approved: boolean; archived: boolean } };
  /** This showing's tickets in the cart, and those the person already owns. */
  inCart: number;
  owned: number;
}

/**
 * A showing's sale facts and the person's count against its order limit, in one statement; with `add`, the same
 * statement also puts up to `add.count` free tickets of `add.type` into the cart, but only if the order limit allows
 * `add.total` more (the caller still checks every rule and throws, rolling the insert back, when one fails). The
 * caller holds the cart lock, taken in an earlier statement so the counts include everything committed before it.
 */
export async function showingForCart(
  tx: Tx,
  query: { showingId: number; cartId: number; userId: string; add?: { type: string; count: number; total: number; now: Date } },
): Promise<(ShowingForCart & { added: string[] }) | null> {
  const { showingId, cartId, userId, add } = query;
  const insert = add
    ? Prisma.sql`, added AS (
        INSERT INTO "CartTicket" ("cartId", "ticketId", "addedAt")
        SELECT ${cartId}, t.id, ${sqlTime(add.now)} FROM "Ticket" t, facts
        WHERE facts."inCart" + facts.owned + ${add.total} <= facts."ticketOrderLimit"
          AND ${freeTicketsForCart({ cartId, showingId, type: add.type, now: add.now })}
        ${leastWantedFirst}
        LIMIT ${add.count}
        RETURNING "ticketId")`
    : Prisma.sql`, added AS (SELECT NULL::uuid AS "ticketId" WHERE false)`;
  const rows = await tx.$queryRaw<
    Array<Omit<ShowingForCart, "event" | "endTime" | "ticketDropTime"> & {
      endTime: string;
      ticketDropTime: string | null;
      approved: boolean;
      archived: boolean;
      added: string[] | null;
    }>
  >`
    WITH facts AS (
      SELECT s.id, s."eventId", to_char(s."endTime", ${UTC_TEXT}) AS "endTime",
             to_char(s."ticketDropTime", ${UTC_TEXT}) AS "ticketDropTime",
             s."ticketOrderLimit", c.approved, c.archived,
             (SELECT count(*)::int FROM "CartTicket" ct JOIN "Ticket" t ON t.id = ct."ticketId"
               WHERE ct."cartId" = ${cartId} AND t."showingId" = s.id) AS "inCart",
             (SELECT count(*)::int FROM "Ticket" o WHERE o."showingId" = s.id AND o."ownerId" = ${userId}) AS owned
      FROM "Showing" s JOIN "Event" e ON e.id = s."eventId" JOIN "Club" c ON c.id = e."clubId"
      WHERE s.id = ${showingId}
    )${insert}
    SELECT facts.*, ARRAY(SELECT "ticketId"::text FROM added) AS added FROM facts`;
  const row = rows[0];
  if (!row) return null;
  return {
    id: Number(row.id),
    eventId: Number(row.eventId),
    endTime: new Date(row.endTime),
    ticketDropTime: row.ticketDropTime === null ? null : new Date(row.ticketDropTime),
    ticketOrderLimit: Number(row.ticketOrderLimit),
    event: { club: { approved: row.approved, archived: row.archived } },
    inCart: Number(row.inCart),
    owned: Number(row.owned),
    added: row.added ?? [],
  };
}

/** Cart and checkout transactions wait for a pooled connection in an on-sale rush rather than failing at once. */
export const CART_TRANSACTION = { maxWait: 15_000, timeout: 30_000 } as const;
