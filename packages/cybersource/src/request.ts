import type { SecureAcceptanceProfile } from "./profile.ts";
import { fieldNameList, formatSignedDateTime, signaturesEqual, signFields } from "./signature.ts";

export interface PaymentRequest {
  /** Our attempt's reference, shown to the customer and in Business Center (at most 50 characters). */
  referenceNumber: string;
  /** Unique per attempt (at most 50 characters); with the access key it is CyberSource's duplicate check. */
  transactionUuid: string;
  /** Decimal string with two places, e.g. "25.00". */
  amount: string;
  /** ISO 4217, e.g. "USD". */
  currency: string;
  locale?: string;
  /** Where the customer's browser posts the signed result. */
  receiptUrl: string;
  /** Where the browser posts a CANCEL result; the profile's page when unset. */
  cancelUrl?: string;
  billTo: { forename: string; surname: string; email: string };
  signedAt: Date;
}

const AMOUNT = /^\d{1,12}\.\d{2}$/;
const CURRENCY = /^[A-Z]{3}$/;

/**
 * Every field the browser posts to the hosted payment page, signed. Everything is listed in `signed_field_names`
 * (including `unsigned_field_names`, which stays empty), so the browser cannot change the amount, the currency, the
 * reference or where the result goes.
 */
export function buildPaymentFields(profile: SecureAcceptanceProfile, request: PaymentRequest): Record<string, string> {
  if (!AMOUNT.test(request.amount)) throw new Error(`amount must look like 25.00, got "${request.amount}"`);
  if (!CURRENCY.test(request.currency)) throw new Error(`currency must be three capital letters, got "${request.currency}"`);
  if (request.transactionUuid.length > 50 || request.referenceNumber.length > 50) {
    throw new Error("transaction uuid and reference number have at most 50 characters");
  }
  const fields: Record<string, string> = {
    access_key: profile.accessKey,
    profile_id: profile.profileId,
    transaction_uuid: request.transactionUuid,
    signed_field_names: "",
    unsigned_field_names: "",
    signed_date_time: formatSignedDateTime(request.signedAt),
    locale: request.locale ?? "en-us",
    transaction_type: "sale",
    reference_number: request.referenceNumber,
    amount: request.amount,
    currency: request.currency,
    override_custom_receipt_page: request.receiptUrl,
    ...(request.cancelUrl ? { override_custom_cancel_page: request.cancelUrl } : {}),
    // CyberSource's limits; a longer name would make the whole request fail with reason 102.
    bill_to_forename: request.billTo.forename.slice(0, 60),
    bill_to_surname: request.billTo.surname.slice(0, 60),
    bill_to_email: request.billTo.email.slice(0, 255),
  };
  fields.signed_field_names = Object.keys(fields).join(",");
  return { ...fields, signature: signFields(fields, profile.secretKey) };
}

export type SignedRequestCheck =
  | { ok: true; fields: Record<string, string> }
  | { ok: false; reason: string };

/**
 * What the hosted page checks before showing anything: our keys, a signature over `signed_field_names` (which must
 * list itself), and no field that is neither signed nor declared unsigned.
 */
export function verifySignedRequest(posted: Record<string, unknown>, profile: SecureAcceptanceProfile): SignedRequestCheck {
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(posted)) {
    if (typeof value !== "string") return { ok: false, reason: `field ${name} was sent more than once or is not text` };
    fields[name] = value;
  }
  if (fields.access_key !== profile.accessKey || fields.profile_id !== profile.profileId) {
    return { ok: false, reason: "unknown access key or profile" };
  }
  const signed = fieldNameList(fields.signed_field_names);
  if (!signed.includes("signed_field_names")) return { ok: false, reason: "signed_field_names does not list itself" };
  if (signed.some((name) => name === "" || name === "signature")) return { ok: false, reason: "malformed signed_field_names" };
  const unsigned = new Set(fieldNameList(fields.unsigned_field_names));
  for (const name of Object.keys(fields)) {
    if (name !== "signature" && !signed.includes(name) && !unsigned.has(name)) {
      return { ok: false, reason: `field ${name} is neither signed nor declared unsigned` };
    }
  }
  if (typeof fields.signature !== "string" || !signaturesEqual(signFields(fields, profile.secretKey), fields.signature)) {
    return { ok: false, reason: "signature mismatch" };
  }
  return { ok: true, fields };
}
