import { createHash } from "node:crypto";
import { testBackends } from "@admit/db/testing";
import { RATE_RULES, REFUSED_DELIVERY_RETENTION_DAYS, REPLY_LIMITS } from "@admit/domain";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./harness.ts";
import { ACCEPT, paidShowing, paymentState, replyFor, startPaidCheckout } from "./payment-fixtures.ts";

const NOTIFICATION = "/api/tickets/payment_notification/";
const COMPLETE = "/api/tickets/payment_complete/";

/** A form body posted from `address` (the test server trusts 127.0.0.1 as its load balancer). */
function post(server: TestServer, path: string, body: string, address: string) {
  return fetch(`${server.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": address },
    body,
    redirect: "manual",
  });
}

async function replyTableBytes(server: TestServer): Promise<number> {
  const rows = await server.db.prisma.$queryRaw<Array<{ size: bigint | number }>>`
    SELECT pg_total_relation_size('"PaymentReply"') AS size`;
  return Number(rows[0]!.size);
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

for (const backend of testBackends()) {
  describe(`junk payment deliveries are bounded (${backend.kind})`, () => {
    let server: TestServer;
    let nextAddress = 10;
    const freshAddress = () => `192.0.2.${nextAddress++}`;

    beforeAll(async () => {
      server = await startTestServer(backend, { TRUST_PROXY: "127.0.0.1" });
    });
    afterAll(async () => server?.close());
    // Each test starts in new rate-limit windows.
    beforeEach(() => server.clock.advance(3_600_000));

    it("20 anonymous 700 KB junk deliveries are refused with 413 and grow the reply table by less than 100 KB", async () => {
      const sender = freshAddress();
      const before = await replyTableBytes(server);
      const bodies = [
        // One enormous value, many ordinary ones, and a field name that is itself huge.
        ...Array.from({ length: 7 }, (_, i) => `junk${i}=${"x".repeat(700_000)}`),
        ...Array.from({ length: 7 }, (_, i) => Array.from({ length: 7_000 }, (_, f) => `f${i}_${f}=${"y".repeat(90)}`).join("&")),
        ...Array.from({ length: 6 }, (_, i) => `${"n".repeat(700_000)}${i}=1`),
      ];
      for (const [i, body] of bodies.entries()) {
        const res = await post(server, i % 2 ? COMPLETE : NOTIFICATION, body, sender);
        expect(res.status, `delivery ${i}`).toBe(413);
        expect(await res.json()).toMatchObject({
          error: { code: "PAYLOAD_TOO_LARGE" },
          detail: expect.stringMatching(/^This payment result is bigger than any genuine one \(.*over.*\), so it was refused\.$/),
        });
      }
      const growth = (await replyTableBytes(server)) - before;
      expect(growth).toBeLessThan(100 * 1024);

      const records = await server.db.prisma.paymentReply.findMany({ where: { clientAddress: sender }, orderBy: { id: "asc" } });
      expect(records).toHaveLength(20);
      for (const [i, record] of records.entries()) {
        expect(record).toMatchObject({ signatureValid: false, fields: null, decision: null, paymentId: null });
        expect(record.bodyBytes).toBe(Buffer.byteLength(bodies[i]!));
        expect(record.bodyDigest).toBe(sha256(bodies[i]!));
        expect(record.refusal).toMatch(/over/);
        expect(record.fieldNames.length).toBeLessThanOrEqual(40);
        expect(record.fieldNames.every((name) => name.length <= 40)).toBe(true);
        expect(JSON.stringify(record).length).toBeLessThan(3_000);
      }
      expect(records[7]!.fieldCount).toBe(7_000);
    });

    it("a reply with more fields or longer values than any genuine one is refused before it is verified", async () => {
      const sender = freshAddress();
      const tooMany = Array.from({ length: REPLY_LIMITS.maxFields + 1 }, (_, i) => `f${i}=1`).join("&");
      const tooLong = `signature=abc&signed_field_names=a&a=${"z".repeat(REPLY_LIMITS.maxValueLength + 1)}`;
      for (const body of [tooMany, tooLong]) {
        const res = await post(server, NOTIFICATION, body, sender);
        expect(res.status).toBe(413);
        expect(await res.json()).toMatchObject({ error: { code: "PAYLOAD_TOO_LARGE" } });
      }
      const refusals = await server.db.prisma.paymentReply.findMany({ where: { clientAddress: sender }, orderBy: { id: "asc" } });
      expect(refusals.map((r) => r.refusal)).toEqual([
        `${REPLY_LIMITS.maxFields + 1} fields, over ${REPLY_LIMITS.maxFields}`,
        `a value of ${REPLY_LIMITS.maxValueLength + 1} characters, over ${REPLY_LIMITS.maxValueLength}`,
      ]);
    });

    it("an oversized reply is applied when its signature is genuine; with the signature broken it is refused, linked to its checkout", async () => {
      const showcase = await paidShowing(server);
      const attempt = await startPaidCheckout(server, showcase, 1);
      const reply = replyFor(server, attempt, ACCEPT);
      const padded = { ...reply, padding: "z".repeat(REPLY_LIMITS.maxValueLength + 1) };
      const res = await post(server, NOTIFICATION, new URLSearchParams(padded).toString(), freshAddress());
      // CyberSource's signed word about money is never refused for its shape: the payment is applied.
      expect(res.status).toBe(200);
      const state = await paymentState(server, attempt.paymentId);
      expect(state.payment.status).toBe("PAID");
      expect(state.owned).toHaveLength(1);
      expect(state.replies).toEqual([expect.objectContaining({ signatureValid: true, refusal: null })]);

      // The same bytes with the signature broken are junk again: refused as too large, linked to the checkout.
      const forged = { ...padded, signature: `${(reply.signature ?? "").slice(0, -4)}AAA=` };
      const refused = await post(server, NOTIFICATION, new URLSearchParams(forged).toString(), freshAddress());
      expect(refused.status).toBe(413);
      const after = await paymentState(server, attempt.paymentId);
      expect(after.replies).toHaveLength(2);
      expect(after.replies[1]).toMatchObject({ signatureValid: false, fields: null, refusal: expect.stringMatching(/over/) });
    });

    it("a refused delivery's record keeps field names, sizes and a digest, never the values", async () => {
      const showcase = await paidShowing(server);
      const attempt = await startPaidCheckout(server, showcase, 1);
      const sender = freshAddress();
      const forged = new URLSearchParams({
        ...attempt.params,
        decision: "ACCEPT",
        reason_code: "100",
        bill_to_email: "secret-value-7f3a@example.edu",
        req_transaction_uuid: attempt.params.transaction_uuid!,
        req_reference_number: attempt.params.reference_number!,
      }).toString();
      const res = await post(server, COMPLETE, forged, sender);
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ error: { code: "PAYMENT_SIGNATURE_INVALID" } });

      const [record] = (await paymentState(server, attempt.paymentId)).replies;
      expect(record).toMatchObject({
        channel: "browser",
        signatureValid: false,
        decision: null,
        fields: null,
        clientAddress: sender,
        bodyBytes: Buffer.byteLength(forged),
        bodyDigest: sha256(forged),
      });
      expect(record!.refusal).toBeTruthy();
      expect(record!.fieldNames).toEqual(expect.arrayContaining(["decision", "bill_to_email", "signature", "amount"]));
      const stored = JSON.stringify(record);
      for (const value of ["secret-value-7f3a", attempt.params.signature!, attempt.params.transaction_uuid!, "ACCEPT"]) {
        expect(stored).not.toContain(value);
      }
    });

    it("a refused delivery is linked only to the checkout whose uuid and reference it both names; any other is kept unlinked", async () => {
      const showcase = await paidShowing(server);
      const attempt = await startPaidCheckout(server, showcase, 1);
      const uuid = attempt.params.transaction_uuid!;
      const reference = attempt.params.reference_number!;
      const forged = (names: Record<string, string>) =>
        new URLSearchParams({ ...attempt.params, decision: "ACCEPT", reason_code: "100", ...names }).toString();
      const bodies = [
        forged({ req_transaction_uuid: uuid, req_reference_number: reference }),
        // Names no checkout we made, or only half of one: recorded, linked to nothing.
        forged({ req_transaction_uuid: "f0f0f0f0-0000-4000-8000-000000000000", req_reference_number: "nobody-s-reference" }),
        forged({ req_transaction_uuid: uuid, req_reference_number: "nobody-s-reference" }),
        forged({ req_transaction_uuid: uuid }),
        forged({ req_reference_number: reference }),
      ];
      const sender = freshAddress();
      for (const [i, body] of bodies.entries()) {
        const res = await post(server, NOTIFICATION, body, sender);
        expect(res.status, `delivery ${i}`).toBe(403);
        expect(await res.json()).toMatchObject({ error: { code: "PAYMENT_SIGNATURE_INVALID" } });
      }
      const records = await server.db.prisma.paymentReply.findMany({ where: { clientAddress: sender }, orderBy: { id: "asc" } });
      expect(records.map((r) => r.paymentId)).toEqual([attempt.paymentId, null, null, null, null]);
      expect(records.map((r) => r.bodyDigest)).toEqual(bodies.map(sha256));
      expect((await paymentState(server, attempt.paymentId)).payment.status).toBe("PENDING");
    });

    it(`after ${RATE_RULES.refusedPayment.max} refusals an address gets 429 (nothing recorded), while a genuine reply from it is applied`, async () => {
      const showcase = await paidShowing(server);
      const attempt = await startPaidCheckout(server, showcase, 1);
      const sender = freshAddress();
      const { max, windowSeconds } = RATE_RULES.refusedPayment;
      for (let i = 0; i < max; i++) {
        expect((await post(server, NOTIFICATION, `decision=ACCEPT&n=${i}`, sender)).status).toBe(400);
      }
      const limited = await post(server, NOTIFICATION, "decision=ACCEPT&n=over", sender);
      expect(limited.status).toBe(429);
      expect(await limited.json()).toMatchObject({
        error: { code: "RATE_LIMITED", message: "Too many payment results from your address were refused. Wait a minute before sending more." },
      });
      const retryAfter = Number(limited.headers.get("retry-after"));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(windowSeconds);
      expect(await server.db.prisma.paymentReply.count({ where: { clientAddress: sender } })).toBe(max);

      const genuine = await post(server, NOTIFICATION, new URLSearchParams(replyFor(server, attempt, ACCEPT)).toString(), sender);
      expect(genuine.status).toBe(200);
      const state = await paymentState(server, attempt.paymentId);
      expect(state.payment.status).toBe("PAID");
      expect(state.replies.at(-1)).toMatchObject({ signatureValid: true, decision: "ACCEPT", clientAddress: sender, refusal: null });
      expect(state.replies.at(-1)!.fields).toMatchObject({ decision: "ACCEPT", req_reference_number: attempt.reference });

      // Another address is not affected, and the window ends.
      expect((await post(server, NOTIFICATION, "decision=ACCEPT", freshAddress())).status).toBe(400);
      server.clock.advance(windowSeconds * 1000);
      expect((await post(server, NOTIFICATION, "decision=ACCEPT", sender)).status).toBe(400);
    });

    it(`pruning deletes refused records older than ${REFUSED_DELIVERY_RETENTION_DAYS} days and never a verified reply`, async () => {
      const showcase = await paidShowing(server);
      const attempt = await startPaidCheckout(server, showcase, 1);
      const old = freshAddress();
      expect((await post(server, NOTIFICATION, new URLSearchParams(replyFor(server, attempt, ACCEPT)).toString(), old)).status).toBe(200);
      expect((await post(server, NOTIFICATION, "decision=ACCEPT&old=1", old)).status).toBe(400);

      server.clock.advance((REFUSED_DELIVERY_RETENTION_DAYS - 1) * 86_400_000);
      const recent = freshAddress();
      expect((await post(server, NOTIFICATION, "decision=ACCEPT&recent=1", recent)).status).toBe(400);
      const { payments } = server.runtime.services;
      await payments.pruneRefusedDeliveries();
      expect(await server.db.prisma.paymentReply.count({ where: { clientAddress: old } })).toBe(2);

      server.clock.advance(2 * 86_400_000);
      const pruned = await payments.pruneRefusedDeliveries();
      expect(pruned).toBeGreaterThanOrEqual(1);
      expect(await server.db.prisma.paymentReply.count({ where: { clientAddress: old, signatureValid: false } })).toBe(0);
      expect(await server.db.prisma.paymentReply.count({ where: { clientAddress: old, signatureValid: true } })).toBe(1);
      expect(await server.db.prisma.paymentReply.count({ where: { clientAddress: recent } })).toBe(1);
      expect(await server.db.prisma.paymentReply.count({ where: { signatureValid: true } })).toBeGreaterThanOrEqual(2);

      // Rate-limit windows that are over go too.
      expect(await server.runtime.services.rateLimits.prune()).toBeGreaterThanOrEqual(1);
      expect(await server.db.prisma.rateLimitCounter.count({ where: { key: old } })).toBe(0);
    });
  });
}
