import {
  buildReply,
  SIGNED_DATE_TIME_PATTERN,
  verifySignedRequest,
  type Decision,
  type ReplyOutcome,
} from "@admit/cybersource";
import {
  sandboxControlSchema,
  sandboxDecisionSchema,
  sandboxPayFormSchema,
  type SandboxControl,
} from "@admit/validators";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import type { Runtime } from "../runtime.ts";
import { paymentPage, replyRedirectPage } from "./cybersource-sandbox-pages.ts";
import { registerSandboxRefunds } from "./cybersource-sandbox-refunds.ts";
import { restUser } from "./rest.ts";
import { route } from "./route.ts";

/**
 * A stand-in for CyberSource's hosted payment page (cybersource.md §7), loaded only when no real Secure
 * Acceptance keys are configured (and, on an https PUBLIC_URL, only with CYBERSOURCE_SANDBOX=true). Development and
 * tests only: its switches, duplicate check and transaction log live in this process's memory on purpose, since it
 * never moves money and is never run behind a load balancer. The pay page is the buyer's, as on CyberSource; the
 * log (every buyer's name, e-mail and amount) and the switches (which can drop merchant POSTs) are site admins' only.
 */

const NOT_AUTHORIZED = "You are not authorized to view this page. The transaction has not been processed.";
const DUPLICATE_WINDOW_MS = 15 * 60_000;
/** The log keeps the latest decisions only, so a stream of signed junk requests cannot grow the process without end. */
const LOG_LIMIT = 1_000;
const TRANSACTION_TYPES = new Set([
  "authorization",
  "sale",
  "authorization,create_payment_token",
  "sale,create_payment_token",
  "authorization,update_payment_token",
  "sale,update_payment_token",
]);
const REQUIRED = [
  "access_key",
  "profile_id",
  "transaction_uuid",
  "signed_field_names",
  "unsigned_field_names",
  "signed_date_time",
  "locale",
  "transaction_type",
  "reference_number",
  "amount",
  "currency",
];

const OUTCOMES: Record<z.infer<typeof sandboxDecisionSchema>, ReplyOutcome> = {
  pay: { decision: "ACCEPT", reasonCode: "100" },
  decline: { decision: "DECLINE", reasonCode: "203", message: "General decline of the card." },
  cancel: { decision: "CANCEL", reasonCode: "", message: "The consumer cancelled the transaction." },
  review: { decision: "REVIEW", reasonCode: "230", message: "The card verification number did not match; review." },
  error: { decision: "ERROR", reasonCode: "150", message: "General system failure." },
};

interface MerchantPostRecord {
  status: number | null;
  at: string;
  error?: string;
}

export interface SandboxTransaction {
  transactionId: string;
  transactionUuid: string;
  referenceNumber: string;
  amount: string;
  currency: string;
  decision: Decision;
  reasonCode: string;
  decidedAt: string;
  /** Every field the result was sent with, signature included, so tests can deliver it again. */
  reply: Record<string, string>;
  merchantPosts: MerchantPostRecord[];
  merchantPostDropped: boolean;
}

/** Required fields and formats (§7 step 2): a failing request is answered with ERROR 101 or 102, not with a page. */
function requestProblem(fields: Record<string, string>): ReplyOutcome | null {
  const missing = REQUIRED.filter((name) => fields[name] === undefined || (fields[name] === "" && name !== "unsigned_field_names"));
  if (missing.length) {
    return { decision: "ERROR", reasonCode: "101", message: "Missing fields.", extraFields: { required_fields: missing.join(",") } };
  }
  const field = (name: string) => fields[name] ?? "";
  const invalid = [
    !/^\d{1,12}(\.\d{1,2})?$/.test(field("amount")) && "amount",
    !/^[A-Z]{3}$/.test(field("currency")) && "currency",
    !SIGNED_DATE_TIME_PATTERN.test(field("signed_date_time")) && "signed_date_time",
    !TRANSACTION_TYPES.has(field("transaction_type")) && "transaction_type",
    field("transaction_uuid").length > 50 && "transaction_uuid",
    field("reference_number").length > 50 && "reference_number",
  ].filter((name): name is string => Boolean(name));
  if (invalid.length) {
    return { decision: "ERROR", reasonCode: "102", message: "Invalid fields.", extraFields: { invalid_fields: invalid.join(",") } };
  }
  return null;
}

const DUPLICATE: ReplyOutcome = {
  decision: "ERROR",
  reasonCode: "104",
  message: "The access_key and transaction_uuid match a transaction of the last 15 minutes.",
};

/** What a decided request leaves: the signed result fields, where the browser goes next, and the log entry. */
interface Decided {
  fields: Record<string, string>;
  receipt: string;
  transaction: SandboxTransaction;
}

/**
 * The sandbox's state and decisions: the switches for the merchant POST, the held POSTs, the transaction log and
 * the duplicate check (all in this process's memory, on purpose: see above).
 */
class SandboxProcessor {
  control: SandboxControl = sandboxControlSchema.parse({});
  readonly transactions: SandboxTransaction[] = [];
  private readonly held: Array<() => Promise<void>> = [];
  private readonly decidedAt = new Map<string, number>();
  private readonly merchantPostUrl: string;
  private readonly defaultReceiptUrl: string;

  constructor(private readonly runtime: Runtime) {
    this.merchantPostUrl = `${runtime.config.publicUrl}/api/tickets/payment_notification/`;
    this.defaultReceiptUrl = `${runtime.config.publicUrl}/api/tickets/payment_complete/`;
  }

  isDuplicate(request: Record<string, string>): boolean {
    const at = this.decidedAt.get(`${request.access_key}:${request.transaction_uuid}`);
    return at !== undefined && this.runtime.clock.now().getTime() - at < DUPLICATE_WINDOW_MS;
  }

  /** Decides a request: logs it and starts the merchant POST as the switches say (`afterReply` runs once the browser has its page). */
  async decide(request: Record<string, string>, outcome: ReplyOutcome): Promise<Decided & { afterReply: (() => void) | null }> {
    const now = this.runtime.clock.now();
    this.remember(request, now.getTime());
    const fields = buildReply(this.runtime.config.cybersource.profile, request, outcome, now);
    const transaction: SandboxTransaction = {
      transactionId: fields.transaction_id ?? "",
      transactionUuid: request.transaction_uuid ?? "",
      referenceNumber: request.reference_number ?? "",
      amount: request.amount ?? "",
      currency: request.currency ?? "",
      decision: outcome.decision,
      reasonCode: outcome.reasonCode,
      decidedAt: now.toISOString(),
      reply: fields,
      merchantPosts: [],
      merchantPostDropped: this.control.merchantPost === "drop",
    };
    this.transactions.push(transaction);
    if (this.transactions.length > LOG_LIMIT) this.transactions.splice(0, this.transactions.length - LOG_LIMIT);
    const settings = this.control;
    if (settings.merchantPost === "before") await this.postCopies(transaction, settings);
    if (settings.merchantPost === "held") this.held.push(() => this.postCopies(transaction, settings));
    const afterReply = settings.merchantPost === "after" ? () => void this.postCopies(transaction, settings) : null;
    const receipt =
      outcome.decision === "CANCEL"
        ? (request.override_custom_cancel_page ?? request.override_custom_receipt_page ?? this.defaultReceiptUrl)
        : (request.override_custom_receipt_page ?? this.defaultReceiptUrl);
    return { fields, receipt, transaction, afterReply };
  }

  /** Sends every held merchant POST; how many results were held. */
  async release(): Promise<number> {
    const due = this.held.splice(0);
    await Promise.all(due.map((send) => send()));
    return due.length;
  }

  private remember(request: Record<string, string>, at: number) {
    for (const [key, when] of this.decidedAt) {
      if (at - when < DUPLICATE_WINDOW_MS) break;
      this.decidedAt.delete(key);
    }
    const key = `${request.access_key}:${request.transaction_uuid}`;
    this.decidedAt.delete(key);
    this.decidedAt.set(key, at);
  }

  private async postOnce(transaction: SandboxTransaction) {
    const record: MerchantPostRecord = { status: null, at: this.runtime.clock.now().toISOString() };
    try {
      const res = await fetch(this.merchantPostUrl, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(transaction.reply).toString(),
        signal: AbortSignal.timeout(30_000),
      });
      await res.arrayBuffer();
      record.status = res.status;
    } catch (error) {
      record.error = error instanceof Error ? error.message : String(error);
    }
    transaction.merchantPosts.push(record);
  }

  private async postCopies(transaction: SandboxTransaction, settings: SandboxControl) {
    if (settings.delayMs) await new Promise((resolve) => setTimeout(resolve, settings.delayMs));
    await Promise.all(Array.from({ length: settings.copies }, () => this.postOnce(transaction)));
  }
}

const html = (reply: FastifyReply) => reply.type("text/html; charset=utf-8").header("cache-control", "no-store");

const refuse = (reply: FastifyReply) =>
  html(reply.status(403)).send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Not authorized</title></head><body><p>${NOT_AUTHORIZED}</p></body></html>`);

/** Decides the request and sends the browser on to the receipt page with the signed result. */
async function deliver(sandbox: SandboxProcessor, reply: FastifyReply, request: Record<string, string>, outcome: ReplyOutcome) {
  const { fields, receipt, afterReply } = await sandbox.decide(request, outcome);
  if (afterReply) reply.raw.once("finish", afterReply);
  return html(reply).send(replyRedirectPage(receipt, fields));
}

export function registerCybersourceSandbox(app: FastifyInstance, runtime: Runtime) {
  const sandbox = new SandboxProcessor(runtime);
  registerPaymentPages(app, runtime, sandbox);
  registerSandboxAdmin(app, runtime, sandbox);
  // Refunds of the sandbox's own payments are checked against their amount; others (a restarted process forgot them) are not.
  const acceptedAmount = (transactionId: string) =>
    sandbox.transactions.find((t) => t.transactionId === transactionId && t.decision === "ACCEPT")?.amount;
  registerSandboxRefunds(app, runtime, acceptedAmount, async (req) => {
    runtime.services.roles.requireSiteAdmin(await restUser(runtime, req));
  });
}

/** The buyer's side: the payment page and its buttons. */
function registerPaymentPages(app: FastifyInstance, runtime: Runtime, sandbox: SandboxProcessor) {
  const { profile } = runtime.config.cybersource;
  route(app, {
    method: "POST",
    url: "/sandbox/cybersource/pay",
    summary: "Sandbox hosted payment page (development only)",
    description: "Takes the signed request fields the storefront posts; 403 with CyberSource's text when the signature or keys are wrong.",
    tags: ["sandbox"],
    auth: "public",
    bodyType: "form",
    body: sandboxPayFormSchema,
    responses: { 200: { description: "The payment page, or the result form for a request CyberSource would refuse", contentType: "text/html" } },
    handler: async ({ body, reply }) => {
      const check = verifySignedRequest(body, profile);
      if (!check.ok) return refuse(reply);
      const problem = requestProblem(check.fields);
      if (problem) return deliver(sandbox, reply, check.fields, problem);
      if (sandbox.isDuplicate(check.fields)) return deliver(sandbox, reply, check.fields, DUPLICATE);
      return html(reply).send(paymentPage(check.fields, "/sandbox/cybersource/decide"));
    },
  });

  route(app, {
    method: "POST",
    url: "/sandbox/cybersource/decide",
    summary: "Sandbox payment decision (development only)",
    description: "The payment page's buttons post the signed request back with the chosen outcome; the signature is checked again.",
    tags: ["sandbox"],
    auth: "public",
    bodyType: "form",
    body: sandboxPayFormSchema,
    responses: { 200: { description: "A form that posts the signed result to the receipt page", contentType: "text/html" } },
    handler: async ({ body, reply }) => {
      const { sandbox_decision: choice, ...request } = body;
      const decision = sandboxDecisionSchema.safeParse(choice);
      const check = verifySignedRequest(request, profile);
      if (!check.ok || !decision.success) return refuse(reply);
      if (sandbox.isDuplicate(check.fields)) return deliver(sandbox, reply, check.fields, DUPLICATE);
      return deliver(sandbox, reply, check.fields, OUTCOMES[decision.data]);
    },
  });
}

/** Site admins' side: the transaction log (every buyer's name, e-mail and amount) and the merchant POST switches. */
function registerSandboxAdmin(app: FastifyInstance, runtime: Runtime, sandbox: SandboxProcessor) {
  const requireSiteAdmin = async (req: FastifyRequest) => {
    runtime.services.roles.requireSiteAdmin(await restUser(runtime, req));
  };

  route(app, {
    method: "GET",
    url: "/sandbox/cybersource/transactions",
    summary: "Sandbox transaction log (development only)",
    description: "Holds every buyer's name, e-mail and amount, so only site administrators may read it.",
    tags: ["sandbox"],
    auth: "admin",
    query: z.object({ reference: z.string().optional() }),
    responses: { 200: { description: `The latest ${LOG_LIMIT} decided transactions, oldest first, with their signed results and merchant POSTs` } },
    handler: async ({ req, query }) => {
      await requireSiteAdmin(req);
      return { transactions: sandbox.transactions.filter((t) => !query.reference || t.referenceNumber === query.reference) };
    },
  });

  route(app, {
    method: "POST",
    url: "/sandbox/cybersource/control",
    summary: "Sandbox switches for the merchant POST (development and tests only)",
    tags: ["sandbox"],
    auth: "admin",
    body: sandboxControlSchema,
    responses: { 200: { description: "The switches now in force", schema: sandboxControlSchema } },
    handler: async ({ req, body }) => {
      await requireSiteAdmin(req);
      sandbox.control = body;
      return sandbox.control;
    },
  });

  route(app, {
    method: "POST",
    url: "/sandbox/cybersource/control/release",
    summary: "Send every held merchant POST now (development and tests only)",
    tags: ["sandbox"],
    auth: "admin",
    responses: { 200: { description: "How many results were sent, once every copy was answered" } },
    handler: async ({ req }) => {
      await requireSiteAdmin(req);
      return { released: await sandbox.release() };
    },
  });
}
