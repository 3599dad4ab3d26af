import { Prisma } from "@admit/db";
import { boughtOfShowingSql } from "../order-limit.ts";
import { UTC_TEXT } from "../sql-time.ts";

/** Everything the cart needs to know about a ticket: its price, its sale state, and what the cart shows of it. */
export interface CartTicketRow {
  id: string;
  type: string;
  price: Prisma.Decimal;
  groupDiscount: Prisma.Decimal;
  groupSize: number | null;
  transferable: boolean;
  buyable: boolean;
  salesPaused: boolean;
  salesEndAt: Date | null;
  voidedAt: Date | null;
  ownerId: string | null;
  exchangeListedAt: Date | null;
  holderId: string | null;
  holdExpiresAt: Date | null;
  attended: boolean;
  owner: { fullName: string } | null;
  showing: {
    id: number;
    eventId: number;
    startTime: Date;
    endTime: Date;
    location: string | null;
    ticketOrderLimit: number;
    ticketDropTime: Date | null;
    salesPaused: boolean;
    cancelledAt: Date | null;
    event: { id: number; name: string; club: { code: string; name: string; approved: boolean; archived: boolean } };
  };
}

interface FlatRow {
  cartId: number | null;
  bought: number | null;
  id: string;
  type: string;
  price: string;
  groupDiscount: string;
  groupSize: number | null;
  transferable: boolean;
  buyable: boolean;
  salesPaused: boolean;
  salesEndAt: string | null;
  voidedAt: string | null;
  ownerId: string | null;
  exchangeListedAt: string | null;
  ownerName: string | null;
  holderId: string | null;
  holdExpiresAt: string | null;
  attended: boolean;
  showingId: number;
  eventId: number;
  startTime: string;
  endTime: string;
  location: string | null;
  ticketOrderLimit: number;
  ticketDropTime: string | null;
  showingPaused: boolean;
  cancelledAt: string | null;
  eventName: string;
  clubCode: string;
  clubName: string;
  approved: boolean;
  archived: boolean;
}

const toDate = (v: string | null) => (v === null ? null : new Date(v));

/**
 * The tickets in the given carts (each cart's in the order they were added) or the given tickets, each with its
 * showing and club; `cartId` says whose cart a row came from, and `bought` how many tickets of the showing the
 * cart's owner bought (for the order limit; null for tickets loaded by id).
 */
export async function loadCartTickets(
  tx: Prisma.TransactionClient,
  which: { cartIds: number[] } | { ids: string[] },
): Promise<Array<CartTicketRow & { cartId: number | null; bought: number | null }>> {
  if ("ids" in which && which.ids.length === 0) return [];
  const cartJoin =
    "cartIds" in which
      ? Prisma.sql`JOIN "CartTicket" ct ON ct."ticketId" = t.id AND ct."cartId" = ANY(${which.cartIds}::int[])
                   JOIN "Cart" k ON k.id = ct."cartId"`
      : Prisma.empty;
  const cartId = "cartIds" in which ? Prisma.sql`ct."cartId"` : Prisma.sql`NULL::int`;
  const bought = "cartIds" in which ? boughtOfShowingSql(Prisma.sql`s.id`, Prisma.sql`k."userId"`) : Prisma.sql`NULL::int`;
  const filter = "ids" in which ? Prisma.sql`t.id = ANY(${which.ids}::uuid[])` : Prisma.sql`true`;
  const order = "cartIds" in which ? Prisma.sql`ct."cartId", ct."addedAt", t.id` : Prisma.sql`t.id`;
  const rows = await tx.$queryRaw<FlatRow[]>`
    SELECT ${cartId} AS "cartId", ${bought} AS bought, t.id::text AS id, t.type, t.price::text AS price, t."groupDiscount"::text AS "groupDiscount",
           t."groupSize", t.transferable, t.buyable, t."salesPaused",
           to_char(t."salesEndAt", ${UTC_TEXT}) AS "salesEndAt", to_char(t."voidedAt", ${UTC_TEXT}) AS "voidedAt", t."ownerId", ou."fullName" AS "ownerName", t."holderId",
           to_char(t."exchangeListedAt", ${UTC_TEXT}) AS "exchangeListedAt",
           to_char(t."holdExpiresAt", ${UTC_TEXT}) AS "holdExpiresAt", t.attended,
           s.id AS "showingId", s."eventId", to_char(s."startTime", ${UTC_TEXT}) AS "startTime",
           to_char(s."endTime", ${UTC_TEXT}) AS "endTime", s.location, s."ticketOrderLimit",
           to_char(s."ticketDropTime", ${UTC_TEXT}) AS "ticketDropTime", s."salesPaused" AS "showingPaused",
           to_char(s."cancelledAt", ${UTC_TEXT}) AS "cancelledAt",
           e.name AS "eventName", c.code AS "clubCode", c.name AS "clubName", c.approved, c.archived
    FROM "Ticket" t
    ${cartJoin}
    JOIN "Showing" s ON s.id = t."showingId"
    JOIN "Event" e ON e.id = s."eventId"
    JOIN "Club" c ON c.id = e."clubId"
    -- A ticket offered on the exchange is still its seller's: a buyer's cart does not name them.
    LEFT JOIN "User" ou ON ou.id = t."ownerId" AND t."exchangeListedAt" IS NULL
    WHERE ${filter}
    ORDER BY ${order}`;
  return rows.map((r) => ({
    cartId: r.cartId === null ? null : Number(r.cartId),
    bought: r.bought === null ? null : Number(r.bought),
    id: r.id,
    type: r.type,
    price: new Prisma.Decimal(r.price),
    groupDiscount: new Prisma.Decimal(r.groupDiscount),
    groupSize: r.groupSize === null ? null : Number(r.groupSize),
    transferable: r.transferable,
    buyable: r.buyable,
    salesPaused: r.salesPaused,
    salesEndAt: toDate(r.salesEndAt),
    voidedAt: toDate(r.voidedAt),
    ownerId: r.ownerId,
    exchangeListedAt: toDate(r.exchangeListedAt),
    holderId: r.holderId,
    holdExpiresAt: toDate(r.holdExpiresAt),
    attended: r.attended,
    owner: r.ownerName === null ? null : { fullName: r.ownerName },
    showing: {
      id: Number(r.showingId),
      eventId: Number(r.eventId),
      startTime: new Date(r.startTime),
      endTime: new Date(r.endTime),
      location: r.location,
      ticketOrderLimit: Number(r.ticketOrderLimit),
      ticketDropTime: toDate(r.ticketDropTime),
      salesPaused: r.showingPaused,
      cancelledAt: toDate(r.cancelledAt),
      event: {
        id: Number(r.eventId),
        name: r.eventName,
        club: { code: r.clubCode, name: r.clubName, approved: r.approved, archived: r.archived },
      },
    },
  }));
}
