import { createHash } from "node:crypto";
import { Transform } from "node:stream";
import { REFUSED_DELIVERY_RETENTION_DAYS, REPLY_LIMITS, RATE_RULES, type PaymentChannel } from "@admit/domain";
import { paymentNotificationResponseSchema, paymentReplyFormSchema, type PaymentOutcome } from "@admit/validators";
import type { FastifyInstance, FastifyRequest, preParsingAsyncHookHandler } from "fastify";
import type { Runtime } from "../runtime.ts";
import { route } from "./route.ts";

const SIGNATURE_NOTE =
  "No sign-in: CyberSource (or the buyer's browser) posts here across sites without our cookies. The reply must sign decision, reason_code, transaction_id, the req_ amount, currency, reference, uuid, transaction type, profile and access key, and signed_date_time; anything else is refused with 403 PAYMENT_SIGNATURE_INVALID and changes nothing.";

const LIMITS_NOTE = `A reply has at most ${REPLY_LIMITS.maxFields} fields, names of at most ${REPLY_LIMITS.maxNameLength} and values of at most ${REPLY_LIMITS.maxValueLength} characters, in at most ${REPLY_LIMITS.maxBodyBytes / 1024} KB; a bigger one is refused with 413 PAYLOAD_TOO_LARGE before it is verified. A verified reply is kept whole. A refused delivery keeps only a small record (why, which field names, sizes, a SHA-256 of the body, channel and sender address; never a value) for ${REFUSED_DELIVERY_RETENTION_DAYS} days, and after ${RATE_RULES.refusedPayment.max} refusals in ${RATE_RULES.refusedPayment.windowSeconds} s an address gets 429 RATE_LIMITED (with Retry-After) until the window ends. Verified replies are never limited.`;

const rawBodies = new WeakMap<FastifyRequest, { bytes: number; digest: string }>();

/** Counts and hashes the raw body as it streams to the form parser, so a refused delivery is remembered by its digest. */
const measureRawBody: preParsingAsyncHookHandler = async (req, _reply, payload) => {
  const hash = createHash("sha256");
  let bytes = 0;
  const tee = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      bytes += chunk.length;
      callback(null, chunk);
    },
    flush(callback) {
      rawBodies.set(req, { bytes, digest: hash.digest("hex") });
      callback();
    },
  });
  payload.on("error", (error) => tee.destroy(error));
  return payload.pipe(tee);
};

const EMPTY_BODY = { bytes: 0, digest: createHash("sha256").digest("hex") };

/** Where the buyer's browser lands after paying: the storefront's result page. */
export function checkoutResultUrl(publicUrl: string, outcome: PaymentOutcome, reference: string): string {
  const query = new URLSearchParams({ outcome, reference });
  return `${publicUrl}/checkout/result?${query.toString()}`;
}

/** CyberSource's two result channels: the browser's receipt POST and the server-to-server merchant POST. */
export function registerPaymentCallbacks(app: FastifyInstance, runtime: Runtime) {
  const { payments } = runtime.services;
  const receive = async (req: FastifyRequest, body: Record<string, unknown>, channel: PaymentChannel) => {
    // No entry when the POST had no body to parse.
    const raw = rawBodies.get(req) ?? EMPTY_BODY;
    try {
      return await payments.receiveReply({ channel, fields: body, bodyBytes: raw.bytes, bodyDigest: raw.digest, clientAddress: req.ip });
    } catch (error) {
      app.log.warn({ channel, err: error }, "payment result refused");
      throw error;
    }
  };

  route(app, {
    method: "POST",
    url: "/api/tickets/payment_complete/",
    summary: "Payment result posted by the buyer's browser",
    description: `The hosted payment page sends the browser here with the signed result (and for a cancel). The result is applied once, however often it arrives, and the browser is sent on with 303 to ${"`/checkout/result?outcome=...&reference=...`"}. ${SIGNATURE_NOTE} ${LIMITS_NOTE}`,
    tags: ["payments"],
    auth: "signature",
    bodyType: "form",
    preParsing: measureRawBody,
    body: paymentReplyFormSchema,
    responses: { 303: { description: "On to the storefront's checkout result page" } },
    handler: async ({ req, body, reply }) => {
      const result = await receive(req, body, "browser");
      return reply
        .status(303)
        .header("cache-control", "no-store")
        .header("location", checkoutResultUrl(runtime.config.publicUrl, result.outcome, result.referenceNumber))
        .send();
    },
  });

  route(app, {
    method: "POST",
    url: "/api/tickets/payment_notification/",
    summary: "Payment result posted by CyberSource (merchant POST URL)",
    description: `Set the profile's merchant POST URL to this address: it is the result that arrives even when the buyer closes the tab. Deliveries may repeat, arrive late, or come before or after the browser's. ${SIGNATURE_NOTE} ${LIMITS_NOTE}`,
    tags: ["payments"],
    auth: "signature",
    bodyType: "form",
    preParsing: measureRawBody,
    body: paymentReplyFormSchema,
    responses: { 200: { description: "Recorded and applied", schema: paymentNotificationResponseSchema } },
    handler: async ({ req, body }) => {
      await receive(req, body, "merchant");
      return { ok: true as const };
    },
  });
}
