import { createHash, createHmac } from "node:crypto";
import type { RestCredentials } from "./profile.ts";
import { signaturesEqual } from "./signature.ts";

/** `SHA-256=<base64 sha256 of the body>`: the Digest header of a POST, PUT or PATCH. */
export function bodyDigest(body: string): string {
  return `SHA-256=${createHash("sha256").update(body, "utf8").digest("base64")}`;
}

export interface RestSignatureInput {
  method: string;
  /** Path and query as sent, e.g. /pts/v2/payments/123/refunds */
  path: string;
  /** The Host header: host name, plus the port when it is not the scheme's default. */
  host: string;
  /** RFC 7231, e.g. Sun, 25 Jan 2026 18:00:00 GMT */
  date: string;
  /** Set for POST, PUT and PATCH; GET and DELETE sign no digest. */
  digest?: string;
  merchantId: string;
}

function signedHeaderNames(input: RestSignatureInput): string[] {
  return input.digest === undefined
    ? ["host", "date", "(request-target)", "v-c-merchant-id"]
    : ["host", "date", "(request-target)", "digest", "v-c-merchant-id"];
}

function signingString(input: RestSignatureInput, names: string[]): string {
  const values: Record<string, string | undefined> = {
    host: input.host,
    date: input.date,
    "(request-target)": `${input.method.toLowerCase()} ${input.path}`,
    digest: input.digest,
    "v-c-merchant-id": input.merchantId,
  };
  return names.map((name) => `${name}: ${values[name] ?? ""}`).join("\n");
}

/** base64(HMAC-SHA256(key = base64-decoded shared secret, the signing string)) (cybersource.md §9). */
export function restSignature(input: RestSignatureInput, sharedSecret: string): string {
  return createHmac("sha256", Buffer.from(sharedSecret, "base64"))
    .update(signingString(input, signedHeaderNames(input)), "utf8")
    .digest("base64");
}

/** The `Signature` header value for a request. */
export function signatureHeader(input: RestSignatureInput, keyId: string, sharedSecret: string): string {
  return `keyid="${keyId}", algorithm="HmacSHA256", headers="${signedHeaderNames(input).join(" ")}", signature="${restSignature(input, sharedSecret)}"`;
}

/** The base URL a host setting means: a bare host name is HTTPS. */
export function restBaseUrl(host: string): URL {
  return new URL(host.includes("://") ? host : `https://${host}`);
}

export interface RefundRequest {
  /** The Secure Acceptance reply's transaction_id, which is the REST payment id. */
  transactionId: string;
  amount: string;
  currency: string;
  /** Our reference, stored by CyberSource as clientReferenceInformation.code. */
  referenceNumber: string;
}

export type RefundResult =
  | { ok: true; refundId: string; status: string }
  | { ok: false; httpStatus: number | null; reason: string };

/**
 * Refunds a settled or settling sale: POST /pts/v2/payments/{id}/refunds with HTTP Signature authentication.
 * Never throws: a refused or failed call comes back as `ok: false` so the caller can keep the payment marked for retry.
 */
export async function refundPayment(
  rest: RestCredentials,
  request: RefundRequest,
  fetchImpl: typeof fetch = fetch,
  now: () => Date = () => new Date(),
): Promise<RefundResult> {
  const base = restBaseUrl(rest.host);
  const path = `${base.pathname.replace(/\/$/, "")}/pts/v2/payments/${encodeURIComponent(request.transactionId)}/refunds`;
  const body = JSON.stringify({
    clientReferenceInformation: { code: request.referenceNumber },
    orderInformation: { amountDetails: { totalAmount: request.amount, currency: request.currency } },
  });
  const input: RestSignatureInput = {
    method: "POST",
    path,
    host: base.host,
    date: now().toUTCString(),
    digest: bodyDigest(body),
    merchantId: rest.merchantId,
  };
  try {
    const response = await fetchImpl(new URL(path, base.origin), {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/hal+json;charset=utf-8",
        date: input.date,
        digest: input.digest!,
        "v-c-merchant-id": rest.merchantId,
        signature: signatureHeader(input, rest.keyId, rest.sharedSecret),
      },
      body,
      signal: AbortSignal.timeout(20_000),
    });
    const text = await response.text();
    const parsed = safeJson(text);
    if (response.status === 201 && typeof parsed?.id === "string") {
      return { ok: true, refundId: parsed.id, status: typeof parsed.status === "string" ? parsed.status : "PENDING" };
    }
    const reason = typeof parsed?.message === "string" ? parsed.message : text.slice(0, 200) || response.statusText;
    return { ok: false, httpStatus: response.status, reason };
  } catch (error) {
    return { ok: false, httpStatus: null, reason: error instanceof Error ? error.message : String(error) };
  }
}

function safeJson(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === "object" ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export interface IncomingRestRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * The server side of HTTP Signature authentication, for fakes and the sandbox: the key id and merchant are ours,
 * the listed headers are the required ones, the digest matches the body, and the signature matches.
 */
export function verifyRestRequest(
  request: IncomingRestRequest,
  credentials: Pick<RestCredentials, "merchantId" | "keyId" | "sharedSecret">,
): { ok: true } | { ok: false; reason: string } {
  const header = (name: string) => {
    const value = request.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const signature = header("signature");
  if (!signature) return { ok: false, reason: "no Signature header" };
  const params = Object.fromEntries(
    [...signature.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!] as const),
  );
  if (params.keyid !== credentials.keyId) return { ok: false, reason: "unknown key id" };
  if (params.algorithm !== "HmacSHA256") return { ok: false, reason: "unsupported algorithm" };
  if (header("v-c-merchant-id") !== credentials.merchantId) return { ok: false, reason: "unknown merchant" };
  const hasBody = !["GET", "DELETE"].includes(request.method.toUpperCase());
  const digest = header("digest");
  if (hasBody && digest !== bodyDigest(request.body)) return { ok: false, reason: "digest does not match the body" };
  const input: RestSignatureInput = {
    method: request.method,
    path: request.path,
    host: header("host") ?? "",
    date: header("date") ?? "",
    ...(hasBody ? { digest } : {}),
    merchantId: credentials.merchantId,
  };
  if (params.headers !== signedHeaderNames(input).join(" ")) return { ok: false, reason: "unexpected signed header list" };
  if (!signaturesEqual(restSignature(input, credentials.sharedSecret), params.signature ?? "")) {
    return { ok: false, reason: "signature mismatch" };
  }
  return { ok: true };
}
