import { GroupCommit, Prisma, type BatchOutcome } from "@admit/db";
import type { UserActor } from "../actor.ts";
import { requireOnSale, requireTypeOnSale, unownedOrListedWhere } from "../availability.ts";
import { endAttempt } from "../checkout/attempts.ts";
import type { DomainDeps } from "../deps.ts";
import { DomainError, notFound } from "../errors.ts";
import { requireLobbyAdmission } from "../lobby/gate.ts";
import { orderAllowance, requireWithinOrderLimit, type OrderAllowance } from "../order-limit.ts";
import { priceLine, priceOrder, type OrderLine, type PricedLine } from "../pricing.ts";
import { loadCartTickets, type CartTicketRow } from "./serialize.ts";
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

export interface ShowingAllowance extends OrderAllowance {
  showingId: number;
}

export interface CartView {
  tickets: CartTicketRow[];
  /** One line per showing and type, priced with its group discount. */
  lines: OrderLine[];
  /** What checkout would charge now: `listTotal - discount`. */
  total: Prisma.Decimal;
  listTotal: Prisma.Decimal;
  discount: Prisma.Decimal;
  /** Stale tickets that could not be swapped for others and left the cart. */
  soldOut: SoldOutEntry[];
  /** When a pending checkout's hold on these tickets ends; null when no checkout is pending. */
  holdExpiresAt: Date | null;
  /** The order limit of each showing in the cart, counted for this person. */
  allowances: ShowingAllowance[];
}

/** What picked tickets of one showing would cost, with the group discount the cart's tickets help reach. */
export interface CartQuote {
  lines: Array<PricedLine & { type: string }>;
  total: Prisma.Decimal;
  listTotal: Prisma.Decimal;
  discount: Prisma.Decimal;
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
            tickets,
            lines: order.lines,
            total: order.total,
            listTotal: order.listTotal,
            discount: order.discount,
            soldOut,
            holdExpiresAt: pending.find((p) => p.userId === userId)?.holdExpiresAt ?? null,
            allowances: allowancesOf(loaded, tickets),
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
    requireLobbyAdmission(showing.lobby, { eventId: showing.eventId, showingId: showing.id }, now);
    requireOnSale(showing, now);
    const requested = wanted.reduce((sum, line) => sum + line.count, 0);
    const allowance = orderAllowance({ limit: showing.ticketOrderLimit, inCart: showing.inCart, owned: showing.owned });
    requireWithinOrderLimit(allowance, requested, "cart");
    for (const { type } of wanted) {
      const short = facts.short.find((s) => s.type === type);
      if (!short) continue;
      if (!short.known) throw this.unknownType(type);
      requireTypeOnSale(type, short, now);
      throw new DomainError("NOT_ENOUGH_TICKETS", `Not enough tickets of type ${type} left!`, { details: { type } });
    }
    if (facts.added !== requested) throw new Error(`${facts.added} of ${requested} tickets went into the cart`);
    return { success: true, detail: `Successfully added ${facts.added} to cart`, count: facts.added };
  }

  /**
   * What the picked tickets of one showing would cost if added to the cart: each type priced as a group together
   * with the cart's tickets of the same showing and type. Changes nothing.
   */
  async quote(actor: UserActor, change: CartChange): Promise<CartQuote> {
    const picks = mergeQuantities(change.quantities);
    const rows = await this.deps.prisma.$queryRaw<
      Array<{ eventId: number; approved: boolean; type: string; price: string; groupDiscount: string; groupSize: number | null; inCart: number }>
    >`
      SELECT s."eventId", c.approved, p.type, o.price::text AS price, o."groupDiscount"::text AS "groupDiscount", o."groupSize",
             (SELECT count(*)::int FROM "CartTicket" ct JOIN "Cart" k ON k.id = ct."cartId" JOIN "Ticket" x ON x.id = ct."ticketId"
               WHERE k."userId" = ${actor.userId} AND x."showingId" = s.id AND x.type = p.type) AS "inCart"
      FROM "Showing" s JOIN "Event" e ON e.id = s."eventId" JOIN "Club" c ON c.id = e."clubId"
      CROSS JOIN unnest(${[...picks.keys()]}::text[]) AS p(type)
      -- Every ticket of a type shares its offer (offerings.ts), so one row per type: an index probe, not a count.
      JOIN LATERAL (SELECT t.price, t."groupDiscount", t."groupSize" FROM "Ticket" t
                    WHERE t."showingId" = s.id AND t.type = p.type LIMIT 1) o ON true
      WHERE s.id = ${change.showingId}`;
    // With no row (none of the picked types exists there) the showing is read on its own, so a missing or hidden
    // showing and a type it does not have get their own answers.
    const first = rows[0];
    const showing = first
      ? { eventId: Number(first.eventId), event: { club: { approved: first.approved } } }
      : await this.deps.prisma.showing.findUnique({
          where: { id: change.showingId },
          select: { eventId: true, event: { select: { club: { select: { approved: true } } } } },
        });
    this.requireVisible(showing, change);
    const lines = [...picks].map(([type, count]) => {
      const row = rows.find((r) => r.type === type);
      if (!row) throw this.unknownType(type);
      const offer = {
        price: new Prisma.Decimal(row.price),
        groupDiscount: new Prisma.Decimal(row.groupDiscount),
        groupSize: row.groupSize === null ? null : Number(row.groupSize),
      };
      return { type, ...priceLine(offer, count, count + Number(row.inCart)) };
    });
    const total = lines.reduce((sum, l) => sum.plus(l.amount), new Prisma.Decimal(0));
    const discount = lines.reduce((sum, l) => sum.plus(l.discount), new Prisma.Decimal(0));
    return { lines, total, listTotal: total.plus(discount), discount };
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
        where: { id: { in: ids }, holderId: actor.userId, ...unownedOrListedWhere },
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

/**
 * Each showing still in the cart with its order limit counted for the cart's owner. The bought count comes from the
 * rows as loaded (a replacement shares its showing with the stale ticket it replaced).
 */
function allowancesOf(loaded: Array<CartTicketRow & { bought: number | null }>, tickets: CartTicketRow[]): ShowingAllowance[] {
  const bought = new Map(loaded.map((t) => [t.showing.id, t.bought ?? 0]));
  const perShowing = new Map<number, { limit: number; inCart: number }>();
  for (const t of tickets) {
    const entry = perShowing.get(t.showing.id) ?? { limit: t.showing.ticketOrderLimit, inCart: 0 };
    entry.inCart += 1;
    perShowing.set(t.showing.id, entry);
  }
  return [...perShowing].map(([showingId, { limit, inCart }]) => ({
    showingId,
    ...orderAllowance({ limit, inCart, owned: bought.get(showingId) ?? 0 }),
  }));
}
