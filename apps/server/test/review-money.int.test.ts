import { testBackends } from "@admit/db/testing";
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
  });
}
