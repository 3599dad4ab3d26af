import { Prisma } from "@admit/db";
import { DomainError } from "./errors.ts";

/**
 * The one home of the order limit: how many tickets of a showing one person may get by buying. Tickets in their
 * cart and tickets they bought count; complimentary tickets an officer issued do not (they were given, not bought).
 * SQL returns the counts (`boughtOfShowingSql`); `orderAllowance` decides. A statement that must refuse without a
 * second round trip (an add to cart) writes the same comparison with `withinOrderLimitSql`.
 */

export interface OrderAllowance {
  /** The showing's limit per person. */
  limit: number;
  /** This showing's tickets in the person's cart. */
  inCart: number;
  /** This showing's tickets the person bought and still owns. */
  owned: number;
  /** How many more they may put in their cart. */
  remaining: number;
}

export function orderAllowance(counts: { limit: number; inCart: number; owned: number }): OrderAllowance {
  return { ...counts, remaining: Math.max(0, counts.limit - counts.inCart - counts.owned) };
}

/**
 * Refuses (ORDER_LIMIT_EXCEEDED) `adding` more tickets. At checkout the cart's tickets are the order itself: pass
 * `inCart: 0` and the cart's count as `adding`.
 */
export function requireWithinOrderLimit(allowance: OrderAllowance, adding: number, at: "cart" | "checkout"): void {
  if (adding <= allowance.remaining) return;
  const already = [
    allowance.inCart ? `${allowance.inCart} in your cart` : "",
    allowance.owned ? `${allowance.owned} already yours` : "",
  ].filter(Boolean);
  throw new DomainError(
    "ORDER_LIMIT_EXCEEDED",
    `Order exceeds the maximum ticket limit of ${allowance.limit}` +
      (already.length ? ` (you have ${already.join(" and ")}).` : ".") +
      (at === "checkout" ? " Remove some from your cart." : ""),
    { details: { limit: allowance.limit, inCart: allowance.inCart, owned: allowance.owned, remaining: allowance.remaining } },
  );
}

/** How many tickets of `showing` the person `userId` bought and owns (SQL expressions); comps are not counted. */
export const boughtOfShowingSql = (showing: Prisma.Sql, userId: Prisma.Sql) => Prisma.sql`
  (SELECT count(*)::int FROM "Ticket" o WHERE o."showingId" = ${showing} AND o."ownerId" = ${userId} AND NOT o.complimentary)`;

/** `requireWithinOrderLimit`'s comparison inside a statement. */
export const withinOrderLimitSql = (c: { limit: Prisma.Sql; inCart: Prisma.Sql; owned: Prisma.Sql; adding: Prisma.Sql }) =>
  Prisma.sql`${c.inCart} + ${c.owned} + ${c.adding} <= ${c.limit}`;
