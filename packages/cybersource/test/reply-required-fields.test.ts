import { describe, expect, it } from "vitest";
import { REQUIRED_SIGNED_REPLY_FIELDS, signFields, verifyReply, type SecureAcceptanceProfile } from "../src/index.ts";

const profile: SecureAcceptanceProfile = {
  url: "https://testsecureacceptance.cybersource.com/pay",
  accessKey: "0123456789abcdef0123456789abcdef",
  profileId: "0FFEAFFB-8171-4F34-A22D-1CD38A28A384",
  secretKey: "test_secret_key_0123456789abcdef0123456789abcdef0123456789abcdef",
};

const replyFields: Record<string, string> = {
  transaction_id: "7691258237956070304951",
  decision: "ACCEPT",
  reason_code: "100",
  req_access_key: profile.accessKey,
  req_profile_id: profile.profileId,
  req_transaction_uuid: "2f1d7c36-8e0b-4a51-9c57-3b1b2f6d9e10",
  req_transaction_type: "sale",
  req_reference_number: "R-7",
  req_amount: "25.00",
  req_currency: "USD",
  auth_amount: "25.00",
  message: "Request was processed successfully.",
  signed_date_time: "2026-01-25T17:39:00Z",
};

/** Signs exactly `names` (plus signed_field_names) with `secret`, as a genuine reply would be signed. */
function signed(fields: Record<string, string>, names: string[], secret = profile.secretKey): Record<string, string> {
  const reply = { ...fields, signed_field_names: [...names, "signed_field_names"].join(",") };
  return { ...reply, signature: signFields(reply, secret) };
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
    const reply = { ...replyFields, signed_field_names: everyField.join(",") };
    const result = verifyReply({ ...reply, signature: signFields(reply, profile.secretKey) }, profile);
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
