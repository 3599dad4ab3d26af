import { GroupCommit, type BatchOutcome, type Prisma } from "@admit/db";
import type { UserActor } from "../actor.ts";
import { endAttempt } from "../checkout/attempts.ts";
import type { DomainDeps } from "../deps.ts";
import { DomainError, notFound } from "../errors.ts";
import { formatMoney } from "../money.ts";
import { priceOrder } from "../pricing.ts";
import { requireOnSale } from "./sale.ts";
import { loadCartTickets, serializeTicket, type SerializedTicket } from "./serialize.ts";
import { cartFacts, type CartFacts, type CartFactsQuery } from "./facts.ts";
import { CART_TRANSACTION, lockCart, lockCarts } from "./store.ts";
import { repairCart, type SoldOutEntry } from "./view.ts";

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

interface AddRequest {
  actor: UserActor;
  change: CartChange;
}

/**
 * Adds (and views) per batch, and batches at once per process. One at a time measured best in the on-sale benchmark: a batch
 * lasts a few milliseconds, and batches running side by side only compete for the same rows and cores.
 */
const CART_BATCH = { maxBatch: 50, maxConcurrent: 1 };

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
  private readonly adds: GroupCommit<AddRequest, CartChangeResult>;
  private readonly views: GroupCommit<UserActor, CartView>;

  constructor(private readonly deps: DomainDeps) {
    this.adds = new GroupCommit({ run: (batch) => this.addBatch(batch), key: (r) => r.actor.userId, ...CART_BATCH });
    this.views = new GroupCommit({ run: (batch) => this.viewBatch(batch), key: (actor) => actor.userId, ...CART_BATCH });
  }

  /**
   * The cart after swapping out stale tickets, its total with group discounts, and any pending hold's expiry.
   * Views that arrive together share their statements (see GroupCommit); only a cart that needs repair costs more.
   */
  view(actor: UserActor): Promise<CartView> {
    return this.views.submit(actor);
  }

  private viewBatch(actors: UserActor[]): Promise<Array<BatchOutcome<CartView>>> {
    const now = this.deps.clock.now();
    const userIds = actors.map((a) => a.userId);
    return this.deps.prisma.$transaction(async (tx) => {
      const carts = await lockCarts(tx, userIds, now);
      const rows = await loadCartTickets(tx, { cartIds: [...carts.values()].map((c) => c.cartId) });
      const pending = await tx.payment.findMany({
        where: { userId: { in: userIds }, status: "PENDING", holdExpiresAt: { gt: now } },
        orderBy: { createdAt: "desc" },
        select: { userId: true, holdExpiresAt: true },
      });
      const views: Array<BatchOutcome<CartView>> = [];
      // One cart at a time: a transaction runs one statement at a time.
      for (const { userId } of actors) {
        const { cartId } = carts.get(userId)!;
        const loaded = rows.filter((r) => r.cartId === cartId);
        const { tickets, soldOut } = await repairCart(tx, { cartId, userId, now, tickets: loaded });
        const order = priceOrder(tickets.map((t) => ({ ...t, showingId: t.showing.id })));
        views.push({
          ok: true,
          value: {
            tickets: tickets.map(serializeTicket),
            sold_out: soldOut,
            total: formatMoney(order.total),
            hold_expires_at: pending.find((p) => p.userId === userId)?.holdExpiresAt ?? null,
          },
        });
      }
      return views;
    }, CART_TRANSACTION);
  }

  /**
   * All or nothing. Adds that arrive together are group-committed (see GroupCommit): one transaction locks their
   * carts and adds to all of them in one statement, which adds nothing for a request that breaks a rule.
   */
  add(actor: UserActor, change: CartChange): Promise<CartChangeResult> {
    return this.adds.submit({ actor, change });
  }

  private addBatch(batch: AddRequest[]): Promise<Array<BatchOutcome<CartChangeResult>>> {
    const now = this.deps.clock.now();
    return this.deps.prisma.$transaction(async (tx) => {
      const carts = await lockCarts(tx, batch.map((r) => r.actor.userId), now);
      const queries = batch.map(({ actor, change }) => ({
        cartId: carts.get(actor.userId)!.cartId,
        userId: actor.userId,
        showingId: change.showingId,
        eventId: change.eventId,
        add: [...mergeQuantities(change.quantities)].map(([type, count]) => ({ type, count })),
      }));
      const facts = await cartFacts(tx, queries, now);
      if (batch.length > 1) {
        // A shortage in a batch may be the batch's doing (tickets handed to a request that was then refused, or
        // sitting in a batch-mate's cart), so short requests try again each on its own, after the others: what
        // each would have met arriving a moment later.
        const short = queries.flatMap((query, i) => (facts[i]!.short.some((s) => s.known) ? [i] : []));
        if (short.length > 0) {
          const again = await cartFacts(tx, short.map((i) => queries[i]!), now, { share: false });
          short.forEach((i, k) => (facts[i] = again[k]!));
        }
      }
      return batch.map(({ change }, i) => {
        try {
          return { ok: true as const, value: this.checkedAdd(change, queries[i]!.add, facts[i]!, now) };
        } catch (error) {
          // Rules the statement did not check itself: only a rollback takes this request's tickets out again.
          if (facts[i]!.added > 0) throw error;
          return { ok: false as const, error };
        }
      });
    }, CART_TRANSACTION);
  }

  private checkedAdd(change: CartChange, wanted: CartFactsQuery["add"], facts: CartFacts, now: Date): CartChangeResult {
    const { showing } = facts;
    this.requireVisible(showing, change);
    requireOnSale(showing, now);
    const requested = wanted.reduce((sum, line) => sum + line.count, 0);
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
    for (const { type } of wanted) {
      const short = facts.short.find((s) => s.type === type);
      if (!short) continue;
      if (!short.known) throw this.unknownType(type);
      throw new DomainError("NOT_ENOUGH_TICKETS", `Not enough tickets of type ${type} left!`, { details: { type } });
    }
    if (facts.added !== requested) throw new Error(`${facts.added} of ${requested} tickets went into the cart`);
    return { success: true, detail: `Successfully added ${facts.added} to cart`, count: facts.added };
  }

  /**
   * Takes up to the given counts out of the cart (asking for more than is there is fine) and releases any hold on
   * what was removed. A checkout attempt that held a removed ticket no longer matches the cart, so it is ended.
   */
  async remove(actor: UserActor, change: CartChange): Promise<CartChangeResult> {
    const now = this.deps.clock.now();
    return this.deps.prisma.$transaction(async (tx) => {
      const cartId = await lockCart(tx, actor.userId, now);
      const [facts] = await cartFacts(tx, [{ cartId, userId: actor.userId, showingId: change.showingId, add: [] }], now);
      const showing = facts!.showing;
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
}
