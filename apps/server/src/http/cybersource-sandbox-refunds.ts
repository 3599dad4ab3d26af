import { randomInt } from "node:crypto";
import { Transform } from "node:stream";
import { verifyRestRequest, type RestCredentials } from "@admit/cybersource";
import { Prisma } from "@admit/db";
import type { FastifyInstance, FastifyRequest, preParsingAsyncHookHandler } from "fastify";
import { z } from "zod";
import type { Runtime } from "../runtime.ts";
import { route } from "./route.ts";

/**
 * The sandbox's counterpart of CyberSource's REST refund (cybersource.md §9), used when CYBERSOURCE_SANDBOX_REFUNDS=true
 * points the refund client here: it checks the HTTP Signature as CyberSource does (key id, merchant, digest of the body,
 * signed header list, HMAC) and answers like the real API: 201 with an id and status PENDING, 401 for a bad signature,
 * 400 for more than the payment's remaining balance. A switch makes it fail (502) to show retries. Its log lives in this
 * process's memory, like the rest of the sandbox.
 */

const LOG_LIMIT = 1_000;

export interface SandboxRefund {
  refundId: string;
  /** The payment (Secure Acceptance transaction id) refunded. */
  paymentId: string;
  /** clientReferenceInformation.code: Admit's refund id. */
  clientReference: string;
  amount: string;
  currency: string;
  at: string;
}

export interface SandboxRefundAnswer {
  at: string;
  paymentId: string;
  status: number;
  reason: string | null;
}

/** What the sandbox knows of its payments: their amounts, for the remaining-balance check. */
export type SandboxPaymentAmounts = (transactionId: string) => string | undefined;

const refundBodySchema = z.object({
  clientReferenceInformation: z.object({ code: z.string().min(1).max(50) }),
  orderInformation: z.object({
    amountDetails: z.object({ totalAmount: z.string().regex(/^\d{1,12}(\.\d{1,2})?$/), currency: z.string().regex(/^[A-Z]{3}$/) }),
  }),
});

const rawBodies = new WeakMap<FastifyRequest, string>();

/** Keeps the body's text as it streams to the JSON parser: the Digest header is checked against the exact bytes. */
const keepRawBody: preParsingAsyncHookHandler = async (req, _reply, payload) => {
  const chunks: Buffer[] = [];
  const tee = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback(null, chunk);
    },
    flush(callback) {
      rawBodies.set(req, Buffer.concat(chunks).toString("utf8"));
      callback();
    },
  });
  payload.on("error", (error) => tee.destroy(error));
  return payload.pipe(tee);
};

export class SandboxRefunds {
  readonly refunds: SandboxRefund[] = [];
  readonly answers: SandboxRefundAnswer[] = [];
  failing = false;

  constructor(
    private readonly runtime: Runtime,
    private readonly credentials: RestCredentials,
    private readonly paymentAmount: SandboxPaymentAmounts,
  ) {}

  /** The real API's answer to one refund request. */
  answer(paymentId: string, request: { method: string; path: string; headers: FastifyRequest["headers"]; body: string }) {
    const check = verifyRestRequest(request, this.credentials);
    if (!check.ok) return this.log(paymentId, 401, { response: { rmsg: "Authentication Failed" }, message: check.reason }, check.reason);
    const parsed = refundBodySchema.safeParse(safeJson(request.body));
    if (!parsed.success) {
      return this.log(paymentId, 400, { status: "INVALID_REQUEST", reason: "MISSING_FIELD", message: "Declined - The request is missing one or more fields" }, "invalid body");
    }
    if (this.failing) {
      return this.log(paymentId, 502, { status: "SERVER_ERROR", reason: "SYSTEM_ERROR", message: "System is temporarily unavailable." }, "failing (switch)");
    }
    const { totalAmount, currency } = parsed.data.orderInformation.amountDetails;
    const paid = this.paymentAmount(paymentId);
    if (paid !== undefined) {
      const refunded = this.refunds
        .filter((r) => r.paymentId === paymentId)
        .reduce((sum, r) => sum.plus(r.amount), new Prisma.Decimal(0));
      if (refunded.plus(totalAmount).greaterThan(paid)) {
        return this.log(
          paymentId,
          400,
          { status: "INVALID_REQUEST", reason: "EXCEEDS_AUTH_AMOUNT", message: "Declined - The requested amount exceeds the remaining balance" },
          "more than the remaining balance",
        );
      }
    }
    const refundId = Array.from({ length: 22 }, () => randomInt(10)).join("");
    this.refunds.push({
      refundId,
      paymentId,
      clientReference: parsed.data.clientReferenceInformation.code,
      amount: new Prisma.Decimal(totalAmount).toFixed(2),
      currency,
      at: this.runtime.clock.now().toISOString(),
    });
    if (this.refunds.length > LOG_LIMIT) this.refunds.splice(0, this.refunds.length - LOG_LIMIT);
    return this.log(
      paymentId,
      201,
      {
        id: refundId,
        status: "PENDING",
        submitTimeUtc: this.runtime.clock.now().toISOString().replace(/\.\d{3}Z$/, "Z"),
        reconciliationId: refundId.slice(0, 16),
        clientReferenceInformation: { code: parsed.data.clientReferenceInformation.code },
        refundAmountDetails: { refundAmount: new Prisma.Decimal(totalAmount).toFixed(2), currency },
      },
      null,
    );
  }

  private log(paymentId: string, status: number, body: unknown, reason: string | null) {
    this.answers.push({ at: this.runtime.clock.now().toISOString(), paymentId, status, reason });
    if (this.answers.length > LOG_LIMIT) this.answers.splice(0, this.answers.length - LOG_LIMIT);
    return { status, body };
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

export function registerSandboxRefunds(
  app: FastifyInstance,
  runtime: Runtime,
  paymentAmount: SandboxPaymentAmounts,
  requireSiteAdmin: (req: FastifyRequest) => Promise<void>,
) {
  const credentials = runtime.config.cybersource.rest;
  if (!runtime.config.cybersource.sandboxRefunds || !credentials) return;
  const sandbox = new SandboxRefunds(runtime, credentials, paymentAmount);
  const prefix = new URL(credentials.host).pathname.replace(/\/$/, "");

  route(app, {
    method: "POST",
    url: `${prefix}/pts/v2/payments/:paymentId/refunds`,
    summary: "Sandbox REST refund (development and tests only)",
    description:
      "CyberSource's POST /pts/v2/payments/{id}/refunds: HTTP Signature checked like CyberSource (401 when wrong); 201 with an id and status PENDING; 400 past the payment's remaining balance; 502 while the admin switch makes refunds fail.",
    tags: ["sandbox"],
    auth: "signature",
    params: z.object({ paymentId: z.string().min(1).max(64) }),
    preParsing: keepRawBody,
    responses: {
      201: { description: "Refund accepted (status PENDING), as CyberSource answers" },
    },
    handler: async ({ req, reply, params }) => {
      const answer = sandbox.answer(params.paymentId, {
        method: req.method,
        path: req.url,
        headers: req.headers,
        body: rawBodies.get(req) ?? "",
      });
      return reply.status(answer.status).send(answer.body);
    },
  });

  route(app, {
    method: "GET",
    url: "/sandbox/cybersource/refunds",
    summary: "Sandbox refund log (development only)",
    tags: ["sandbox"],
    auth: "admin",
    responses: { 200: { description: "Refunds accepted, every answer given, and whether refunds are made to fail" } },
    handler: async ({ req }) => {
      await requireSiteAdmin(req);
      return { refunds: sandbox.refunds, answers: sandbox.answers, failing: sandbox.failing };
    },
  });

  route(app, {
    method: "POST",
    url: "/sandbox/cybersource/control/refunds",
    summary: "Make the sandbox's REST refunds fail (502) or succeed (development and tests only)",
    tags: ["sandbox"],
    auth: "admin",
    body: z.object({ failing: z.boolean() }),
    responses: { 200: { description: "The switch now in force" } },
    handler: async ({ req, body }) => {
      await requireSiteAdmin(req);
      sandbox.failing = body.failing;
      return { failing: sandbox.failing };
    },
  });
}
