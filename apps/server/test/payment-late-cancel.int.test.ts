import { racesRunOn, testBackends } from "@admit/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./harness.ts";
import { ACCEPT, expireHolds, merchantPost, paidShowing, paymentState, replyFor, startPaidCheckout } from "./payment-fixtures.ts";

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
 * A payment that arrives after its hold lapsed claims free tickets of the showing. If an officer's cancellation could
 * commit between that claim and the handover, the handover would find the showing cancelled and the delivery would
 * fail with a conflict, leaving the money to a later delivery. Settlement therefore takes the showing's share lock
 * first: it waits for a cancellation in progress, then sees the showing cancelled and records the money as owed back.
 * Only PostgreSQL runs two transactions at once; the embedded database skips this visibly.
 */
const postgres = testBackends().find(racesRunOn);
describe.skipIf(!postgres)("race on PostgreSQL: a late payment meets the showing's cancellation", () => {
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
        // The cancellation's first step, as ShowingCancellation runs it: the showing locked and marked, not committed.
        await tx.$queryRaw`SELECT id FROM "Showing" WHERE id = ${showcase.showingId} FOR NO KEY UPDATE`;
        await tx.$executeRaw`UPDATE "Showing" SET "cancelledAt" = now(), "cancelReason" = 'Storm' WHERE id = ${showcase.showingId}`;
        delivery = merchantPost(server, replyFor(server, attempt, ACCEPT));
        return waitsOrFinishes(server, delivery);
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
});
