import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * The string Secure Acceptance signs: `name=value` for each name of `signed_field_names`, in that order, joined with
 * commas, nothing escaped. A listed name that is absent contributes `name=`, as CyberSource's own samples do.
 */
export function dataToSign(fields: Record<string, string>): string {
  const names = (fields.signed_field_names ?? "").split(",");
  return names.map((name) => `${name}=${fields[name] ?? ""}`).join(",");
}

/** base64(HMAC-SHA256(secret as UTF-8 text, data string)): the `signature` of a request or a reply. */
export function signFields(fields: Record<string, string>, secretKey: string): string {
  return createHmac("sha256", Buffer.from(secretKey, "utf8")).update(dataToSign(fields), "utf8").digest("base64");
}

/** Compares two signatures without leaking, through timing, how many leading characters matched. */
export function signaturesEqual(expected: string, given: string): boolean {
  const a = Buffer.from(expected, "utf8");
  const b = Buffer.from(given, "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}

/** `YYYY-MM-DDThh:mm:ssZ` in UTC, no milliseconds: the only `signed_date_time` format CyberSource accepts. */
export function formatSignedDateTime(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, "Z");
}

export const SIGNED_DATE_TIME_PATTERN = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

/** The comma-separated list as names; empty entries are kept so a malformed list can be refused, not repaired. */
export function fieldNameList(csv: string | undefined): string[] {
  return csv === undefined || csv === "" ? [] : csv.split(",");
}
