import { racesRunOn, testBackends } from "@admit/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allowExchange, buyPaid, offer } from "./exchange-fixtures.ts";
import { startTestServer, type TestServer } from "./harness.ts";
import { ACCEPT, expireHolds, merchantPost, paidShowing, paymentState, replyFor, startPaidCheckout } from "./payment-fixtures.ts";
import { clubWorld } from "./refund-fixtures.ts";

/** Resolves "waiting" once a statement of this database waits for a row lock, or "done" once `work` has finished. */
async function waitsOrFinishes(server: TestServer, work: Promise<unknown>): Promise<"waiting" | "done"> {
  let finished = false;
  void work.then(
    () => (finished = true),
    () => (finished = true),
  );
  for (;;) {
    if (finished) return "done";
    const [row] = await server.db.prisma.$queryRaw<Array<{ waiting: number }>>`
      SELECT count(*)::int AS waiting FROM pg_stat_activity
      WHERE datname = current_database() AND wait_event_type = 'Lock'`;
    if (row!.waiting > 0) return "waiting";
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Settling a payment takes its locks in the order officers' changes take them (showing, then order, then tickets), so
 * the two wait for each other instead of failing. Only PostgreSQL runs two transactions at once; the embedded
 * database skips these visibly.
 *
 * A payment that arrives after its hold lapsed claims free tickets of the showing. If an officer's cancellation could
 * commit between that claim and the handover, the handover would find the showing cancelled and the delivery would
 * fail with a conflict, leaving the money to a later delivery. Settlement therefore takes the showing's share lock
 * first: it waits for a cancellation in progress, then sees the showing cancelled and records the money as owed back.
 *
 * Buying a ticket offered on the exchange refunds the order that paid for it; an officer refunding that same order
 * locks the order and then its tickets. Settlement locks that order before the ticket, or the two would deadlock.
 */
const postgres = testBackends().find(racesRunOn);
describe.skipIf(!postgres)("race on PostgreSQL: settling a payment against officers' changes", () => {
  let server: TestServer;
  beforeAll(async () => {
    if (postgres) server = await startTestServer(postgres);
  });
  afterAll(async () => server?.close());

  it("a late ACCEPT waits for a cancellation in progress, then is owed back in full instead of failing", async () => {
    const showcase = await paidShowing(server, { count: 4 });
    const attempt = await startPaidCheckout(server, showcase, 2);
    await expireHolds(server);

    let delivery!: Promise<Response>;
    const seen = await server.db.prisma.$transaction(
      async (tx) => {
        // The cancellation as ShowingCancellation runs it: the showing locked and marked, not committed...
        await tx.$queryRaw`SELECT id FROM "Showing" WHERE id = ${showcase.showingId} FOR NO KEY UPDATE`;
        await tx.$executeRaw`UPDATE "Showing" SET "cancelledAt" = now(), "cancelReason" = 'Storm' WHERE id = ${showcase.showingId}`;
        delivery = merchantPost(server, replyFor(server, attempt, ACCEPT));
        const state = await waitsOrFinishes(server, delivery);
        // ...then it ends the checkouts holding the showing's tickets, whose rows the waiting delivery must not hold
        // (NOWAIT fails at once if it does).
        await tx.$queryRaw`SELECT id FROM "Payment" WHERE id = ${attempt.paymentId}::uuid FOR UPDATE NOWAIT`;
        return state;
      },
      { timeout: 30_000 },
    );
    expect(seen).toBe("waiting");

    expect((await delivery).status).toBe(200);
    const state = await paymentState(server, attempt.paymentId);
    expect(state.payment.status).toBe("REFUND_NEEDED");
    expect(state.owned).toEqual([]);
    // Two 15.00 tickets: the whole 30.00 is owed back, recorded once.
    const order = await server.db.prisma.order.findUniqueOrThrow({ where: { paymentId: attempt.paymentId }, select: { refunds: true } });
    expect(order.refunds.map((r) => r.amount.toFixed(2))).toEqual(["30.00"]);
  });

  it("a resale's payment waits for an officer's refund of the seller's order without holding the ticket it needs", async () => {
    const world = await clubWorld(server, { count: 1 });
    await allowExchange(server, world, "General");
    const seller = await buyPaid(server, world);
    const ticketId = seller.ticketIds[0]!;
    expect((await offer(server, seller.token, ticketId)).status).toBe(200);
    const buyer = await startPaidCheckout(server, { showingId: world.showingId, eventId: world.eventId, type: "General" }, 1);
    expect(buyer.ticketIds).toEqual([ticketId]);
    const sellerOrder = await server.db.prisma.order.findUniqueOrThrow({ where: { paymentId: seller.paymentId }, select: { id: true } });

    let delivery!: Promise<Response>;
    const seen = await server.db.prisma.$transaction(
      async (tx) => {
        // An officer's refund of the seller's order: the order first...
        await tx.$queryRaw`SELECT id FROM "Order" WHERE id = ${sellerOrder.id}::uuid FOR UPDATE`;
        delivery = merchantPost(server, replyFor(server, buyer, ACCEPT));
        const state = await waitsOrFinishes(server, delivery);
        // ...then its tickets, which the waiting payment must not hold (NOWAIT fails at once if it does).
        await tx.$queryRaw`SELECT id FROM "Ticket" WHERE id = ${ticketId}::uuid FOR UPDATE NOWAIT`;
        return state;
      },
      { timeout: 30_000 },
    );
    expect(seen).toBe("waiting");

    expect((await delivery).status).toBe(200);
    expect((await paymentState(server, buyer.paymentId)).owned.map((t) => t.id)).toEqual([ticketId]);
    const refunds = await server.db.prisma.refund.findMany({ where: { orderId: sellerOrder.id }, select: { idempotencyKey: true, amount: true } });
    expect(refunds.map((r) => [r.idempotencyKey.split(":")[0], r.amount.toFixed(2)])).toEqual([["resale", "15.00"]]);
  });
});
