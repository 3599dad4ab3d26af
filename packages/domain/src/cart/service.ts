import type { Prisma } from "@admit/db";
import type { UserActor } from "../actor.ts";
import { endAttempt } from "../checkout/attempts.ts";
import type { DomainDeps } from "../deps.ts";
import { DomainError, notFound } from "../errors.ts";
import { formatMoney } from "../money.ts";
import { priceOrder } from "../pricing.ts";
import { requireOnSale } from "./sale.ts";
import { serializeTicket, type SerializedTicket } from "./serialize.ts";
import { addFreeTickets, CART_TRANSACTION, lockCart, showingForCart } from "./store.ts";
import { loadRepairedCart, type SoldOutEntry } from "./view.ts";

type Tx = Prisma.TransactionClient;

export interface CartChange {
  showingId: number;
  /** When given, it must be the showing's event (the REST path names both). */
  eventId?: number | undefined;
  quantities: Array<{ type: string; count: number }>;
}

export interface CartView {
  tickets: SerializedTicket[];
  sold_out: SoldOutEntry[];
  total: string;
  hold_expires_at: Date | null;
}

export interface CartChangeResult {
  success: true;
  detail: string;
  count: number;
}

/** Counts per type, with a type listed twice counted once. */
function mergeQuantities(quantities: CartChange["quantities"]): Map<string, number> {
  const merged = new Map<string, number>();
  for (const q of quantities) merged.set(q.type, (merged.get(q.type) ?? 0) + q.count);
  return merged;
}

/**
 * A student's cart: a soft reservation (the same ticket may sit in several carts; only checkout holds tickets).
 * Every change is all-or-nothing and runs under the cart's row lock.
 */
export class Carts {
  constructor(private readonly deps: DomainDeps) {}

  /** The cart after swapping out stale tickets, its total with group discounts, and any pending hold's expiry. */
  async view(actor: UserActor): Promise<CartView> {
    const now = this.deps.clock.now();
    return this.deps.prisma.$transaction(async (tx) => {
      const cartId = await lockCart(tx, actor.userId, now);
      const { tickets, soldOut } = await loadRepairedCart(tx, { cartId, userId: actor.userId, now });
      const pending = await tx.payment.findFirst({
        where: { userId: actor.userId, status: "PENDING", holdExpiresAt: { gt: now } },
        orderBy: { createdAt: "desc" },
        select: { holdExpiresAt: true },
      });
      const order = priceOrder(tickets.map((t) => ({ ...t, showingId: t.showing.id })));
      return {
        tickets: tickets.map(serializeTicket),
        sold_out: soldOut,
        total: formatMoney(order.total),
        hold_expires_at: pending?.holdExpiresAt ?? null,
      };
    }, CART_TRANSACTION);
  }

  async add(actor: UserActor, change: CartChange): Promise<CartChangeResult> {
    const now = this.deps.clock.now();
    const wanted = mergeQuantities(change.quantities);
    const requested = [...wanted.values()].reduce((a, b) => a + b, 0);
    return this.deps.prisma.$transaction(async (tx) => {
      const cartId = await lockCart(tx, actor.userId, now);
      const [first, ...otherTypes] = [...wanted];
      const [firstType, firstCount] = first!;
      // The first type's tickets go in with the same statement that reads the facts (one round trip fewer in a
      // rush); every rule is still checked below, and a failed one rolls that insert back.
      const showing = await showingForCart(tx, {
        showingId: change.showingId,
        cartId,
        userId: actor.userId,
        add: { type: firstType, count: firstCount, total: requested, now },
      });
      this.requireVisible(showing, change);
      requireOnSale(showing, now);
      if (showing.inCart + showing.owned + requested > showing.ticketOrderLimit) {
        const already = [
          showing.inCart ? `${showing.inCart} in your cart` : "",
          showing.owned ? `${showing.owned} already yours` : "",
        ].filter(Boolean);
        throw new DomainError(
          "ORDER_LIMIT_EXCEEDED",
          `Order exceeds the maximum ticket limit of ${showing.ticketOrderLimit}` +
            (already.length ? ` (you have ${already.join(" and ")}).` : "."),
        );
      }
      if (showing.added.length < firstCount) await this.refuseShortage(tx, showing.id, firstType);
      let added = showing.added.length;
      for (const [type, count] of otherTypes) {
        const ids = await addFreeTickets(tx, { cartId, showingId: showing.id, type, count, now });
        if (ids.length < count) await this.refuseShortage(tx, showing.id, type);
        added += ids.length;
      }
      return { success: true as const, detail: `Successfully added ${added} to cart`, count: added };
    }, CART_TRANSACTION);
  }

  /**
   * Takes up to the given counts out of the cart (asking for more than is there is fine) and releases any hold on
   * what was removed. A checkout attempt that held a removed ticket no longer matches the cart, so it is ended.
   */
  async remove(actor: UserActor, change: CartChange): Promise<CartChangeResult> {
    const now = this.deps.clock.now();
    return this.deps.prisma.$transaction(async (tx) => {
      const cartId = await lockCart(tx, actor.userId, now);
      const showing = await showingForCart(tx, { showingId: change.showingId, cartId, userId: actor.userId });
      this.requireVisible(showing, change);
      const removed: Array<{ id: string; holderId: string | null; heldForPaymentId: string | null }> = [];
      for (const [type, count] of mergeQuantities(change.quantities)) {
        const rows = await tx.cartTicket.findMany({
          where: { cartId, ticket: { showingId: showing.id, type } },
          orderBy: [{ addedAt: "desc" }, { ticketId: "desc" }],
          take: count,
          select: { ticket: { select: { id: true, holderId: true, heldForPaymentId: true } } },
        });
        if (rows.length === 0 && !(await this.typeExists(tx, showing.id, type))) throw this.unknownType(type);
        removed.push(...rows.map((r) => r.ticket));
      }
      if (removed.length === 0) return { success: true as const, detail: "Successfully removed 0 from cart", count: 0 };

      const ids = removed.map((t) => t.id);
      await tx.cartTicket.deleteMany({ where: { cartId, ticketId: { in: ids } } });
      const attempts = new Set(removed.flatMap((t) => (t.holderId === actor.userId && t.heldForPaymentId ? [t.heldForPaymentId] : [])));
      for (const paymentId of attempts) {
        const payment = await tx.payment.findUnique({ where: { id: paymentId }, select: { holdExpiresAt: true } });
        await endAttempt(tx, paymentId, payment?.holdExpiresAt && payment.holdExpiresAt > now ? "SUPERSEDED" : "EXPIRED");
      }
      await tx.ticket.updateMany({
        where: { id: { in: ids }, holderId: actor.userId, ownerId: null },
        data: { holderId: null, holdExpiresAt: null, heldForPaymentId: null },
      });
      return { success: true as const, detail: `Successfully removed ${ids.length} from cart`, count: ids.length };
    }, CART_TRANSACTION);
  }

  /** Clubs not yet approved are hidden, as are showings named under another event. */
  private requireVisible<S extends { eventId: number; event: { club: { approved: boolean } } }>(
    showing: S | null,
    change: CartChange,
  ): asserts showing is S {
    if (!showing || !showing.event.club.approved) throw notFound("Showing");
    if (change.eventId !== undefined && change.eventId !== showing.eventId) throw notFound("Showing");
  }

  private async typeExists(tx: Tx, showingId: number, type: string): Promise<boolean> {
    return (await tx.ticket.findFirst({ where: { showingId, type }, select: { id: true } })) !== null;
  }

  private unknownType(type: string): DomainError {
    return new DomainError("NOT_FOUND", `This showing has no "${type}" tickets.`, { details: { type } });
  }

  private async refuseShortage(tx: Tx, showingId: number, type: string): Promise<never> {
    if (!(await this.typeExists(tx, showingId, type))) throw this.unknownType(type);
    throw new DomainError("NOT_ENOUGH_TICKETS", `Not enough tickets of type ${type} left!`, { details: { type } });
  }
}
