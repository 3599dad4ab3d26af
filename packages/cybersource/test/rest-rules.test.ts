import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  bodyDigest,
  refundPayment,
  restBaseUrl,
  restSignature,
  signatureHeader,
  verifyRestRequest,
  type IncomingRestRequest,
  type RestCredentials,
  type RestSignatureInput,
} from "../src/index.ts";

/** The REST vector of cybersource.md §9. */
const vector = {
  merchantId: "test_merchant",
  keyId: "00000000-1111-2222-3333-444444444444",
  sharedSecret: "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
  host: "apitest.cybersource.com",
  date: "Sun, 25 Jan 2026 18:00:00 GMT",
  path: "/pts/v2/payments/7691258237956070304951/refunds",
  body: '{"clientReferenceInformation":{"code":"2f1d7c36-8e0b-4a51-9c57-3b1b2f6d9e10"},"orderInformation":{"amountDetails":{"totalAmount":"25.00","currency":"USD"}}}',
  digest: "SHA-256=ueF847Zat4jMOSWxk7NNlCaSUT+LRaDmK4QhirCintg=",
  signature: "E12ov/ypi2j5ft58QVeh4KnjgoOS39oK1qJfQBJucw0=",
};
const vectorRefund = {
  transactionId: "7691258237956070304951",
  amount: "25.00",
  currency: "USD",
  referenceNumber: "2f1d7c36-8e0b-4a51-9c57-3b1b2f6d9e10",
};
const vectorNow = () => new Date("2026-01-25T18:00:00Z");

describe("restBaseUrl", () => {
  it.each([
    ["apitest.cybersource.com", "https://apitest.cybersource.com/"],
    ["api.cybersource.com", "https://api.cybersource.com/"],
    ["http://127.0.0.1:9000", "http://127.0.0.1:9000/"],
    ["https://proxy.example.edu/cybersource/", "https://proxy.example.edu/cybersource/"],
  ])("%s means %s", (host, url) => {
    expect(restBaseUrl(host).href).toBe(url);
  });
});

describe("refundPayment: the request it sends (cybersource.md §9)", () => {
  /** Records what would go over the wire to CyberSource, and answers as CyberSource does. */
  function recorder() {
    const sent: { url: string; init: RequestInit }[] = [];
    const fetchImpl = (async (url: URL | RequestInfo, init?: RequestInit) => {
      sent.push({ url: String(url), init: init ?? {} });
      return new Response(JSON.stringify({ id: "7000000000000000000001", status: "PENDING" }), { status: 201 });
    }) as typeof fetch;
    return { sent, fetchImpl };
  }

  it("sends the vector's refund to the test host with exactly the vector's headers", async () => {
    const { sent, fetchImpl } = recorder();
    const credentials: RestCredentials = { host: vector.host, merchantId: vector.merchantId, keyId: vector.keyId, sharedSecret: vector.sharedSecret };
    expect(await refundPayment(credentials, vectorRefund, fetchImpl, vectorNow)).toEqual({
      ok: true,
      refundId: "7000000000000000000001",
      status: "PENDING",
    });
    expect(sent).toHaveLength(1);
    expect(sent[0]!.url).toBe(`https://apitest.cybersource.com${vector.path}`);
    expect(sent[0]!.init.method).toBe("POST");
    expect(sent[0]!.init.body).toBe(vector.body);
    expect(sent[0]!.init.headers).toEqual({
      "content-type": "application/json",
      accept: "application/hal+json;charset=utf-8",
      date: vector.date,
      digest: vector.digest,
      "v-c-merchant-id": "test_merchant",
      signature: `keyid="${vector.keyId}", algorithm="HmacSHA256", headers="host date (request-target) digest v-c-merchant-id", signature="${vector.signature}"`,
    });
  });

  it("puts the payment path under a base URL's own path, and signs that path", async () => {
    const { sent, fetchImpl } = recorder();
    const credentials: RestCredentials = { host: "https://proxy.example.edu/cybersource/", merchantId: "m", keyId: "k", sharedSecret: vector.sharedSecret };
    await refundPayment(credentials, { ...vectorRefund, transactionId: "a/b c" }, fetchImpl, vectorNow);
    const path = "/cybersource/pts/v2/payments/a%2Fb%20c/refunds";
    expect(sent[0]!.url).toBe(`https://proxy.example.edu${path}`);
    const input: RestSignatureInput = {
      method: "POST",
      path,
      host: "proxy.example.edu",
      date: vector.date,
      digest: bodyDigest(String(sent[0]!.init.body)),
      merchantId: "m",
    };
    expect((sent[0]!.init.headers as Record<string, string>).signature).toBe(signatureHeader(input, "k", vector.sharedSecret));
  });
});

describe("refundPayment: how it reads CyberSource's answer", () => {
  const answers: { status: number; body: string }[] = [];
  let server: Server;
  let credentials: RestCredentials;

  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        const answer = answers.shift() ?? { status: 500, body: "" };
        res.writeHead(answer.status, { "content-type": "application/json" });
        res.end(answer.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    credentials = { host: url, merchantId: vector.merchantId, keyId: vector.keyId, sharedSecret: vector.sharedSecret };
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const long = "x".repeat(250);
  it.each<[string, number, string, unknown]>([
    ["201 with an id and a status", 201, '{"id":"R1","status":"TRANSMITTED"}', { ok: true, refundId: "R1", status: "TRANSMITTED" }],
    ["201 with an id and no status", 201, '{"id":"R2"}', { ok: true, refundId: "R2", status: "PENDING" }],
    ["201 with a status that is not text", 201, '{"id":"R3","status":7}', { ok: true, refundId: "R3", status: "PENDING" }],
    ["201 without an id", 201, '{"status":"PENDING"}', { ok: false, httpStatus: 201, reason: '{"status":"PENDING"}' }],
    ["201 with an id that is not text", 201, '{"id":5}', { ok: false, httpStatus: 201, reason: '{"id":5}' }],
    ["201 with a body that is not JSON", 201, "created", { ok: false, httpStatus: 201, reason: "created" }],
    ["200 with an id (a refund is created with 201)", 200, '{"id":"R4"}', { ok: false, httpStatus: 200, reason: '{"id":"R4"}' }],
    ["400 with a message", 400, '{"status":"INVALID_REQUEST","message":"Declined - The request is missing one or more fields"}', {
      ok: false,
      httpStatus: 400,
      reason: "Declined - The request is missing one or more fields",
    }],
    ["400 with a message that is not text", 400, '{"message":{"text":"no"}}', { ok: false, httpStatus: 400, reason: '{"message":{"text":"no"}}' }],
    ["502 with a body that is not JSON", 502, "upstream exploded", { ok: false, httpStatus: 502, reason: "upstream exploded" }],
    ["502 with a long body that is not JSON", 502, long, { ok: false, httpStatus: 502, reason: long.slice(0, 200) }],
    ["503 with an empty body", 503, "", { ok: false, httpStatus: 503, reason: "Service Unavailable" }],
    ["500 with JSON null", 500, "null", { ok: false, httpStatus: 500, reason: "null" }],
  ])("%s", async (_what, status, body, result) => {
    answers.push({ status, body });
    expect(await refundPayment(credentials, vectorRefund)).toEqual(result);
  });
});

describe("verifyRestRequest: each refusal says why", () => {
  const credentials = { merchantId: vector.merchantId, keyId: vector.keyId, sharedSecret: vector.sharedSecret };
  const post: RestSignatureInput = { method: "POST", path: vector.path, host: vector.host, date: vector.date, digest: vector.digest, merchantId: vector.merchantId };
  const postHeaders = {
    host: vector.host,
    date: vector.date,
    digest: vector.digest,
    "v-c-merchant-id": vector.merchantId,
    signature: signatureHeader(post, vector.keyId, vector.sharedSecret),
  };
  const postRequest: IncomingRestRequest = { method: "POST", path: vector.path, headers: postHeaders, body: vector.body };
  const withHeaders = (headers: Record<string, string | string[] | undefined>): IncomingRestRequest => ({
    ...postRequest,
    headers: { ...postHeaders, ...headers },
  });
  const sig = (params: string) => ({ signature: params });

  it("accepts the vector's request, also with repeated headers read by their first value", () => {
    expect(postHeaders.signature).toContain(`signature="${vector.signature}"`);
    expect(verifyRestRequest(postRequest, credentials)).toEqual({ ok: true });
    expect(verifyRestRequest(withHeaders({ date: [vector.date, "Mon, 26 Jan 2026 18:00:00 GMT"] }), credentials)).toEqual({ ok: true });
  });

  it.each<[string, IncomingRestRequest, string]>([
    ["no Signature header", withHeaders({ signature: undefined }), "no Signature header"],
    ["an empty Signature header", withHeaders({ signature: "" }), "no Signature header"],
    ["another key id", withHeaders(sig(postHeaders.signature.replace(vector.keyId, "someone-else"))), "unknown key id"],
    ["another algorithm", withHeaders(sig(postHeaders.signature.replace("HmacSHA256", "HmacSHA512"))), "unsupported algorithm"],
    ["another merchant", withHeaders({ "v-c-merchant-id": "someone_else" }), "unknown merchant"],
    ["no merchant header", withHeaders({ "v-c-merchant-id": undefined }), "unknown merchant"],
    ["a changed body", { ...postRequest, body: vector.body.replace("25.00", "2500.00") }, "digest does not match the body"],
    ["no Digest header on a POST", withHeaders({ digest: undefined }), "digest does not match the body"],
    [
      "a POST that does not sign the digest",
      withHeaders(sig(postHeaders.signature.replace("(request-target) digest", "(request-target)"))),
      "unexpected signed header list",
    ],
    [
      "the old header name request-target",
      withHeaders(sig(postHeaders.signature.replace("(request-target)", "request-target"))),
      "unexpected signed header list",
    ],
    ["another date than the one signed", withHeaders({ date: "Mon, 26 Jan 2026 18:00:00 GMT" }), "signature mismatch"],
    ["another host than the one signed", withHeaders({ host: "api.cybersource.com" }), "signature mismatch"],
    ["another path than the one signed", { ...postRequest, path: "/pts/v2/payments/1/refunds" }, "signature mismatch"],
    ["another method than the one signed", { ...postRequest, method: "PUT" }, "signature mismatch"],
  ])("refuses %s", (_what, request, reason) => {
    expect(verifyRestRequest(request, credentials)).toEqual({ ok: false, reason });
  });

  it.each(["GET", "DELETE", "get"])("signs no digest for %s", (method) => {
    const input: RestSignatureInput = { method, path: "/pts/v2/payments/1", host: vector.host, date: vector.date, merchantId: vector.merchantId };
    const header = signatureHeader(input, vector.keyId, vector.sharedSecret);
    expect(header).toContain('headers="host date (request-target) v-c-merchant-id"');
    const headers = { host: vector.host, date: vector.date, "v-c-merchant-id": vector.merchantId, signature: header };
    expect(verifyRestRequest({ method, path: input.path, headers, body: "" }, credentials)).toEqual({ ok: true });
  });

  it("treats a missing Host or Date header as empty, as the signer must have", () => {
    const input: RestSignatureInput = { ...post, host: "", date: "" };
    const headers = { digest: vector.digest, "v-c-merchant-id": vector.merchantId, signature: signatureHeader(input, vector.keyId, vector.sharedSecret) };
    expect(verifyRestRequest({ ...postRequest, headers }, credentials)).toEqual({ ok: true });
  });

  it("signs the signing string of §9 line by line", () => {
    // Different host, date, target, digest or merchant each change the signature.
    const variants: RestSignatureInput[] = [
      { ...post, host: "api.cybersource.com" },
      { ...post, date: "Mon, 26 Jan 2026 18:00:00 GMT" },
      { ...post, method: "PUT" },
      { ...post, path: "/pts/v2/payments/1/refunds" },
      { ...post, digest: bodyDigest("{}") },
      { ...post, merchantId: "other_merchant" },
    ];
    const signatures = new Set([vector.signature, ...variants.map((input) => restSignature(input, vector.sharedSecret))]);
    expect(restSignature(post, vector.sharedSecret)).toBe(vector.signature);
    expect(signatures.size).toBe(variants.length + 1);
  });
});
