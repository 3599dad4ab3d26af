import { randomBytes, randomInt } from "node:crypto";
import type { SecureAcceptanceProfile } from "./profile.ts";
import { fieldNameList, formatSignedDateTime, signaturesEqual, signFields } from "./signature.ts";

export const DECISIONS = ["ACCEPT", "DECLINE", "REVIEW", "CANCEL", "ERROR"] as const;
export type Decision = (typeof DECISIONS)[number];

/**
 * A reply must sign these, or it is refused: otherwise the browser could post our own signed request fields plus an
 * unsigned `decision=ACCEPT`, and the signature over the request part would still check out (cybersource.md §0).
 */
export const REQUIRED_SIGNED_REPLY_FIELDS = [
  "decision",
  "reason_code",
  "transaction_id",
  "req_reference_number",
  "req_amount",
  "req_currency",
  "req_transaction_uuid",
  "req_transaction_type",
  "req_profile_id",
  "req_access_key",
  "signed_date_time",
  "signed_field_names",
] as const;

/** A reply whose signature, keys and required fields checked out; every value here was signed. */
export interface VerifiedReply {
  decision: Decision;
  reasonCode: string;
  transactionId: string;
  referenceNumber: string;
  transactionUuid: string;
  amount: string;
  currency: string;
  /** What the card issuer actually authorized; null unless signed. Less than `amount` is a partial approval. */
  authAmount: string | null;
  message: string | null;
  signedDateTime: string;
  /** The signed fields only. */
  fields: Record<string, string>;
}

export type ReplyCheck = { ok: true; reply: VerifiedReply } | { ok: false; reason: string };

const AMOUNT = /^\d{1,12}(\.\d{1,2})?$/;

/**
 * Strict verification (cybersource.md §4.3, §6): every value is single text, the required fields are all signed,
 * the signature matches in constant time, and the reply is for our access key and profile. Only signed values are read.
 */
export function verifyReply(posted: Record<string, unknown>, profile: SecureAcceptanceProfile): ReplyCheck {
  const all: Record<string, string> = {};
  for (const [name, value] of Object.entries(posted)) {
    if (typeof value !== "string") return { ok: false, reason: `field ${name} was sent more than once or is not text` };
    all[name] = value;
  }
  if (!all.signature) return { ok: false, reason: "the reply has no signature" };
  const names = fieldNameList(all.signed_field_names);
  if (names.some((name) => name === "" || name === "signature")) return { ok: false, reason: "malformed signed_field_names" };
  // Each name once: the signed text then never outgrows the posted body, however large that is.
  if (new Set(names).size !== names.length) return { ok: false, reason: "signed_field_names lists a field twice" };
  const missing = REQUIRED_SIGNED_REPLY_FIELDS.filter((name) => !names.includes(name));
  if (missing.length > 0) return { ok: false, reason: `the reply does not sign ${missing.join(", ")}` };
  if (!signaturesEqual(signFields(all, profile.secretKey), all.signature)) return { ok: false, reason: "signature mismatch" };

  const signed: Record<string, string> = {};
  for (const name of names) signed[name] = all[name] ?? "";
  if (signed.req_access_key !== profile.accessKey || signed.req_profile_id !== profile.profileId) {
    return { ok: false, reason: "the reply is for another access key or profile" };
  }
  if (signed.req_transaction_type !== "sale") return { ok: false, reason: "the reply is not for a sale" };
  const decision = signed.decision as Decision;
  if (!DECISIONS.includes(decision)) return { ok: false, reason: `unknown decision "${signed.decision}"` };
  if (!AMOUNT.test(signed.req_amount ?? "")) return { ok: false, reason: "malformed req_amount" };
  if (!/^[A-Z]{3}$/.test(signed.req_currency ?? "")) return { ok: false, reason: "malformed req_currency" };
  const authAmount = names.includes("auth_amount") && signed.auth_amount !== "" ? (signed.auth_amount ?? null) : null;
  if (authAmount !== null && !AMOUNT.test(authAmount)) return { ok: false, reason: "malformed auth_amount" };

  return {
    ok: true,
    reply: {
      decision,
      reasonCode: signed.reason_code ?? "",
      transactionId: signed.transaction_id ?? "",
      referenceNumber: signed.req_reference_number ?? "",
      transactionUuid: signed.req_transaction_uuid ?? "",
      amount: signed.req_amount ?? "",
      currency: signed.req_currency ?? "",
      authAmount,
      message: names.includes("message") ? (signed.message ?? null) : null,
      signedDateTime: signed.signed_date_time ?? "",
      fields: signed,
    },
  };
}

export interface ReplyOutcome {
  decision: Decision;
  reasonCode: string;
  message?: string;
  /** For an ACCEPT: what was authorized; the requested amount when unset. */
  authAmount?: string;
  /** A fixed transaction id (tests replaying one transaction); 22 random digits when unset. */
  transactionId?: string;
  /** Extra signed fields, e.g. `invalid_fields` for reason 102. */
  extraFields?: Record<string, string>;
}

const DEFAULT_MESSAGES: Record<Decision, string> = {
  ACCEPT: "Request was processed successfully.",
  DECLINE: "Request was rejected.",
  REVIEW: "Decision is REVIEW.",
  CANCEL: "The consumer cancelled the transaction.",
  ERROR: "General system failure.",
};

const NOT_ECHOED = new Set(["signature", "signed_field_names", "unsigned_field_names", "signed_date_time"]);

function digits(count: number): string {
  return Array.from({ length: count }, () => randomInt(10)).join("");
}

/** `YYYY-MM-DDThhmmssZ`: the authorization time format, which has no colons. */
function authTime(at: Date): string {
  return formatSignedDateTime(at).replace(/:/g, "");
}

/**
 * The signed reply the hosted page sends for a request (cybersource.md §7 step 5): every request field echoed as
 * `req_<name>` (card numbers masked), the result, ids, authorization data on approval, signed with the same secret.
 */
export function buildReply(
  profile: SecureAcceptanceProfile,
  requestFields: Record<string, string>,
  outcome: ReplyOutcome,
  now: Date,
): Record<string, string> {
  const transactionId = outcome.transactionId ?? digits(22);
  const reply: Record<string, string> = {};
  for (const [name, value] of Object.entries(requestFields)) {
    if (NOT_ECHOED.has(name)) continue;
    reply[`req_${name}`] = name === "card_number" ? `${"x".repeat(Math.max(0, value.length - 4))}${value.slice(-4)}` : value;
  }
  reply.transaction_id = transactionId;
  reply.decision = outcome.decision;
  reply.reason_code = outcome.reasonCode;
  reply.message = outcome.message ?? DEFAULT_MESSAGES[outcome.decision];
  reply.request_token = `Ax${randomBytes(24).toString("base64url")}`;
  if (outcome.decision === "ACCEPT") {
    reply.auth_amount = outcome.authAmount ?? requestFields.amount ?? "";
    reply.auth_code = digits(6);
    reply.auth_time = authTime(now);
    reply.auth_trans_ref_no = transactionId;
    reply.auth_response = outcome.reasonCode === "110" ? "010" : "00";
    reply.auth_avs_code = "X";
    reply.bill_trans_ref_no = transactionId;
  }
  Object.assign(reply, outcome.extraFields ?? {});
  reply.signed_date_time = formatSignedDateTime(now);
  reply.signed_field_names = "";
  reply.signed_field_names = Object.keys(reply).join(",");
  reply.signature = signFields(reply, profile.secretKey);
  reply.utf8 = "✓";
  return reply;
}
