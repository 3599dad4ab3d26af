import type { Prisma } from "@admit/db";
import { racesRunOn, testBackends } from "@admit/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addPath, api, quickStudents, showingWith } from "./cart-helpers.ts";
import { closeServers, startTestServer, startTwoServers, type TestServer } from "./harness.ts";

/**
 * A storefront in a paid on-sale rush: add one ticket, check out; when the cart went stale, refresh it and try again;
 * stop once a checkout holds the ticket for payment, or once nothing is left to add.
 */
async function holdOne(server: TestServer, token: string, eventId: number, showingId: number): Promise<"holding" | "sold out"> {
  for (let round = 0; round < 50; round++) {
    const add = await api(server, "POST", addPath(eventId, showingId), { token, body: { quantities: [{ type: "general", count: 1 }] } });
    if (add.status === 403 && add.body.error.code === "NOT_ENOUGH_TICKETS") return "sold out";
    if (add.status !== 200 && !(add.status === 403 && add.body.error.code === "ORDER_LIMIT_EXCEEDED")) {
      throw new Error(`add_to_cart: ${add.status} ${JSON.stringify(add.body)}`);
    }
    for (let attempt = 0; attempt < 5; attempt++) {
      const checkout = await api(server, "POST", "/api/tickets/initiate_checkout/", { token, body: {} });
      if (checkout.status === 200) {
        if (checkout.body.sold_free_tickets !== false) throw new Error("a paid cart was sold without payment");
        return "holding";
      }
      if (checkout.status === 400 && checkout.body.error.code === "CART_EMPTY") break;
      if (checkout.status !== 403 || checkout.body.error.code !== "CART_STALE") {
        throw new Error(`initiate_checkout: ${checkout.status} ${JSON.stringify(checkout.body)}`);
      }
      const cart = await api(server, "GET", "/api/tickets/cart/", { token });
      if (cart.status !== 200) throw new Error(`cart: ${cart.status} ${JSON.stringify(cart.body)}`);
      if ((cart.body.tickets as unknown[]).length === 0) break;
    }
  }
  throw new Error("a buyer neither got a ticket held nor saw the showing sell out");
}

/**
 * Checkouts in one process run one batch at a time, so only two processes on one database race for the same rows.
 * A paid checkout holds its tickets with a plain update: only the claim's row lock keeps a second attempt from taking
 * over a hold the first attempt's buyer is already paying for.
 */
const postgres = testBackends().find(racesRunOn);
describe.skipIf(!postgres)("race on PostgreSQL: the paid on-sale rush across two server processes on one database", () => {
  let first: TestServer;
  let second: TestServer;
  beforeAll(async () => {
    if (!postgres) return;
    [first, second] = await startTwoServers(postgres);
  });
  afterAll(() => closeServers(first, second));

  it("120 buyers spread over both servers for 20 paid tickets: 20 checkouts hold a ticket each, no hold taken over", async () => {
    const { event, showing } = await showingWith(first, [{ type: "general", count: 20, price: "5.00" }]);
    const buyers = await quickStudents(first, 120);
    const outcomes = await Promise.all(
      buyers.map((b, i) => holdOne(i % 2 === 0 ? first : second, b.token, event.id, showing.id)),
    );
    const holding = buyers.filter((_, i) => outcomes[i] === "holding").map((b) => b.id);
    expect(holding).toHaveLength(20);
    // Every buyer told "pay now" has a pending attempt still holding their one ticket, and nobody else does.
    const holds = await second.db.prisma.$queryRaw<Array<{ userId: string; pending: number; held: number }>>`
      SELECT p."userId" AS "userId", count(DISTINCT p.id)::int AS pending,
             count(t.id) FILTER (WHERE t."holderId" = p."userId")::int AS held
      FROM "Payment" p LEFT JOIN "Ticket" t ON t."heldForPaymentId" = p.id AND t."showingId" = ${showing.id}
      WHERE p.status = 'PENDING' AND p."userId" = ANY(${buyers.map((b) => b.id)}::text[])
      GROUP BY p."userId"`;
    const byUser = (a: { userId: string }, b: { userId: string }) => (a.userId < b.userId ? -1 : 1);
    expect(holds.sort(byUser)).toEqual(holding.map((userId) => ({ userId, pending: 1, held: 1 })).sort(byUser));
    expect(await second.db.prisma.ticket.count({ where: { showingId: showing.id, holderId: { not: null } } })).toBe(20);
  }, 240_000);
});

/** Waits until some statement of this database is blocked on a row lock (a checkout has reached the locked row). */
async function untilSomeoneWaitsForALock(server: TestServer): Promise<void> {
  for (;;) {
    const [row] = await server.db.prisma.$queryRaw<Array<{ waiting: number }>>`
      SELECT count(*)::int AS waiting FROM pg_stat_activity
      WHERE datname = current_database() AND wait_event_type = 'Lock'`;
    if (row!.waiting > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Holds a transaction open around `during`: `lock` runs first in it, then `during` runs while its locks are held,
 * then `after` runs in the same transaction before it commits.
 */
async function whileLocked<T>(
  server: TestServer,
  lock: (tx: Prisma.TransactionClient) => Promise<unknown>,
  during: () => Promise<T>,
  after: (tx: Prisma.TransactionClient) => Promise<unknown> = async () => undefined,
): Promise<T> {
  let result!: T;
  await server.db.prisma.$transaction(
    async (tx) => {
      await lock(tx);
      result = await during();
      await after(tx);
    },
    { timeout: 20_000 },
  );
  return result;
}

for (const backend of testBackends()) {
  describe.skipIf(!racesRunOn(backend))(`race on PostgreSQL: checkout locks (${backend.kind})`, () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer(backend);
    });
    afterAll(async () => server?.close());

    it("a ticket another checkout has locked makes the cart stale at once instead of waiting for that checkout", async () => {
      const { event, showing } = await showingWith(server, [{ type: "general", count: 1, price: "5.00" }]);
      const [student] = await quickStudents(server, 1);
      const add = await api(server, "POST", addPath(event.id, showing.id), { token: student!.token, body: { quantities: [{ type: "general", count: 1 }] } });
      expect(add.status).toBe(200);
      // The claim another server's checkout takes on the ticket, held until that checkout's transaction ends.
      const checkout = await whileLocked(
        server,
        (tx) => tx.$queryRaw`SELECT id FROM "Ticket" WHERE "showingId" = ${showing.id} FOR NO KEY UPDATE`,
        () => api(server, "POST", "/api/tickets/initiate_checkout/", { token: student!.token, body: {} }),
      );
      expect({ status: checkout.status, code: checkout.body.error?.code }).toEqual({ status: 403, code: "CART_STALE" });
    }, 120_000);

    it("checking out again locks the pending attempt before its tickets, the order a payment reply takes them in", async () => {
      const { event, showing } = await showingWith(server, [{ type: "general", count: 2, price: "5.00" }]);
      const [student] = await quickStudents(server, 1);
      const addOne = () =>
        api(server, "POST", addPath(event.id, showing.id), { token: student!.token, body: { quantities: [{ type: "general", count: 1 }] } });
      expect((await addOne()).status).toBe(200);
      const first = await api(server, "POST", "/api/tickets/initiate_checkout/", { token: student!.token, body: {} });
      expect(first.status).toBe(200);
      const attempt = await server.db.prisma.payment.findFirstOrThrow({ where: { userId: student!.id, status: "PENDING" } });
      expect((await addOne()).status).toBe(200);

      // A payment reply for the first attempt arrives as the student checks out the changed cart: it locks the
      // attempt, then the attempt's tickets. Checking out must wait for the attempt before touching a ticket, or
      // the two wait for each other and the database aborts one of them.
      let checkout!: Promise<Awaited<ReturnType<typeof api>>>;
      await whileLocked(
        server,
        (tx) => tx.$queryRaw`SELECT id FROM "Payment" WHERE id = ${attempt.id}::uuid FOR UPDATE`,
        async () => {
          checkout = api(server, "POST", "/api/tickets/initiate_checkout/", { token: student!.token, body: {} });
          await untilSomeoneWaitsForALock(server);
        },
        (tx) => tx.$queryRaw`SELECT id FROM "Ticket" WHERE "heldForPaymentId" = ${attempt.id}::uuid ORDER BY id FOR UPDATE`,
      );
      const second = await checkout;
      expect(second.status).toBe(200);
      expect(second.body.total).toBe("10.00");
      expect(await server.db.prisma.payment.findUniqueOrThrow({ where: { id: attempt.id } })).toMatchObject({ status: "SUPERSEDED" });
    }, 120_000);
  });
}
