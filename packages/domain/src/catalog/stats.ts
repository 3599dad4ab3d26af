import { Prisma, type PrismaClient } from "@admit/db";
import { formatMoney } from "../money.ts";
import { sellableSql, underHoldSql, unownedOrListedSql } from "../availability.ts";
import { UTC_TEXT } from "../sql-time.ts";

type Db = PrismaClient | Prisma.TransactionClient;

/** Live numbers of one ticket type of one showing. */
export interface TypeStats {
  showingId: number;
  type: string;
  /** The type's list price (the highest, should rows ever disagree), e.g. "15.00". */
  price: string;
  minPrice: string;
  groupDiscount: { size: number; fraction: string } | null;
  transferable: boolean;
  /** True when at least one ticket of the type is for public sale (false: complimentary-only). */
  buyable: boolean;
  /** The type's selling controls (offerings.ts keeps them equal on every ticket of the type). */
  salesPaused: boolean;
  salesEndAt: Date | null;
  /** Returns allowed until this many hours before the showing starts; null: no returns. */
  returnHoursBefore: number | null;
  /** Holders may offer tickets of this type on the face-value exchange. */
  exchangeAllowed: boolean;
  total: number;
  /**
   * Sellable (availability.ts) but for the sale window: what a student could put in a cart once it is on sale,
   * tickets offered on the exchange included. A paused showing or type, or one whose sales ended, has none.
   */
  available: number;
  /**
   * The officers' "available": the part of `available` nobody owns yet. A ticket offered on the exchange is sold
   * (it has an owner until someone buys it) and counted in `onExchange`, so sold + held + availableUnsold never
   * exceeds total.
   */
  availableUnsold: number;
  /** Owned (so among `sold`). */
  sold: number;
  /** Sold tickets their owners offer on the face-value exchange (not used at the door, not void), held or not. */
  onExchange: number;
  /** Unowned and under a hold that has not expired (a buyer's hold on an offered ticket counts in `onExchange`). */
  held: number;
  /** What an officer can still give away (availability's `complimentary` purpose: reserved tickets too). */
  issuable: number;
  checkedIn: number;
  /** Sum of what owners paid, e.g. "120.00". */
  revenue: string;
}

interface StatsRow {
  showingId: number;
  type: string;
  price: string;
  minPrice: string;
  groupDiscount: string;
  groupSize: number | null;
  transferable: boolean;
  buyable: boolean;
  salesPaused: boolean;
  salesEndAt: string | null;
  returnHoursBefore: number | null;
  exchangeAllowed: boolean;
  total: number;
  available: number;
  availableUnsold: number;
  sold: number;
  onExchange: number;
  held: number;
  issuable: number;
  checkedIn: number;
  revenue: string;
}

/**
 * Counts every showing's tickets per type in one query. Expired holds count as available: a hold is only an
 * exclusive claim until `holdExpiresAt`, whether or not anything has cleaned it up yet.
 */
export async function ticketStats(db: Db, showingIds: number[], now: Date): Promise<TypeStats[]> {
  if (showingIds.length === 0) return [];
  const rows = await db.$queryRaw<StatsRow[]>`
    SELECT t."showingId", t."type",
      MAX("price")::text AS "price",
      MIN("price")::text AS "minPrice",
      MAX("groupDiscount")::text AS "groupDiscount",
      MAX("groupSize") AS "groupSize",
      BOOL_AND("transferable") AS "transferable",
      BOOL_OR("buyable") AS "buyable",
      BOOL_OR(t."salesPaused") AS "salesPaused",
      to_char(MIN(t."salesEndAt"), ${UTC_TEXT}) AS "salesEndAt",
      MAX(t."returnHoursBefore") AS "returnHoursBefore",
      BOOL_OR(t."exchangeAllowed") AS "exchangeAllowed",
      COUNT(*)::int AS "total",
      COUNT(*) FILTER (WHERE ${sellableSql({ now, purpose: "sale", showing: "s" })})::int AS "available",
      COUNT(*) FILTER (WHERE t."ownerId" IS NULL AND ${sellableSql({ now, purpose: "sale", showing: "s" })})::int AS "availableUnsold",
      COUNT(*) FILTER (WHERE t."ownerId" IS NOT NULL)::int AS "sold",
      COUNT(*) FILTER (WHERE t."ownerId" IS NOT NULL AND ${unownedOrListedSql({ purpose: "sale" })} AND t."voidedAt" IS NULL)::int AS "onExchange",
      COUNT(*) FILTER (WHERE t."ownerId" IS NULL AND ${underHoldSql(now)})::int AS "held",
      COUNT(*) FILTER (WHERE ${sellableSql({ now, purpose: "complimentary", showing: "s" })})::int AS "issuable",
      COUNT(*) FILTER (WHERE "attended")::int AS "checkedIn",
      COALESCE(SUM("amountPaid") FILTER (WHERE "ownerId" IS NOT NULL), 0)::text AS "revenue"
    FROM "Ticket" t JOIN "Showing" s ON s.id = t."showingId"
    WHERE t."showingId" IN (${Prisma.join(showingIds)})
    GROUP BY t."showingId", t."type"
    ORDER BY t."showingId", t."type"`;
  return rows.map((row) => {
    const discount = new Prisma.Decimal(row.groupDiscount);
    return {
      showingId: row.showingId,
      type: row.type,
      price: formatMoney(row.price),
      minPrice: formatMoney(row.minPrice),
      groupDiscount:
        row.groupSize !== null && discount.gt(0) ? { size: row.groupSize, fraction: discount.toString() } : null,
      transferable: row.transferable,
      buyable: row.buyable,
      salesPaused: row.salesPaused,
      salesEndAt: row.salesEndAt === null ? null : new Date(row.salesEndAt),
      returnHoursBefore: row.returnHoursBefore === null ? null : Number(row.returnHoursBefore),
      exchangeAllowed: row.exchangeAllowed,
      total: row.total,
      available: row.available,
      availableUnsold: row.availableUnsold,
      sold: row.sold,
      onExchange: row.onExchange,
      held: row.held,
      issuable: row.issuable,
      checkedIn: row.checkedIn,
      revenue: formatMoney(row.revenue),
    };
  });
}

/** Reference shape: every type with its count, and the types a student could still buy, sorted by type. */
export function countsOf(stats: TypeStats[]) {
  return {
    totals: stats.map((t) => ({ type: t.type, price: t.price, count: t.total })),
    available: stats.filter((t) => t.available > 0).map((t) => ({ type: t.type, price: t.price, count: t.available })),
  };
}

/** Sums a showing's per-type numbers as officers see them (`available`: unsold, `onExchange` among the sold). */
export function showingTotals(types: TypeStats[]) {
  return {
    total: types.reduce((n, t) => n + t.total, 0),
    sold: types.reduce((n, t) => n + t.sold, 0),
    onExchange: types.reduce((n, t) => n + t.onExchange, 0),
    held: types.reduce((n, t) => n + t.held, 0),
    available: types.reduce((n, t) => n + t.availableUnsold, 0),
    checkedIn: types.reduce((n, t) => n + t.checkedIn, 0),
    revenue: formatMoney(types.reduce((sum, t) => sum.plus(t.revenue), new Prisma.Decimal(0))),
  };
}

export function groupByShowing(stats: TypeStats[]): Map<number, TypeStats[]> {
  const byShowing = new Map<number, TypeStats[]>();
  for (const row of stats) {
    const list = byShowing.get(row.showingId) ?? [];
    list.push(row);
    byShowing.set(row.showingId, list);
  }
  return byShowing;
}
