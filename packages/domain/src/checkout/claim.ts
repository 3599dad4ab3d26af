import { Prisma } from "@admit/db";
import { sqlTime } from "../sql-time.ts";
import type { PricedTicketInput } from "../pricing.ts";

type Tx = Prisma.TransactionClient;

export interface ClaimedTicket extends PricedTicketInput {
  orderLimit: number;
  /** This person's tickets of the same showing already owned (for the order limit). */
  ownedOfShowing: number;
  /** The pending attempt holding this ticket for this person, if its hold has not expired. */
  heldFor: { paymentId: string; ticketsHeld: number } | null;
}

interface ClaimRow {
  id: string;
  showingId: number;
  type: string;
  price: string;
  groupDiscount: string;
  groupSize: number | null;
  orderLimit: number;
  cartSize: number;
  ownedOfShowing: number;
  pendingAttempts: number;
  heldForPaymentId: string | null;
  ticketsHeld: number | null;
}

/**
 * Locks the cart's tickets that can be bought right now by this person (unsold, buyable, not held by anyone else,
 * showing on sale), skipping rows another checkout has locked. One statement; the locks last until the transaction
 * ends, so two checkouts can never both take the same ticket. NO KEY UPDATE is the strength an UPDATE of a ticket
 * takes: it excludes other claims and sales, but not the key-share lock an add-to-cart's foreign-key check takes, so
 * a rush of adds does not queue behind checkouts of the same tickets. Returns the locked tickets and the cart's size (when
 * they differ, the cart is stale), and how many checkout attempts of this person are pending.
 */
export async function claimCartTickets(
  tx: Tx,
  claim: { cartId: number; userId: string; now: Date },
): Promise<{ tickets: ClaimedTicket[]; cartSize: number; pendingAttempts: number }> {
  const now = sqlTime(claim.now);
  const rows = await tx.$queryRaw<ClaimRow[]>`
    SELECT t.id::text AS id, t."showingId" AS "showingId", t.type AS type, t.price::text AS price,
           t."groupDiscount"::text AS "groupDiscount", t."groupSize" AS "groupSize",
           s."ticketOrderLimit" AS "orderLimit",
           (SELECT count(*)::int FROM "CartTicket" all_ct WHERE all_ct."cartId" = ${claim.cartId}) AS "cartSize",
           (SELECT count(*)::int FROM "Ticket" o WHERE o."showingId" = t."showingId" AND o."ownerId" = ${claim.userId})
             AS "ownedOfShowing",
           (SELECT count(*)::int FROM "Payment" p WHERE p."userId" = ${claim.userId} AND p.status = 'PENDING')
             AS "pendingAttempts",
           CASE WHEN t."holderId" = ${claim.userId} AND t."holdExpiresAt" > ${now}
                THEN t."heldForPaymentId"::text END AS "heldForPaymentId",
           CASE WHEN t."holderId" = ${claim.userId} AND t."holdExpiresAt" > ${now} AND t."heldForPaymentId" IS NOT NULL
                THEN (SELECT count(*)::int FROM "Ticket" h
                      WHERE h."heldForPaymentId" = t."heldForPaymentId" AND h."holdExpiresAt" > ${now}) END AS "ticketsHeld"
    FROM "CartTicket" ct
    JOIN "Ticket" t ON t.id = ct."ticketId"
    JOIN "Showing" s ON s.id = t."showingId"
    JOIN "Event" e ON e.id = s."eventId"
    JOIN "Club" c ON c.id = e."clubId"
    WHERE ct."cartId" = ${claim.cartId}
      AND t."ownerId" IS NULL AND t.buyable
      AND (t."holderId" IS NULL OR t."holderId" = ${claim.userId} OR t."holdExpiresAt" <= ${now})
      AND s."endTime" > ${now}
      AND (s."ticketDropTime" IS NULL OR s."ticketDropTime" <= ${now})
      AND c.approved AND NOT c.archived
    ORDER BY t.id
    FOR NO KEY UPDATE OF t SKIP LOCKED`;
  const cartSize =
    rows[0]?.cartSize ??
    (await tx.cartTicket.count({ where: { cartId: claim.cartId } }));
  return {
    cartSize: Number(cartSize),
    pendingAttempts: Number(rows[0]?.pendingAttempts ?? 0),
    tickets: rows.map((r) => ({
      id: r.id,
      showingId: Number(r.showingId),
      type: r.type,
      price: new Prisma.Decimal(r.price),
      groupDiscount: new Prisma.Decimal(r.groupDiscount),
      groupSize: r.groupSize === null ? null : Number(r.groupSize),
      orderLimit: Number(r.orderLimit),
      ownedOfShowing: Number(r.ownedOfShowing),
      heldFor: r.heldForPaymentId ? { paymentId: r.heldForPaymentId, ticketsHeld: Number(r.ticketsHeld ?? 0) } : null,
    })),
  };
}
