import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bodyDigest, refundPayment, restSignature, signatureHeader, verifyRestRequest } from "../src/index.ts";
import { startFakeRestServer, type FakeRestServer } from "../src/testing.ts";

/** The REST vector of cybersource.md §9. */
const vector = {
  merchantId: "test_merchant",
  keyId: "00000000-1111-2222-3333-444444444444",
  sharedSecret: "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
  host: "apitest.cybersource.com",
  date: "Sun, 25 Jan 2026 18:00:00 GMT",
  path: "/pts/v2/payments/7691258237956070304951/refunds",
  body: '{"clientReferenceInformation":{"code":"2f1d7c36-8e0b-4a51-9c57-3b1b2f6d9e10"},"orderInformation":{"amountDetails":{"totalAmount":"25.00","currency":"USD"}}}',
};

describe("REST HTTP Signature (cybersource.md §9 vector)", () => {
  it("computes the digest and the signature of the vector", () => {
    const digest = bodyDigest(vector.body);
    expect(digest).toBe("SHA-256=ueF847Zat4jMOSWxk7NNlCaSUT+LRaDmK4QhirCintg=");
    const input = { method: "POST", path: vector.path, host: vector.host, date: vector.date, digest, merchantId: vector.merchantId };
    expect(restSignature(input, vector.sharedSecret)).toBe("E12ov/ypi2j5ft58QVeh4KnjgoOS39oK1qJfQBJucw0=");
    expect(signatureHeader(input, vector.keyId, vector.sharedSecret)).toBe(
      'keyid="00000000-1111-2222-3333-444444444444", algorithm="HmacSHA256", headers="host date (request-target) digest v-c-merchant-id", signature="E12ov/ypi2j5ft58QVeh4KnjgoOS39oK1qJfQBJucw0="',
    );
  });

  it("leaves the digest out of GET signatures", () => {
    const input = { method: "GET", path: "/pts/v2/payments/1", host: vector.host, date: vector.date, merchantId: vector.merchantId };
    expect(signatureHeader(input, vector.keyId, vector.sharedSecret)).toContain('headers="host date (request-target) v-c-merchant-id"');
    const headers = { host: vector.host, date: vector.date, "v-c-merchant-id": vector.merchantId, signature: signatureHeader(input, vector.keyId, vector.sharedSecret) };
    expect(verifyRestRequest({ method: "GET", path: input.path, headers, body: "" }, vector)).toEqual({ ok: true });
  });
});

describe("refundPayment against a local CyberSource REST stand-in over real HTTP", () => {
  let fake: FakeRestServer;
  beforeAll(async () => {
    fake = await startFakeRestServer();
  });
  afterAll(async () => fake?.close());

  const refund = { transactionId: "7691258237956070304951", amount: "25.00", currency: "USD", referenceNumber: "REF-1" };

  it("sends a signed refund that the server accepts, and returns the refund id", async () => {
    const result = await refundPayment(fake.credentials, refund);
    expect(result).toMatchObject({ ok: true, status: "PENDING" });
    expect(fake.refunds.at(-1)).toMatchObject({
      paymentId: "7691258237956070304951",
      body: { clientReferenceInformation: { code: "REF-1" }, orderInformation: { amountDetails: { totalAmount: "25.00", currency: "USD" } } },
    });
    if (result.ok) expect(fake.refunds.at(-1)?.refundId).toBe(result.refundId);
  });

  it("is refused with a wrong shared secret or key id, and reports it without throwing", async () => {
    const before = fake.refunds.length;
    const wrongSecret = await refundPayment({ ...fake.credentials, sharedSecret: Buffer.from("wrong").toString("base64") }, refund);
    expect(wrongSecret).toMatchObject({ ok: false, httpStatus: 401 });
    const wrongKey = await refundPayment({ ...fake.credentials, keyId: "someone-else" }, refund);
    expect(wrongKey).toMatchObject({ ok: false, httpStatus: 401 });
    expect(fake.refused.slice(-2)).toEqual(["signature mismatch", "unknown key id"]);
    expect(fake.refunds.length).toBe(before);
  });

  it("reports an unavailable service or an unreachable host as a failure to retry", async () => {
    fake.failing = true;
    try {
      expect(await refundPayment(fake.credentials, refund)).toMatchObject({ ok: false, httpStatus: 502 });
    } finally {
      fake.failing = false;
    }
    const unreachable = await refundPayment({ ...fake.credentials, host: "http://127.0.0.1:1" }, refund);
    expect(unreachable).toMatchObject({ ok: false, httpStatus: null });
  });

  it("a tampered body no longer matches its digest", () => {
    const input = { method: "POST", path: vector.path, host: vector.host, date: vector.date, digest: bodyDigest(vector.body), merchantId: vector.merchantId };
    const headers = {
      host: vector.host,
      date: vector.date,
      digest: input.digest,
      "v-c-merchant-id": vector.merchantId,
      signature: signatureHeader(input, vector.keyId, vector.sharedSecret),
    };
    expect(verifyRestRequest({ method: "POST", path: vector.path, headers, body: vector.body }, vector)).toEqual({ ok: true });
    expect(verifyRestRequest({ method: "POST", path: vector.path, headers, body: vector.body.replace("25.00", "2500.00") }, vector)).toEqual({
      ok: false,
      reason: "digest does not match the body",
    });
  });
});
