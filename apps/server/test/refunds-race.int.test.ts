import { racesRunOn, testBackends } from "@admit/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeServers, startTwoServers, type TestServer } from "./harness.ts";
import { clubWorld, refundKey, soldOrder } from "./refund-fixtures.ts";

async function refund(server: TestServer, token: string, orderId: string, body: Record<string, unknown>) {
  const res = await fetch(`${server.url}/api/orders/${orderId}/refunds/`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as { refund?: { id: string }; error?: { code: string } } };
}

const postgres = testBackends().find(racesRunOn);

describe.skipIf(!postgres)("race on PostgreSQL: two server processes refund the same ticket at once", () => {
  let first: TestServer;
  let second: TestServer;
  beforeAll(async () => {
    if (!postgres) return;
    [first, second] = await startTwoServers(postgres);
  });
  afterAll(() => closeServers(first, second));

  it("with different keys: exactly one refund per ticket, the other request 409 ALREADY_REFUNDED", async () => {
    const world = await clubWorld(first, { count: 40, price: "14.00" });
    const orders = await Promise.all(Array.from({ length: 12 }, () => soldOrder(first, [{ showingId: world.showingId, count: 2 }])));
    const results = await Promise.all(
      orders.map(async (order) => {
        const body = { ticket_ids: [order.ticketIds[0]], reason: "Two tabs at once", return_to_sale: true };
        return Promise.all([
          refund(first, world.officer.token, order.orderId, { ...body, idempotency_key: refundKey() }),
          refund(second, world.officer.token, order.orderId, { ...body, idempotency_key: refundKey() }),
        ]);
      }),
    );
    for (const pair of results) {
      expect(pair.map((r) => r.status).sort()).toEqual([200, 409]);
      expect(pair.find((r) => r.status === 409)?.body.error?.code).toBe("ALREADY_REFUNDED");
    }
    const rows = await first.db.prisma.$queryRaw<Array<{ refunds: number; refunded: string; over: number }>>`
      SELECT (SELECT count(*)::int FROM "Refund" WHERE "orderId" = ANY(${orders.map((o) => o.orderId)}::uuid[])) AS refunds,
             (SELECT sum("refundedAmount")::text FROM "OrderTicket" WHERE "orderId" = ANY(${orders.map((o) => o.orderId)}::uuid[])) AS refunded,
             (SELECT count(*)::int FROM "OrderTicket" WHERE "refundedAmount" > "amountPaid") AS over`;
    expect(rows[0]).toEqual({ refunds: orders.length, refunded: (14 * orders.length).toFixed(2), over: 0 });
  }, 180_000);

  it("with the same key: one refund, both answers name it", async () => {
    const world = await clubWorld(first, { count: 20, price: "9.00" });
    const orders = await Promise.all(Array.from({ length: 8 }, () => soldOrder(first, [{ showingId: world.showingId, count: 1 }])));
    for (const order of orders) {
      const body = { reason: "Double click", return_to_sale: true, idempotency_key: refundKey() };
      const [a, b] = await Promise.all([
        refund(first, world.officer.token, order.orderId, body),
        refund(second, world.officer.token, order.orderId, body),
      ]);
      expect([a.status, b.status]).toEqual([200, 200]);
      expect(a.body.refund?.id).toBe(b.body.refund?.id);
      expect(await first.db.prisma.refund.count({ where: { orderId: order.orderId } })).toBe(1);
    }
  }, 180_000);
});
