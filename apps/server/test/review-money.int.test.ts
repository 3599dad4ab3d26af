import { testBackends } from "@admit/db/testing";
import { formatInZone } from "@admit/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./harness.ts";
import { clubWorld, refundKey, soldOrder } from "./refund-fixtures.ts";

type Json = Record<string, unknown> & { error?: { code: string; message: string } };

async function call(server: TestServer, method: string, path: string, token: string | null, body?: unknown) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, text, body: (text.startsWith("{") || text.startsWith("[") ? JSON.parse(text) : {}) as Json };
}

for (const backend of testBackends()) {
  describe(`money over REST, refused input changes nothing (${backend.kind})`, () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer(backend);
    });
    afterAll(async () => server?.close());

    it("an empty ticket selection is refused, not taken as the whole order", async () => {
      const world = await clubWorld(server, { price: "20.00" });
      const order = await soldOrder(server, [{ showingId: world.showingId, count: 2 }]);
      const before = await call(server, "GET", `/api/orders/${order.orderId}/`, world.officer.token);

      const refused = await call(server, "POST", `/api/orders/${order.orderId}/refunds/`, world.officer.token, {
        ticket_ids: [],
        reason: "Nothing chosen in the dialog",
        return_to_sale: true,
        idempotency_key: refundKey(),
      });
      expect(refused.status, refused.text).toBe(400);
      expect(refused.body.error?.code).toBe("VALIDATION_FAILED");
      expect(refused.body.error?.message).toMatch(/at least one ticket/i);

      const after = await call(server, "GET", `/api/orders/${order.orderId}/`, world.officer.token);
      expect(after.body).toEqual(before.body);
      expect(after.body).toMatchObject({ status: "paid", refunded_total: "0.00", refunds: [] });
    });

    it("ticket ids written in capitals (valid UUIDs) are the same tickets, for an officer's refund and a return", async () => {
      const world = await clubWorld(server, { price: "11.00" });
      await server.db.prisma.ticket.updateMany({ where: { showingId: world.showingId }, data: { returnHoursBefore: 0 } });
      const order = await soldOrder(server, [{ showingId: world.showingId, count: 2 }]);
      const [refunded, returned] = order.ticketIds as [string, string];

      const refund = await call(server, "POST", `/api/orders/${order.orderId}/refunds/`, world.officer.token, {
        ticket_ids: [refunded.toUpperCase()],
        reason: "Asked for by the buyer",
        return_to_sale: true,
        idempotency_key: refundKey(),
      });
      expect(refund.status, refund.text).toBe(200);
      expect(refund.body).toMatchObject({ voided_ticket_ids: [refunded], refund: { amount: "11.00" } });

      const buyer = await server.tokenFor(order.buyer.username);
      const giveBack = await call(server, "POST", `/api/tickets/${returned.toUpperCase()}/return/`, buyer);
      expect(giveBack.status, giveBack.text).toBe(200);
      expect(giveBack.body).toMatchObject({ ticketId: returned.toUpperCase(), refund: { amount: "11.00" } });

      const after = await call(server, "GET", `/api/orders/${order.orderId}/`, buyer);
      expect(after.body).toMatchObject({ status: "refunded", refunded_total: "22.00" });
    });

    it("a return after its deadline says when returns closed in the club's time zone, not in UTC", async () => {
      const world = await clubWorld(server, { price: "12.00" });
      await server.db.prisma.club.update({ where: { id: world.clubId }, data: { timeZone: "America/Chicago" } });
      // The showing starts in 48 hours; returns closed 72 hours before it, a day ago.
      await server.db.prisma.ticket.updateMany({ where: { showingId: world.showingId }, data: { returnHoursBefore: 72 } });
      const order = await soldOrder(server, [{ showingId: world.showingId, count: 1 }]);
      const showing = await server.db.prisma.showing.findUniqueOrThrow({ where: { id: world.showingId } });
      const deadline = new Date(showing.startTime.getTime() - 72 * 3_600_000);
      const buyer = await server.tokenFor(order.buyer.username);

      const refused = await call(server, "POST", `/api/tickets/${order.ticketIds[0]}/return/`, buyer);
      expect(refused.status, refused.text).toBe(403);
      expect(refused.body.error?.code).toBe("RETURN_DEADLINE_PASSED");
      expect(refused.body.error?.message).toContain(formatInZone(deadline, "America/Chicago"));
      expect(refused.body.error?.message).not.toContain(deadline.toISOString());
    });
  });
}
