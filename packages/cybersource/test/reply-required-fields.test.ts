import { describe, expect, it } from "vitest";
import { REQUIRED_SIGNED_REPLY_FIELDS, verifyReply } from "../src/index.ts";
import { profile, replyFields, signedWith } from "./reply-fixtures.ts";

/** Signs exactly `names` (plus signed_field_names) with `secret`, as a genuine reply would be signed. */
function signed(fields: Record<string, string>, names: string[], secret?: string): Record<string, string> {
  return signedWith(fields, [...names, "signed_field_names"].join(","), secret);
}

const everyField = Object.keys(replyFields);

describe("verifyReply: every required field must be signed", () => {
  it("accepts the reply when all of them are signed", () => {
    expect(verifyReply(signed(replyFields, everyField), profile).ok).toBe(true);
  });

  // Written out, not read from REQUIRED_SIGNED_REPLY_FIELDS: dropping a name there must fail a test here.
  const required = [
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
  ];

  it("lists the same required fields as the verifier", () => {
    expect([...REQUIRED_SIGNED_REPLY_FIELDS].sort()).toEqual([...required, "signed_field_names"].sort());
  });

  it.each(required)("refuses a correctly signed reply that leaves %s unsigned, naming it", (field) => {
    // The field is still posted (unsigned), so only the signed-field rule can refuse it.
    const result = verifyReply(signed(replyFields, everyField.filter((name) => name !== field)), profile);
    expect(result).toEqual({ ok: false, reason: `the reply does not sign ${field}` });
  });

  it("refuses a reply whose signed_field_names does not list itself", () => {
    const result = verifyReply(signedWith(replyFields, everyField.join(",")), profile);
    expect(result).toEqual({ ok: false, reason: "the reply does not sign signed_field_names" });
  });
});

describe("verifyReply: only our keys", () => {
  it("refuses a reply signed with our secret for another access key", () => {
    const other = { ...replyFields, req_access_key: "fedcba9876543210fedcba9876543210" };
    expect(verifyReply(signed(other, everyField), profile)).toEqual({
      ok: false,
      reason: "the reply is for another access key or profile",
    });
  });

  it("refuses a reply signed with our secret for another profile", () => {
    const other = { ...replyFields, req_profile_id: "11111111-2222-3333-4444-555555555555" };
    expect(verifyReply(signed(other, everyField), profile)).toEqual({
      ok: false,
      reason: "the reply is for another access key or profile",
    });
  });

  it("refuses a reply signed with another secret", () => {
    const reply = signed(replyFields, everyField, "another_secret_0123456789abcdef0123456789abcdef0123456789abcdef");
    expect(verifyReply(reply, profile)).toEqual({ ok: false, reason: "signature mismatch" });
  });

  it.each([
    ["req_amount", "25", true],
    ["req_amount", "25.5", true],
    ["req_amount", "25.005", false],
    ["req_amount", "-25.00", false],
    ["req_amount", "", false],
    ["req_currency", "usd", false],
    ["req_currency", "EURO", false],
    ["auth_amount", "1e3", false],
    ["decision", "APPROVE", false],
  ])("%s = %j is accepted: %s", (field, value, accepted) => {
    const result = verifyReply(signed({ ...replyFields, [field]: value }, everyField), profile);
    expect(result.ok).toBe(accepted);
  });
});

describe("verifyReply: each signed name once", () => {
  it("refuses a reply that lists a field twice, so the signed text can never outgrow the body", () => {
    const twice = [...everyField, "req_amount"];
    expect(verifyReply(signed(replyFields, twice), profile)).toEqual({ ok: false, reason: "signed_field_names lists a field twice" });
  });
});
