import { Prisma } from "@admit/db";
import { sellableSql, underHoldSql } from "../availability.ts";
import { lobbyGateFacts, lobbyGateJoinsSql, waitlistOfferSql, type LobbyGateFacts, type LobbyGateRow, type LobbyGateSqlSource } from "../lobby/gate.ts";
import { boughtOfShowingSql } from "../order-limit.ts";
import type { PricedTicketInput } from "../pricing.ts";
import { UTC_TEXT } from "../sql-time.ts";

type Tx = Prisma.TransactionClient;

export interface ClaimedTicket extends PricedTicketInput {
  orderLimit: number;
  /** This person's tickets of the same showing already bought (for the order limit; comps do not count). */
  ownedOfShowing: number;
  /** The pending attempt holding this ticket for this person, if its hold has not expired. */
  heldFor: { paymentId: string; ticketsHeld: number } | null;
  eventId: number;
  /** Whether the showing's lobby lets this person buy now (lobby/gate.ts); a resumed hold is decided by the caller. */
  lobby: LobbyGateFacts;
}

interface ClaimRow extends LobbyGateRow {
  cartId: number;
  /** When the ticket went into the cart (UTC text, which sorts as time does). */
  addedAt: string;
  id: string;
  showingId: number;
  type: string;
  price: string;
  groupDiscount: string;
  groupSize: number | null;
  orderLimit: number;
  cartSize: number;
  ownedOfShowing: number;
  heldForPaymentId: string | null;
  ticketsHeld: number | null;
  eventId: number;
  ticketDropTime: string | null;
  endTime: string;
  cancelledAt: string | null;
}

export interface CartClaim {
  /** In the cart's order (as the cart view lists them), so an order's lines come out as the cart shows them. */
  tickets: ClaimedTicket[];
  /** How many tickets the cart holds; when the claim got fewer, the cart is stale. */
  cartSize: number;
}

/**
 * Locks the carts' tickets that can be bought right now by each cart's owner (sellable, availability.ts: unsold,
 * buyable, not held by anyone else, showing on sale), skipping rows another checkout has locked. One statement for
 * any number of carts; the locks last until the transaction ends, so two checkouts can never both take the same
 * ticket. NO KEY UPDATE is the
 * strength an UPDATE of a ticket takes: it excludes other claims and sales, but not the key-share lock an
 * add-to-cart's foreign-key check takes, so a rush of adds does not queue behind checkouts of the same tickets.
 * A ticket in two of the batch's carts comes back for each: the caller gives it to one of them.
 */
export async function claimCartTickets(
  tx: Tx,
  claim: { cartIds: number[]; now: Date },
): Promise<Map<number, CartClaim>> {
  const { cartIds } = claim;
  const gate: LobbyGateSqlSource = { showing: "s", lobby: "lb", entry: "le", userId: Prisma.sql`k."userId"`, now: claim.now };
  const rows = await tx.$queryRaw<ClaimRow[]>`
    SELECT ct."cartId" AS "cartId", to_char(ct."addedAt", ${UTC_TEXT}) AS "addedAt", t.id::text AS id, t."showingId" AS "showingId", t.type AS type,
           t.price::text AS price, t."groupDiscount"::text AS "groupDiscount", t."groupSize" AS "groupSize",
           s."ticketOrderLimit" AS "orderLimit",
           (SELECT count(*)::int FROM "CartTicket" all_ct WHERE all_ct."cartId" = ct."cartId") AS "cartSize",
           ${boughtOfShowingSql(Prisma.sql`t."showingId"`, Prisma.sql`k."userId"`)} AS "ownedOfShowing",
           CASE WHEN t."holderId" = k."userId" AND ${underHoldSql(claim.now)}
                THEN t."heldForPaymentId"::text END AS "heldForPaymentId",
           CASE WHEN t."holderId" = k."userId" AND ${underHoldSql(claim.now)} AND t."heldForPaymentId" IS NOT NULL
                THEN (SELECT count(*)::int FROM "Ticket" h
                      WHERE h."heldForPaymentId" = t."heldForPaymentId" AND ${underHoldSql(claim.now, "h")}) END AS "ticketsHeld",
           s."eventId", to_char(s."ticketDropTime", ${UTC_TEXT}) AS "ticketDropTime", to_char(s."endTime", ${UTC_TEXT}) AS "endTime",
           to_char(s."cancelledAt", ${UTC_TEXT}) AS "cancelledAt",
           CASE WHEN lb."showingId" IS NOT NULL THEN json_build_object('enabled', lb.enabled,
             'opensMinutesBefore', lb."opensMinutesBefore", 'soldOutAt', to_char(lb."soldOutAt", ${UTC_TEXT})) END AS lobby,
           CASE WHEN le.id IS NOT NULL THEN json_build_object('state', le.state,
             'admitUntil', to_char(le."admitUntil", ${UTC_TEXT})) END AS entry,
           ${waitlistOfferSql(gate)} AS "waitlistOffer"
    FROM "CartTicket" ct
    JOIN "Cart" k ON k.id = ct."cartId"
    JOIN "Ticket" t ON t.id = ct."ticketId"
    JOIN "Showing" s ON s.id = t."showingId"
    JOIN "Event" e ON e.id = s."eventId"
    JOIN "Club" c ON c.id = e."clubId"
    ${lobbyGateJoinsSql(gate)}
    WHERE ct."cartId" = ANY(${cartIds}::int[])
      AND ${sellableSql({ now: claim.now, purpose: "sale", holder: Prisma.sql`k."userId"`, saleWindow: { showing: "s", club: "c", rule: "buying" } })}
    ORDER BY t.id
    FOR NO KEY UPDATE OF t SKIP LOCKED`;
  // Locked in id order (so claims cannot deadlock each other), handed back in the cart's order: `ct."addedAt", t.id`.
  rows.sort((a, b) => cmp(a.addedAt, b.addedAt) || cmp(a.id, b.id));
  const claims = new Map<number, CartClaim>();
  for (const r of rows) {
    const cartId = Number(r.cartId);
    let entry = claims.get(cartId);
    if (!entry) {
      entry = { tickets: [], cartSize: Number(r.cartSize) };
      claims.set(cartId, entry);
    }
    entry.tickets.push({
      id: r.id,
      showingId: Number(r.showingId),
      type: r.type,
      price: new Prisma.Decimal(r.price),
      groupDiscount: new Prisma.Decimal(r.groupDiscount),
      groupSize: r.groupSize === null ? null : Number(r.groupSize),
      orderLimit: Number(r.orderLimit),
      ownedOfShowing: Number(r.ownedOfShowing),
      heldFor: r.heldForPaymentId ? { paymentId: r.heldForPaymentId, ticketsHeld: Number(r.ticketsHeld ?? 0) } : null,
      eventId: Number(r.eventId),
      lobby: lobbyGateFacts(
        r,
        {
          ticketDropTime: r.ticketDropTime === null ? null : new Date(r.ticketDropTime),
          endTime: new Date(r.endTime),
          cancelledAt: r.cancelledAt === null ? null : new Date(r.cancelledAt),
        },
        claim.now,
      ),
    });
  }
  const unclaimed = cartIds.filter((id) => !claims.has(id));
  if (unclaimed.length > 0) {
    const sizes = await tx.cartTicket.groupBy({ by: ["cartId"], where: { cartId: { in: unclaimed } }, _count: { _all: true } });
    const sizeOf = new Map(sizes.map((s) => [s.cartId, s._count._all]));
    for (const id of unclaimed) claims.set(id, { tickets: [], cartSize: sizeOf.get(id) ?? 0 });
  }
  return claims;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
