import { signatureHeader, bodyDigest } from "@admit/cybersource";
import { testBackends } from "@admit/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, trpc, type TestServer } from "./harness.ts";
import { clubWorld, orderState, refundKey, soldOrder, type ClubWorld } from "./refund-fixtures.ts";

type Json = Record<string, unknown> & { error?: { code: string; message: string } };

async function post(server: TestServer, path: string, token: string, body: unknown): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${server.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Json };
}

async function get(server: TestServer, path: string, token: string): Promise<Json> {
  const res = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as Json;
}

type Manifest = { tickets: Array<{ id: string; valid: boolean; qrGeneration: number }>; cursor: string };

/** A paired door device for the showing, its manifest read, so the next changes are what a refund did. */
async function pairedDoor(server: TestServer, world: ClubWorld) {
  const created = await trpc(server, "kiosk.createDevice", {
    token: world.officer.token,
    mutation: true,
    input: { clubId: world.clubId, name: "North door", showingIds: [world.showingId] },
  });
  expect(created.status).toBe(200);
  const paired = await trpc(server, "kiosk.pair", { mutation: true, input: { code: (created.data as { pairingCode: string }).pairingCode } });
  const token = (paired.data as { token: string }).token;
  const manifest = (await trpc(server, "door.manifest", { token })).data as Manifest;
  return { token, manifest };
}

for (const backend of testBackends()) {
  describe(`refunds over REST, manual (${backend.kind})`, () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer(backend);
    });
    afterAll(async () => server?.close());

    it("an officer refunds one ticket; a replay changes nothing; the door refuses the old code after its next sync; marked done", async () => {
      const world = await clubWorld(server, { price: "18.00" });
      const order = await soldOrder(server, [{ showingId: world.showingId, count: 2 }]);
      const door = await pairedDoor(server, world);
      expect(door.manifest.tickets.filter((t) => order.ticketIds.includes(t.id)).every((t) => t.valid)).toBe(true);
      const [ticket] = order.ticketIds;
      const body = { ticket_ids: [ticket], reason: "Asked for by the buyer", return_to_sale: true, idempotency_key: refundKey() };

      const first = await post(server, `/api/orders/${order.orderId}/refunds/`, world.officer.token, body);
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ replayed: false, voided_ticket_ids: [ticket], refund: { amount: "18.00", status: "MANUAL", state: "manual" } });
      const refund = first.body.refund as { id: string; instruction: string };
      expect(refund.instruction).toContain(`reference ${order.reference}`);
      const again = await post(server, `/api/orders/${order.orderId}/refunds/`, world.officer.token, body);
      expect(again.body).toMatchObject({ replayed: true, refund: { id: refund.id } });
      expect((await orderState(server, order.orderId)).refunds).toHaveLength(1);

      const changes = (await trpc(server, "door.changes", { token: door.token, input: { cursor: door.manifest.cursor } })).data as Manifest;
      expect(changes.tickets.find((t) => t.id === ticket)).toMatchObject({ valid: false, qrGeneration: 1 });
      expect(changes.tickets.find((t) => t.id === order.ticketIds[1])).toBeUndefined();

      const student = await server.tokenFor(order.buyer.username);
      expect((await post(server, `/api/refunds/${refund.id}/done/`, student, {})).status).toBe(404);
      const done = await post(server, `/api/refunds/${refund.id}/done/`, world.officer.token, {});
      expect(done.status).toBe(200);
      expect(done.body).toMatchObject({ id: refund.id, status: "SUCCEEDED", state: "refunded" });
    });

    it("bad input is a 400 and changes nothing; the buyer cannot refund their own order", async () => {
      const world = await clubWorld(server);
      const order = await soldOrder(server, [{ showingId: world.showingId, count: 1 }]);
      const before = await orderState(server, order.orderId);
      const base = { reason: "Because", return_to_sale: true, idempotency_key: refundKey() };
      for (const bad of [
        { ...base, amount: "twelve" },
        { ...base, amount: "0" },
        { ...base, amount: "1.234" },
        { ...base, reason: "" },
        { ...base, ticket_ids: ["not-a-uuid"] },
        { ...base, idempotency_key: "short" },
        { reason: "x", idempotency_key: refundKey() },
      ]) {
        const res = await post(server, `/api/orders/${order.orderId}/refunds/`, world.officer.token, bad);
        expect(res.status, JSON.stringify(bad)).toBe(400);
      }
      expect((await post(server, `/api/orders/not-an-id/refunds/`, world.officer.token, base)).status).toBe(400);
      const tooMuch = await post(server, `/api/orders/${order.orderId}/refunds/`, world.officer.token, { ...base, amount: "99.00" });
      expect(tooMuch).toMatchObject({ status: 409, body: { error: { code: "REFUND_TOO_LARGE" } } });
      const buyer = await server.tokenFor(order.buyer.username);
      expect((await post(server, `/api/orders/${order.orderId}/refunds/`, buyer, base)).status).toBe(404);
      expect(await orderState(server, order.orderId)).toEqual(before);
    });
  });

  describe(`refunds through the sandbox's REST refund (${backend.kind})`, () => {
    let server: TestServer;
    let adminToken: string;
    beforeAll(async () => {
      server = await startTestServer(backend, { CYBERSOURCE_SANDBOX_REFUNDS: "true" });
      const admin = await server.createAccount();
      await server.db.prisma.user.update({ where: { id: admin.id }, data: { isSiteAdmin: true } });
      adminToken = await server.tokenFor(admin.username);
    });
    afterAll(async () => server?.close());

    const sandboxLog = async () =>
      (await get(server, "/sandbox/cybersource/refunds", adminToken)) as unknown as {
        refunds: Array<{ paymentId: string; clientReference: string; amount: string }>;
        answers: Array<{ paymentId: string; status: number; reason: string | null }>;
      };

    it("a refund goes through at once: SUCCEEDED with the processor's id, our refund id as the client reference", async () => {
      const world = await clubWorld(server, { price: "11.00" });
      const order = await soldOrder(server, [{ showingId: world.showingId, count: 2 }]);
      const res = await post(server, `/api/orders/${order.orderId}/refunds/`, world.officer.token, {
        reason: "Show moved",
        return_to_sale: false,
        idempotency_key: refundKey(),
      });
      expect(res.status).toBe(200);
      const refundId = (res.body.refund as { id: string }).id;
      const stored = await server.db.prisma.refund.findUniqueOrThrow({ where: { id: refundId } });
      expect(stored).toMatchObject({ status: "SUCCEEDED", attempts: 1, lastError: null });
      const log = await sandboxLog();
      const sent = log.refunds.find((r) => r.clientReference === refundId);
      expect(sent).toMatchObject({ paymentId: order.transactionId, amount: "22.00" });
      expect(stored.processorRefundId).toMatch(/^\d{22}$/);
      const mails = await server.db.prisma.outgoingEmail.findMany({ where: { dedupeKey: { in: [`refund-requested:${refundId}`, `refund-done:${refundId}`] } } });
      expect(mails).toHaveLength(2);
      expect(mails.find((m) => m.dedupeKey?.startsWith("refund-requested"))?.text).toContain("on its way");
      // Marking a refund that already succeeded changes nothing.
      expect((await post(server, `/api/refunds/${refundId}/done/`, world.officer.token, {})).body).toMatchObject({ status: "SUCCEEDED" });
    });

    it("while the sandbox fails refunds, the refund stays PENDING with the error, shows on the dashboard, and goes through after its backoff", async () => {
      const world = await clubWorld(server, { price: "7.25" });
      const order = await soldOrder(server, [{ showingId: world.showingId, count: 1 }]);
      expect((await post(server, "/sandbox/cybersource/control/refunds", adminToken, { failing: true })).status).toBe(200);
      let refundId: string;
      try {
        const res = await post(server, `/api/orders/${order.orderId}/refunds/`, world.officer.token, {
          reason: "Double charge",
          return_to_sale: true,
          idempotency_key: refundKey(),
        });
        expect(res.status).toBe(200);
        refundId = (res.body.refund as { id: string }).id;
      } finally {
        await post(server, "/sandbox/cybersource/control/refunds", adminToken, { failing: false });
      }
      const failing = await server.db.prisma.refund.findUniqueOrThrow({ where: { id: refundId } });
      expect(failing).toMatchObject({ status: "PENDING", attempts: 1 });
      expect(failing.lastError).toContain("CyberSource answered 502");
      const attention = await server.runtime.services.refunds.attention(world.officer.actor, world.clubId);
      expect(attention.mode).toBe("automatic");
      expect(attention.failing.map((r) => r.id)).toContain(refundId);
      // An automatic refund is not marked done by hand.
      expect((await post(server, `/api/refunds/${refundId}/done/`, world.officer.token, {})).status).toBe(409);

      expect(await server.runtime.services.refunds.processDue()).toEqual({ attempted: 0, succeeded: 0 });
      server.clock.advance(61_000);
      expect(await server.runtime.services.refunds.processDue()).toMatchObject({ attempted: 1, succeeded: 1 });
      expect(await server.db.prisma.refund.findUniqueOrThrow({ where: { id: refundId } })).toMatchObject({ status: "SUCCEEDED", attempts: 2 });
      expect((await sandboxLog()).refunds.filter((r) => r.clientReference === refundId)).toHaveLength(1);
    });

    it("the sandbox checks the HTTP Signature like CyberSource: a wrong key is a 401 and refunds nothing", async () => {
      const body = JSON.stringify({
        clientReferenceInformation: { code: "forged" },
        orderInformation: { amountDetails: { totalAmount: "5.00", currency: "USD" } },
      });
      const host = new URL(server.url).host;
      const path = "/sandbox/cybersource/pts/v2/payments/1234567890/refunds";
      const date = new Date().toUTCString();
      const digest = bodyDigest(body);
      const input = { method: "POST", path, host, date, digest, merchantId: "admit_sandbox_merchant" };
      const res = await fetch(`${server.url}${path}`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          date,
          digest,
          "v-c-merchant-id": "admit_sandbox_merchant",
          signature: signatureHeader(input, "ad417000-0000-4000-8000-5a4db0c0f00d", Buffer.from("not the secret").toString("base64")),
        },
        body,
      });
      expect(res.status).toBe(401);
      expect((await sandboxLog()).refunds.find((r) => r.clientReference === "forged")).toBeUndefined();
    });
  });
}
