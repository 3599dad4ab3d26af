import { racesRunOn, testBackends } from "@admit/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addPath, api, quickStudents, showingWith } from "./cart-helpers.ts";
import { closeServers, startTestServer, startTwoServers, type TestServer } from "./harness.ts";

/**
 * What a storefront does in a rush: add one ticket, check out; when the cart went stale, refresh it and try again;
 * stop at the first sale or once the showing is sold out.
 */
async function buyOne(server: TestServer, token: string, eventId: number, showingId: number): Promise<"bought" | "sold out"> {
  for (let round = 0; round < 50; round++) {
    const add = await api(server, "POST", addPath(eventId, showingId), { token, body: { quantities: [{ type: "general", count: 1 }] } });
    if (add.status === 403 && add.body.error.code === "NOT_ENOUGH_TICKETS") return "sold out";
    if (add.status !== 200 && !(add.status === 403 && add.body.error.code === "ORDER_LIMIT_EXCEEDED")) {
      throw new Error(`add_to_cart: ${add.status} ${JSON.stringify(add.body)}`);
    }
    for (let attempt = 0; attempt < 5; attempt++) {
      const checkout = await api(server, "POST", "/api/tickets/initiate_checkout/", { token, body: {} });
      if (checkout.status === 200) {
        if (checkout.body.sold_free_tickets !== true) throw new Error("a free cart went to payment");
        return "bought";
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
  throw new Error("a buyer neither bought nor saw the showing sell out");
}

async function expectExactlySold(server: TestServer, showingId: number, sold: number) {
  const rows = await server.db.prisma.$queryRaw<Array<{ sold: number; owners: number; held: number }>>`
    SELECT count(*) FILTER (WHERE "ownerId" IS NOT NULL)::int AS sold,
           count(DISTINCT "ownerId")::int AS owners,
           count(*) FILTER (WHERE "holderId" IS NOT NULL)::int AS held
    FROM "Ticket" WHERE "showingId" = ${showingId}`;
  expect(rows[0]).toEqual({ sold, owners: sold, held: 0 });
  // One order per buyer (each bought one ticket), every sold ticket in exactly one order, one receipt per order.
  const orders = await server.db.prisma.$queryRaw<Array<{ tickets: number; orderTickets: number; orders: number; receipts: number }>>`
    SELECT count(DISTINCT ot."ticketId")::int AS tickets, count(*)::int AS "orderTickets",
           count(DISTINCT ot."orderId")::int AS orders, count(DISTINCT m.id)::int AS receipts
    FROM "OrderTicket" ot
    JOIN "Ticket" t ON t.id = ot."ticketId"
    LEFT JOIN "OutgoingEmail" m ON m."dedupeKey" = 'receipt:' || ot."orderId"::text
    WHERE t."showingId" = ${showingId}`;
  expect(orders[0]).toEqual({ tickets: sold, orderTickets: sold, orders: sold, receipts: sold });
}

for (const backend of testBackends()) {
  describe.skipIf(!racesRunOn(backend))(`race on PostgreSQL: the on-sale rush (${backend.kind})`, () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer(backend);
    });
    afterAll(async () => server?.close());

    it("200 buyers racing over HTTP for 50 free tickets: exactly 50 sold, each to a different buyer, none twice", async () => {
      const { event, showing } = await showingWith(server, [{ type: "general", count: 50, price: 0 }]);
      const buyers = await quickStudents(server, 200);
      const outcomes = await Promise.all(buyers.map((b) => buyOne(server, b.token, event.id, showing.id)));
      expect(outcomes.filter((o) => o === "bought")).toHaveLength(50);
      await expectExactlySold(server, showing.id, 50);
    }, 240_000);

    it("serializes one person's tabs: concurrent checkouts of one paid cart make one attempt; concurrent adds keep the limit", async () => {
      const { event, showing } = await showingWith(server, [{ type: "general", count: 20, price: "9.00" }], { orderLimit: 4 });
      const [student] = await quickStudents(server, 1);
      const adds = await Promise.all(
        Array.from({ length: 10 }, () =>
          api(server, "POST", addPath(event.id, showing.id), { token: student!.token, body: { quantities: [{ type: "general", count: 1 }] } }),
        ),
      );
      expect(adds.filter((r) => r.status === 200)).toHaveLength(4);
      expect(adds.filter((r) => r.status === 403 && r.body.error.code === "ORDER_LIMIT_EXCEEDED")).toHaveLength(6);
      const starts = await Promise.all(
        Array.from({ length: 6 }, () => api(server, "POST", "/api/tickets/initiate_checkout/", { token: student!.token, body: {} })),
      );
      expect(starts.map((s) => s.status)).toEqual([200, 200, 200, 200, 200, 200]);
      expect(new Set(starts.map((s) => s.body.payment_params.transaction_uuid)).size).toBe(1);
      expect(await server.db.prisma.payment.count({ where: { userId: student!.id } })).toBe(1);
      expect(await server.db.prisma.ticket.count({ where: { holderId: student!.id } })).toBe(4);
    }, 120_000);
  });
}

const postgres = testBackends().find(racesRunOn);
describe.skipIf(!postgres)("race on PostgreSQL: the on-sale rush across two server processes on one database", () => {
  let first: TestServer;
  let second: TestServer;
  beforeAll(async () => {
    if (!postgres) return;
    [first, second] = await startTwoServers(postgres);
  });
  afterAll(() => closeServers(first, second));

  it("200 buyers spread over both servers for 50 free tickets: exactly 50 sold, none twice", async () => {
    const { event, showing } = await showingWith(first, [{ type: "general", count: 50, price: 0 }]);
    const buyers = await quickStudents(first, 200);
    const outcomes = await Promise.all(
      buyers.map((b, i) => buyOne(i % 2 === 0 ? first : second, b.token, event.id, showing.id)),
    );
    expect(outcomes.filter((o) => o === "bought")).toHaveLength(50);
    await expectExactlySold(second, showing.id, 50);
  }, 240_000);
});
