import { Prisma } from "@admit/db";
import { sellableSql } from "../availability.ts";
import { sqlTime } from "../sql-time.ts";

type Tx = Prisma.TransactionClient;

/**
 * The caller's cart id, creating the cart on first use, with its row locked until the transaction ends: one
 * person's cart changes and checkouts happen one at a time, so two tabs cannot both pass the order limit.
 */
export async function lockCart(tx: Tx, userId: string, now: Date): Promise<number> {
  const cart = (await lockCarts(tx, [userId], now)).get(userId);
  if (!cart) throw new Error("the cart upsert returned no row");
  return cart.cartId;
}

export interface LockedCart {
  cartId: number;
  /** The person's checkout attempts still PENDING, locked with the cart. */
  pendingAttempts: number;
}

/**
 * `lockCart` for a batch of people (each at most once), in one statement, which also locks their pending checkout
 * attempts. Carts are locked in user-id order, the same order every batch uses, so two batches sharing carts wait
 * for each other instead of deadlocking; attempts are locked before any ticket, the order a payment reply's
 * settlement takes them in (attempt, then tickets), so a batch and a settlement cannot deadlock either.
 */
export async function lockCarts(tx: Tx, userIds: string[], now: Date): Promise<Map<string, LockedCart>> {
  const rows = await tx.$queryRaw<Array<{ id: number; userId: string; pendingAttempts: number }>>`
    WITH carts AS (
      INSERT INTO "Cart" ("userId", "createdAt", "updatedAt")
      SELECT u, ${sqlTime(now)}, ${sqlTime(now)} FROM unnest(${userIds}::text[]) AS u ORDER BY u
      ON CONFLICT ("userId") DO UPDATE SET "userId" = EXCLUDED."userId"
      RETURNING id, "userId"
    ), attempts AS (
      SELECT p."userId" FROM "Payment" p WHERE p."userId" = ANY(${userIds}::text[]) AND p.status = 'PENDING'
      ORDER BY p.id FOR UPDATE
    )
    SELECT carts.id, carts."userId",
           (SELECT count(*)::int FROM attempts WHERE attempts."userId" = carts."userId") AS "pendingAttempts"
    FROM carts`;
  return new Map(rows.map((r) => [r.userId, { cartId: Number(r.id), pendingAttempts: Number(r.pendingAttempts) }]));
}

/**
 * Tickets of a showing and type that carts may take now: sellable (the caller checks the sale window once per
 * showing) and not already in the cart(s) `cartMatch` picks (`= <id>`, or `= ANY(<ids>)` for a batch). Nobody's
 * hold is theirs here, not even the cart owner's: a held ticket is already in their cart. A ticket its owner offers on
 * the exchange is never put in that owner's own cart.
 */
export const freeTicketsOf = (showingId: Prisma.Sql, type: Prisma.Sql, cartMatch: Prisma.Sql, now: Date) => Prisma.sql`
    t."showingId" = ${showingId} AND t.type = ${type}
      AND ${sellableSql({ now, purpose: "sale" })}
      AND NOT EXISTS (SELECT 1 FROM "CartTicket" mine WHERE mine."ticketId" = t.id AND mine."cartId" ${cartMatch})
      AND (t."ownerId" IS NULL OR NOT EXISTS (SELECT 1 FROM "Cart" own WHERE own."userId" = t."ownerId" AND own.id ${cartMatch}))`;

/** Tickets in nobody's cart first, so that buyers in a rush rarely aim at the same seats; random among equals. */
export const leastWantedFirst = Prisma.sql`ORDER BY EXISTS (SELECT 1 FROM "CartTicket" other WHERE other."ticketId" = t.id), random()`;

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
    WHERE ${freeTicketsOf(Prisma.sql`${pick.showingId}`, Prisma.sql`${pick.type}`, Prisma.sql`= ${pick.cartId}`, pick.now)}
    ${leastWantedFirst}
    LIMIT ${pick.count}
    RETURNING "ticketId"::text AS id`;
  return rows.map((r) => r.id);
}

/** Cart and checkout transactions wait for a pooled connection in an on-sale rush rather than failing at once. */
export const CART_TRANSACTION = { maxWait: 15_000, timeout: 30_000 } as const;
