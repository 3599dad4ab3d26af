import { racesRunOn, testBackends } from "@admit/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allowExchange, buyPaid, call, offer, withdraw } from "./exchange-fixtures.ts";
import { closeServers, startTwoServers, type TestServer } from "./harness.ts";
import { ACCEPT, browserPost, merchantPost, replyFor, type Attempt } from "./payment-fixtures.ts";
import { clubWorld, type ClubWorld } from "./refund-fixtures.ts";

const postgres = testBackends().find(racesRunOn);

interface Buyer {
  userId: string;
  username: string;
  token: string;
}

/** A student with one ticket of the showing in their cart (carts are soft: two may name the same offered ticket). */
async function buyerWithCart(server: TestServer, world: ClubWorld): Promise<Buyer> {
  const { id, username } = await server.createAccount();
  const token = await server.tokenFor(username);
  const added = await call(server, "POST", `/api/events/${world.eventId}/showings/${world.showingId}/add_to_cart/`, token, {
    quantities: [{ type: "General", count: 1 }],
  });
  expect(added.status, JSON.stringify(added.body)).toBe(200);
  return { userId: id, username, token };
}

/** The checkout as startPaidCheckout reads it, for a buyer whose cart is already filled. */
async function checkout(server: TestServer, buyer: Buyer): Promise<Attempt | { refused: string }> {
  const res = await call(server, "POST", "/api/tickets/initiate_checkout/", buyer.token, {});
  if (res.status !== 200) return { refused: res.body.error?.code ?? String(res.status) };
  const params = res.body.payment_params as Record<string, string>;
  const payment = await server.db.prisma.payment.findUniqueOrThrow({
    where: { transactionUuid: params.transaction_uuid },
    select: { id: true, referenceNumber: true, heldTickets: { select: { id: true } } },
  });
  return {
    ...buyer,
    params,
    url: res.body.cybersource_url as string,
    paymentId: payment.id,
    reference: payment.referenceNumber,
    ticketIds: payment.heldTickets.map((t) => t.id),
  };
}

/**
 * Sellers who each bought one ticket of the showing, then (once every ticket is sold, so that no seller buys another's
 * offer) offered it on the exchange.
 */
async function offeredTickets(server: TestServer, world: ClubWorld, count: number) {
  const sellers: Attempt[] = [];
  for (let i = 0; i < count; i++) sellers.push(await buyPaid(server, world));
  for (const seller of sellers) expect((await offer(server, seller.token, seller.ticketIds[0]!)).status).toBe(200);
  return sellers;
}

/** Per seller: who owns their ticket now, and the refunds of the seller's order. */
async function outcomes(server: TestServer, sellers: Attempt[]) {
  const prisma = server.db.prisma;
  return Promise.all(
    sellers.map(async (seller) => {
      const ticketId = seller.ticketIds[0]!;
      const order = await prisma.order.findUniqueOrThrow({ where: { paymentId: seller.paymentId }, select: { id: true } });
      const ticket = await prisma.ticket.findUniqueOrThrow({
        where: { id: ticketId },
        select: { ownerId: true, qrGeneration: true, exchangeListedAt: true, holderId: true },
      });
      const refunds = await prisma.refund.findMany({ where: { orderId: order.id }, select: { amount: true, idempotencyKey: true } });
      const line = await prisma.orderTicket.findUniqueOrThrow({
        where: { orderId_ticketId: { orderId: order.id, ticketId } },
        select: { voidReason: true, refundedAmount: true },
      });
      const openOrders = await prisma.orderTicket.count({ where: { ticketId, voidedAt: null } });
      return { seller, ticketId, ticket, refunds, line, openOrders };
    }),
  );
}

/** A resold ticket: the buyer owns it at generation 1, the seller was refunded exactly once, one order holds it. */
function expectResold(outcome: Awaited<ReturnType<typeof outcomes>>[number], buyerId: string) {
  expect(outcome.ticket).toMatchObject({ ownerId: buyerId, qrGeneration: 1, exchangeListedAt: null });
  expect(outcome.refunds).toHaveLength(1);
  expect(outcome.refunds[0]!.amount.toFixed(2)).toBe("15.00");
  expect(outcome.refunds[0]!.idempotencyKey).toMatch(new RegExp(`^resale:${outcome.ticketId}:`));
  expect(outcome.line).toMatchObject({ voidReason: "resold" });
  expect(outcome.line.refundedAmount.toFixed(2)).toBe("15.00");
  expect(outcome.openOrders).toBe(1);
}

/** A ticket that stayed its seller's: not offered any more, nothing refunded, still in the seller's order. */
function expectKept(outcome: Awaited<ReturnType<typeof outcomes>>[number]) {
  expect(outcome.ticket).toMatchObject({ ownerId: outcome.seller.userId, qrGeneration: 0, exchangeListedAt: null });
  expect(outcome.refunds).toEqual([]);
  expect(outcome.line).toMatchObject({ voidReason: null });
  expect(outcome.openOrders).toBe(1);
}

describe.skipIf(!postgres)("race on PostgreSQL: two server processes sell offered tickets", () => {
  let first: TestServer;
  let second: TestServer;
  beforeAll(async () => {
    if (!postgres) return;
    [first, second] = await startTwoServers(postgres);
  });
  afterAll(() => closeServers(first, second));
  const servers = () => [first, second];

  it("two buyers for each offered ticket: one gets it, its seller is refunded exactly once, a doubled payment result changes nothing", async () => {
    const world = await clubWorld(first, { count: 6, price: "15.00" });
    await allowExchange(first, world, "General");
    const sellers = await offeredTickets(first, world, 6);
    // Twelve carts over six tickets: the first six spread over them, the next six name tickets already in a cart.
    const buyers: Buyer[] = [];
    for (let i = 0; i < 12; i++) buyers.push(await buyerWithCart(servers()[i % 2]!, world));
    const attempts = await Promise.all(buyers.map((buyer, i) => checkout(servers()[i % 2]!, buyer)));
    const won = attempts.filter((a): a is Attempt => "paymentId" in a);
    expect(won).toHaveLength(6);
    expect(attempts.filter((a) => "refused" in a).map((a) => (a as { refused: string }).refused)).toEqual(Array(6).fill("CART_STALE"));
    expect(new Set(won.flatMap((a) => a.ticketIds)).size).toBe(6);

    // Each result arrives twice at once: CyberSource's notice at one process, the browser's at the other.
    const deliveries = await Promise.all(
      won.flatMap((attempt, i) => {
        const reply = replyFor(first, attempt, ACCEPT);
        return [merchantPost(servers()[i % 2]!, reply), browserPost(servers()[(i + 1) % 2]!, reply)];
      }),
    );
    expect(deliveries.map((r) => r.status).sort()).toEqual([...Array(6).fill(200), ...Array(6).fill(303)]);

    const buyerOf = new Map(won.map((a) => [a.ticketIds[0]!, a.userId]));
    for (const outcome of await outcomes(first, sellers)) expectResold(outcome, buyerOf.get(outcome.ticketId)!);
    const paid = await first.db.prisma.payment.findMany({ where: { id: { in: won.map((a) => a.paymentId) } }, select: { status: true } });
    expect(paid.map((p) => p.status)).toEqual(Array(6).fill("PAID"));
    const sellerMails = await first.db.prisma.outgoingEmail.count({
      where: { toAddress: { in: sellers.map((s) => `${s.username}@example.edu`) }, dedupeKey: { startsWith: "refund-requested:" } },
    });
    expect(sellerMails).toBe(6);
  }, 240_000);

  it("a seller withdrawing while a buyer checks out: either withdrawn and the checkout refused, or held, refused to withdraw, then sold", async () => {
    const world = await clubWorld(first, { count: 8, price: "15.00" });
    await allowExchange(first, world, "General");
    const sellers = await offeredTickets(first, world, 8);
    const buyers: Buyer[] = [];
    for (let i = 0; i < 8; i++) buyers.push(await buyerWithCart(first, world));
    const carts = await first.db.prisma.cartTicket.findMany({
      where: { cart: { userId: { in: buyers.map((b) => b.userId) } } },
      select: { ticketId: true, cart: { select: { userId: true } } },
    });
    const buyerOfTicket = new Map(carts.map((c) => [c.ticketId, buyers.find((b) => b.userId === c.cart.userId)!]));
    expect(buyerOfTicket.size).toBe(8);

    const raced = await Promise.all(
      sellers.map(async (seller, i) => {
        const buyer = buyerOfTicket.get(seller.ticketIds[0]!)!;
        const [withdrawn, attempt] = await Promise.all([
          withdraw(servers()[i % 2]!, seller.token, seller.ticketIds[0]!),
          checkout(servers()[(i + 1) % 2]!, buyer),
        ]);
        return { seller, buyer, withdrawn, attempt };
      }),
    );
    for (const { withdrawn, attempt } of raced) {
      if (withdrawn.status === 200) expect(attempt).toEqual({ refused: "CART_STALE" });
      else {
        expect(withdrawn.body.error?.code).toBe("EXCHANGE_IN_PROGRESS");
        expect(attempt).toHaveProperty("paymentId");
      }
    }
    if (process.env.EXCHANGE_RACE_REPORT) console.info("withdraw statuses", raced.map((r) => r.withdrawn.status));
    for (const { attempt } of raced) {
      if ("paymentId" in attempt) expect((await merchantPost(second, replyFor(first, attempt, ACCEPT))).status).toBe(200);
    }
    const results = await outcomes(first, sellers);
    for (const [i, outcome] of results.entries()) {
      const { withdrawn, buyer } = raced[i]!;
      if (withdrawn.status === 200) expectKept(outcome);
      else expectResold(outcome, buyer.userId);
    }
  }, 240_000);

  it("a seller withdrawing while a late payment arrives: either withdrawn and kept, or sold and the seller refunded; the payment takes another offered seat or is owed back", async () => {
    const world = await clubWorld(first, { count: 6, price: "15.00" });
    await allowExchange(first, world, "General");
    const sellers = await offeredTickets(first, world, 6);
    const attemptFor = new Map<string, Attempt>();
    for (let i = 0; i < sellers.length; i++) {
      const attempt = await checkout(first, await buyerWithCart(first, world));
      if (!("paymentId" in attempt)) throw new Error(`checkout refused: ${attempt.refused}`);
      attemptFor.set(attempt.ticketIds[0]!, attempt);
    }
    const attempts = sellers.map((seller) => attemptFor.get(seller.ticketIds[0]!)!);
    expect(attempts.every(Boolean)).toBe(true);
    // The holds lapse before the payments arrive: the seller may withdraw again, and the payment races them.
    for (const server of servers()) server.clock.advance(11 * 60_000);
    const raced = await Promise.all(
      sellers.map(async (seller, i) => {
        const [withdrawn, delivered] = await Promise.all([
          withdraw(servers()[i % 2]!, seller.token, seller.ticketIds[0]!),
          merchantPost(servers()[(i + 1) % 2]!, replyFor(first, attempts[i]!, ACCEPT)),
        ]);
        expect(delivered.status).toBe(200);
        return withdrawn;
      }),
    );
    if (process.env.EXCHANGE_RACE_REPORT) console.info("withdraw statuses", raced.map((r) => r.status));
    // A payment whose seats were withdrawn takes any other offered ticket still free (an equivalent seat), else its
    // money is owed back: so each ticket is either kept (withdrawn) or resold to exactly one paid buyer.
    const results = await outcomes(first, sellers);
    const payments = await first.db.prisma.payment.findMany({
      where: { id: { in: attempts.map((a) => a.paymentId) } },
      select: { userId: true, status: true },
    });
    const paidBuyers = new Set(payments.filter((p) => p.status === "PAID").map((p) => p.userId));
    expect(payments.every((p) => p.status === "PAID" || p.status === "REFUND_NEEDED")).toBe(true);
    for (const [i, outcome] of results.entries()) {
      if (raced[i]!.status === 200) expectKept(outcome);
      else {
        expect(raced[i]!.status).toBe(404);
        expect(paidBuyers.has(outcome.ticket.ownerId ?? "")).toBe(true);
        expectResold(outcome, outcome.ticket.ownerId!);
      }
    }
    const owners = results.map((r) => r.ticket.ownerId);
    expect(new Set(owners).size).toBe(owners.length);
    expect(results.filter((r) => r.ticket.ownerId !== r.seller.userId)).toHaveLength(paidBuyers.size);
  }, 240_000);
});
