import { randomUUID } from "node:crypto";
import { GroupCommit, type BatchOutcome, type Prisma } from "@admit/db";
import type { UserActor } from "../actor.ts";
import { requireNotStopped } from "../availability.ts";
import { loadCartTickets } from "../cart/serialize.ts";
import { CART_TRANSACTION, lockCarts } from "../cart/store.ts";
import type { DomainDeps } from "../deps.ts";
import { DomainError } from "../errors.ts";
import { requireLobbyAdmission } from "../lobby/gate.ts";
import { formatMoney } from "../money.ts";
import { orderAllowance, requireWithinOrderLimit } from "../order-limit.ts";
import { fulfilOrders } from "../orders/fulfil.ts";
import { priceOrder, type OrderLine, type PricedOrder } from "../pricing.ts";
import { endAttempt, pendingAttempts, type PendingAttempt } from "./attempts.ts";
import { claimCartTickets, type CartClaim, type ClaimedTicket } from "./claim.ts";
import { billingName, receiptUrl, type CheckoutOptions } from "./payment-request.ts";

type Tx = Prisma.TransactionClient;

export interface CheckoutResult {
  success: true;
  detail: string;
  /** A free order: the tickets are the buyer's now. */
  soldFreeTickets: boolean;
  /** A paid order: the hosted payment page and the signed fields the browser posts to it. */
  paymentPage?: { url: string; fields: Record<string, string> };
  /** What the order costs (for a paid order, the amount its attempt charges). */
  total: Prisma.Decimal;
  listTotal: Prisma.Decimal;
  discount: Prisma.Decimal;
  lines: OrderLine[];
  /** When the paid attempt's hold ends; null for free orders. */
  holdExpiresAt: Date | null;
  /** The order a free checkout made; null for a paid one (its order exists once the payment is accepted). */
  orderId: string | null;
}

export const DEFAULT_HOLD_MINUTES = 10;

/** A cart's claimed tickets with its owner's pending attempts (from the cart lock). */
type CheckoutCart = CartClaim & { pendingAttempts: number };

/** A free order whose checks passed, waiting to be sold with the rest of its batch. */
interface FreeSale {
  free: PricedOrder;
  actor: UserActor;
  tickets: ClaimedTicket[];
}

function priced(order: PricedOrder) {
  return { total: order.total, listTotal: order.listTotal, discount: order.discount, lines: order.lines };
}

function soldFree(order: PricedOrder, orderId: string): CheckoutResult {
  return { success: true, detail: "Free tickets sold.", soldFreeTickets: true, ...priced(order), holdExpiresAt: null, orderId };
}

/**
 * Checkouts per batch, and batches at once per process. One at a time measured best in the on-sale benchmark: a batch
 * lasts a few milliseconds, and batches running side by side only compete for the same rows and cores.
 */
const CHECKOUT_BATCH = { maxBatch: 50, maxConcurrent: 1 };

/**
 * Turns a cart into an order: free carts are sold at once; paid carts get their tickets held for a few minutes
 * under one checkout attempt (a PENDING Payment) and the signed fields for the hosted payment page.
 */
export class Checkout {
  private readonly holdMs: number;
  private readonly batches: GroupCommit<UserActor, CheckoutResult>;

  constructor(
    private readonly deps: DomainDeps,
    private readonly options: Partial<CheckoutOptions> = {},
  ) {
    this.holdMs = (options.holdMinutes ?? DEFAULT_HOLD_MINUTES) * 60_000;
    this.batches = new GroupCommit({
      run: (actors) => this.startBatch(actors),
      key: (actor) => actor.userId,
      ...CHECKOUT_BATCH,
    });
  }

  /**
   * Starting again while an attempt is pending returns that same attempt (same transaction uuid, same hold expiry)
   * as long as its hold lasts and the cart still holds exactly its tickets; otherwise the old attempt is ended
   * (SUPERSEDED, or EXPIRED once its hold lapsed), its holds are released, and a new attempt starts.
   *
   * Checkouts that arrive together are group-committed (see GroupCommit): one transaction locks their carts,
   * claims their tickets and sells the free ones in a handful of statements. Each person's checks run before
   * anything of theirs is written, so a refusal (empty or stale cart, order limit) is theirs alone.
   */
  start(actor: UserActor): Promise<CheckoutResult> {
    return this.batches.submit(actor);
  }

  private startBatch(actors: UserActor[]): Promise<Array<BatchOutcome<CheckoutResult>>> {
    const now = this.deps.clock.now();
    return this.deps.prisma.$transaction(async (tx) => {
      const locked = await lockCarts(tx, actors.map((a) => a.userId), now);
      const carts = actors.map((actor) => ({ ...locked.get(actor.userId)!, userId: actor.userId }));
      const claims = await claimCartTickets(tx, { cartIds: carts.map((c) => c.cartId), now });
      // One person at a time, in arrival order: a ticket in two of the batch's carts goes to the first whose
      // checkout is accepted, and for the others it is gone, as if they had lost the race to another checkout.
      const taken = new Set<string>();
      const settled: Array<BatchOutcome<CheckoutResult | FreeSale>> = [];
      for (const [i, actor] of actors.entries()) {
        const { cartId, pendingAttempts } = carts[i]!;
        const { tickets, cartSize } = claims.get(cartId)!;
        let claim: CheckoutCart;
        try {
          const mine = tickets.filter((t) => !taken.has(t.id));
          if (mine.length < cartSize) await requireCartOnSale(tx, cartId, now);
          claim = this.checkedClaim({ cartSize, pendingAttempts, tickets: mine }, now);
        } catch (refusal) {
          settled.push({ ok: false, error: refusal });
          continue;
        }
        for (const t of claim.tickets) taken.add(t.id);
        settled.push({ ok: true, value: await this.settle(tx, actor, claim, now) });
      }
      const freeSales = settled.flatMap((s) => (s.ok && "free" in s.value ? [s.value] : []));
      const orders = await fulfilOrders(
        tx,
        this.deps,
        freeSales.map((sale) => ({
          userId: sale.actor.userId,
          paymentId: null,
          tickets: sale.tickets.map((t) => ({ id: t.id, amountPaid: sale.free.ticketAmounts.get(t.id)! })),
          publicUrl: this.options.publicUrl ?? "",
        })),
      );
      const orderOf = new Map(freeSales.map((sale, i) => [sale, orders[i]!.id]));
      return settled.map((s) =>
        s.ok && "free" in s.value
          ? { ok: true as const, value: soldFree(s.value.free, orderOf.get(s.value)!) }
          : (s as BatchOutcome<CheckoutResult>),
      );
    }, CART_TRANSACTION);
  }

  /** The cart's claimed tickets, or the refusal: nothing is written before these checks pass. */
  private checkedClaim(claim: CheckoutCart, now: Date): CheckoutCart {
    if (claim.cartSize === 0) throw new DomainError("CART_EMPTY", "No tickets selected for checkout.");
    this.requireLobbyTurns(claim, now);
    if (claim.tickets.length !== claim.cartSize) {
      throw new DomainError(
        "CART_STALE",
        "Some tickets in your cart are no longer available. Refresh your cart to replace them, then check out again.",
      );
    }
    this.requireWithinOrderLimits(claim.tickets);
    return claim;
  }

  /**
   * Resumes or replaces a pending attempt, or starts a paid one; a free order comes back unsold, for the batch to
   * sell together with the others. Errors thrown here come after writes, so they fail (and roll back) the batch.
   */
  private async settle(tx: Tx, actor: UserActor, claim: CheckoutCart, now: Date): Promise<CheckoutResult | FreeSale> {
    const { tickets } = claim;
    const pending = claim.pendingAttempts > 0 ? await pendingAttempts(tx, actor.userId) : [];
    const order = priceOrder(tickets);
    const same = pending.find((attempt) => this.stillCovers(attempt, tickets, now));
    if (same) return this.paymentPageResult(same, order);
    for (const attempt of pending) {
      await endAttempt(tx, attempt.id, attempt.holdExpiresAt && attempt.holdExpiresAt > now ? "SUPERSEDED" : "EXPIRED");
    }
    if (order.total.isZero()) return { free: order, actor, tickets };
    return this.startPaidAttempt(tx, actor, order, tickets, now);
  }

  /** Ends every pending attempt whose hold has lapsed and frees every expired hold; the server runs it every 30 s. */
  async releaseExpiredHolds(): Promise<{ expiredAttempts: number; releasedTickets: number }> {
    const now = this.deps.clock.now();
    return this.deps.prisma.$transaction(async (tx) => {
      const expired = await tx.payment.updateMany({
        where: { status: "PENDING", holdExpiresAt: { lte: now } },
        data: { status: "EXPIRED" },
      });
      const released = await tx.ticket.updateMany({
        where: { holdExpiresAt: { lte: now } },
        data: { holderId: null, holdExpiresAt: null, heldForPaymentId: null },
      });
      return { expiredAttempts: expired.count, releasedTickets: released.count };
    }, CART_TRANSACTION);
  }

  /** The attempt's hold is still on, and it holds exactly the cart's tickets: nothing more, nothing less. */
  private stillCovers(attempt: PendingAttempt, cart: ClaimedTicket[], now: Date): boolean {
    if (!attempt.holdExpiresAt || attempt.holdExpiresAt <= now) return false;
    return cart.every((t) => t.heldFor?.paymentId === attempt.id && t.heldFor.ticketsHeld === cart.length);
  }

  /**
   * Each showing whose drop runs through a lobby lets only a student whose turn it is check out its tickets
   * (lobby/gate.ts). An attempt resumed as it is (its unexpired hold covers exactly the cart) began during the turn,
   * so it goes on to payment even after the turn ends; the payment's reply itself never passes this way.
   */
  private requireLobbyTurns(claim: CheckoutCart, now: Date) {
    const first = claim.tickets[0]?.heldFor;
    const resumesHeldCheckout =
      claim.pendingAttempts > 0 &&
      first !== undefined &&
      first !== null &&
      claim.tickets.length === claim.cartSize &&
      claim.tickets.every((t) => t.heldFor?.paymentId === first.paymentId && t.heldFor.ticketsHeld === claim.cartSize);
    const seen = new Set<number>();
    for (const t of claim.tickets) {
      if (seen.has(t.showingId)) continue;
      seen.add(t.showingId);
      requireLobbyAdmission({ ...t.lobby, resumesHeldCheckout }, { eventId: t.eventId, showingId: t.showingId }, now);
    }
  }

  /** The cart's tickets are the order itself: each showing's count is what is being added to what was bought. */
  private requireWithinOrderLimits(tickets: ClaimedTicket[]) {
    const perShowing = new Map<number, { count: number; limit: number; owned: number }>();
    for (const t of tickets) {
      const entry = perShowing.get(t.showingId) ?? { count: 0, limit: t.orderLimit, owned: t.ownedOfShowing };
      entry.count += 1;
      perShowing.set(t.showingId, entry);
    }
    for (const { count, limit, owned } of perShowing.values()) {
      requireWithinOrderLimit(orderAllowance({ limit, inCart: 0, owned }), count, "checkout");
    }
  }

  private async startPaidAttempt(
    tx: Tx,
    actor: UserActor,
    order: PricedOrder,
    tickets: ClaimedTicket[],
    now: Date,
  ): Promise<CheckoutResult> {
    this.paymentPage();
    const holdExpiresAt = new Date(now.getTime() + this.holdMs);
    const payment = await tx.payment.create({
      data: {
        userId: actor.userId,
        referenceNumber: randomUUID(),
        transactionUuid: randomUUID(),
        amount: order.total,
        currency: "USD",
        status: "PENDING",
        buyerName: actor.fullName,
        buyerEmail: actor.email,
        holdExpiresAt,
        createdAt: now,
        items: {
          create: order.lines.map((line) => ({
            showingId: line.showingId,
            type: line.type,
            count: line.count,
            amount: line.amount,
          })),
        },
      },
      select: { id: true, referenceNumber: true, transactionUuid: true, amount: true, currency: true, buyerName: true, buyerEmail: true, holdExpiresAt: true, createdAt: true },
    });
    const held = await tx.ticket.updateMany({
      where: { id: { in: tickets.map((t) => t.id) } },
      data: { holderId: actor.userId, holdExpiresAt, heldForPaymentId: payment.id },
    });
    if (held.count !== tickets.length) throw new Error("a locked ticket could not be held");
    return this.paymentPageResult(payment, order);
  }

  /** The hosted payment page and its signer; UNAVAILABLE (before anything is held) when the server has none. */
  private paymentPage(): Pick<CheckoutOptions, "signPaymentRequest" | "paymentPageUrl"> {
    const { signPaymentRequest, paymentPageUrl } = this.options;
    if (!signPaymentRequest || !paymentPageUrl) {
      throw new DomainError("UNAVAILABLE", "Card payments are not set up on this server yet. Please try again later.");
    }
    return { signPaymentRequest, paymentPageUrl };
  }

  /** Signed with the attempt's own creation time, so the same attempt always yields the same fields. */
  private paymentPageResult(
    payment: {
      referenceNumber: string;
      transactionUuid: string;
      amount: Prisma.Decimal;
      currency: string;
      buyerName: string;
      buyerEmail: string;
      holdExpiresAt: Date | null;
      createdAt: Date;
    },
    order: PricedOrder,
  ): CheckoutResult {
    const { signPaymentRequest, paymentPageUrl } = this.paymentPage();
    const publicUrl = this.options.publicUrl ?? "";
    const params = signPaymentRequest({
      referenceNumber: payment.referenceNumber,
      transactionUuid: payment.transactionUuid,
      amount: formatMoney(payment.amount),
      currency: payment.currency,
      locale: "en-us",
      receiptUrl: receiptUrl(publicUrl),
      cancelUrl: receiptUrl(publicUrl),
      billTo: { ...billingName(payment.buyerName), email: payment.buyerEmail },
      signedAt: payment.createdAt,
    });
    return {
      success: true,
      detail: "Your tickets are held while you pay. Complete the payment before the hold ends.",
      soldFreeTickets: false,
      paymentPage: { url: paymentPageUrl, fields: params },
      ...priced(order),
      total: payment.amount,
      holdExpiresAt: payment.holdExpiresAt,
      orderId: null,
    };
  }
}

/**
 * A cart that came up short because its showing or type stopped selling (paused, sales ended, cancelled) is refused
 * for that reason, which the student can act on, rather than as merely stale.
 */
async function requireCartOnSale(tx: Tx, cartId: number, now: Date): Promise<void> {
  for (const ticket of await loadCartTickets(tx, { cartIds: [cartId] })) requireNotStopped(ticket, now);
}
