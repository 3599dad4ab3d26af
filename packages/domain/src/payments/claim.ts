import { Prisma } from "@admit/db";
import { notSellableSql, sellableSql, unownedOrListedWhere } from "../availability.ts";
import { roundCents } from "../money.ts";

type Tx = Prisma.TransactionClient;

export interface PaymentItemRow {
  showingId: number;
  type: string;
  count: number;
  amount: Prisma.Decimal;
}

export interface ClaimedForPayment {
  tickets: Array<{ id: string; amountPaid: Prisma.Decimal }>;
  /** How many of them are other seats than the buyer chose (the hold had lapsed and those seats were taken). */
  replaced: number;
}

/**
 * Locks, for a paid attempt, the tickets it paid for: its own held tickets first, then the same seats if the hold
 * lapsed but nobody took them (they are still in the buyer's cart), then any free ticket of the same showing and
 * type. Rows other transactions hold are skipped, never waited for. Returns null when any item cannot be filled
 * completely: a payment gets all its tickets or none.
 */
export async function claimPaidTickets(
  tx: Tx,
  claim: { paymentId: string; userId: string; items: PaymentItemRow[]; now: Date },
): Promise<ClaimedForPayment | null> {
  const paid = Prisma.sql`${claim.paymentId}::uuid`;
  // Its own held tickets whether or not still for public sale; otherwise what a student could buy, any time before
  // the showing ends (the buyer already paid: a closed club or a later drop time does not undo that), but never a
  // ticket the buyer offers on the exchange themselves. The buyer's other attempts' holds stay holds.
  const claimable = sellableSql({
    now: claim.now,
    purpose: "sale",
    heldFor: paid,
    buyer: Prisma.sql`${claim.userId}`,
    saleWindow: { showing: "s", rule: "paid" },
  });
  const inBuyersCart = Prisma.sql`EXISTS (SELECT 1 FROM "CartTicket" ct JOIN "Cart" c ON c.id = ct."cartId"
                                          WHERE ct."ticketId" = t.id AND c."userId" = ${claim.userId})`;
  const tickets: ClaimedForPayment["tickets"] = [];
  let replaced = 0;
  for (const item of claim.items) {
    const taken = tickets.map((t) => Prisma.sql`${t.id}::uuid`);
    const exclude = taken.length ? Prisma.sql`AND t.id NOT IN (${Prisma.join(taken)})` : Prisma.empty;
    const rows = await tx.$queryRaw<Array<{ id: string; mine: boolean }>>`
      SELECT t.id::text AS id,
             COALESCE(t."heldForPaymentId" = ${claim.paymentId}::uuid, false) OR ${inBuyersCart} AS mine
      FROM "Ticket" t
      JOIN "Showing" s ON s.id = t."showingId"
      WHERE t."showingId" = ${item.showingId} AND t.type = ${item.type} AND ${claimable}
        ${exclude}
      ORDER BY COALESCE(t."heldForPaymentId" = ${claim.paymentId}::uuid, false) DESC,
               ${inBuyersCart} DESC,
               t.id
      LIMIT ${item.count}
      FOR UPDATE OF t SKIP LOCKED`;
    if (rows.length < item.count) return null;
    const amounts = splitAmount(item.amount, item.count);
    rows.forEach((row, i) => {
      tickets.push({ id: row.id, amountPaid: amounts[i]! });
      if (!row.mine) replaced += 1;
    });
  }
  return { tickets, replaced };
}

/**
 * FOR SHARE on the showings a payment's items are for: officers change a showing under FOR NO KEY UPDATE
 * (catalog/access.ts lockShowingRow), which waits for this, while concurrent payments and checkouts (KEY SHARE when
 * they reference a showing) do not. Taken before any ticket lock, in the order officers take them.
 */
export async function lockShowingsAgainstChange(tx: Tx, showingIds: number[]): Promise<void> {
  const ids = [...new Set(showingIds)].sort((a, b) => a - b);
  if (ids.length === 0) return;
  await tx.$queryRaw`SELECT id FROM "Showing" WHERE id IN (${Prisma.join(ids)}) ORDER BY id FOR SHARE`;
}

/** An item's amount per ticket, rounded to cents, with the rounding remainder on the last ticket. */
export function splitAmount(total: Prisma.Decimal, count: number): Prisma.Decimal[] {
  if (count <= 0) return [];
  const each = roundCents(total.div(count));
  const amounts = Array.from({ length: count - 1 }, () => each);
  amounts.push(total.minus(each.mul(count - 1)));
  return amounts;
}

/** Frees whatever this attempt still holds (and does not own), leaving every other attempt's holds alone. */
export async function releaseAttemptHolds(tx: Tx, paymentId: string): Promise<number> {
  const released = await tx.ticket.updateMany({
    where: { heldForPaymentId: paymentId, ...unownedOrListedWhere },
    data: { holderId: null, holdExpiresAt: null, heldForPaymentId: null },
  });
  return released.count;
}

/**
 * After a paid order, drops from the buyer's cart the tickets of the paid showings and types that are no longer
 * there for them (sold, or held by someone else), so the cart does not offer to buy the same seats again.
 */
export async function dropUnavailableFromCart(tx: Tx, claim: { userId: string; items: PaymentItemRow[]; now: Date }) {
  for (const item of claim.items) {
    await tx.$executeRaw`
      DELETE FROM "CartTicket" ct USING "Cart" c, "Ticket" t
      WHERE c.id = ct."cartId" AND c."userId" = ${claim.userId} AND t.id = ct."ticketId"
        AND t."showingId" = ${item.showingId} AND t.type = ${item.type}
        AND ${notSellableSql({ now: claim.now, purpose: "handover", holder: Prisma.sql`${claim.userId}` })}`;
  }
}
