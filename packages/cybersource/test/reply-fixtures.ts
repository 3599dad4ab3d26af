import { signFields, type SecureAcceptanceProfile } from "../src/index.ts";

/** The test profile of the reply tests (cybersource.md's vector keys). */
export const profile: SecureAcceptanceProfile = {
  url: "https://testsecureacceptance.cybersource.com/pay",
  accessKey: "0123456789abcdef0123456789abcdef",
  profileId: "0FFEAFFB-8171-4F34-A22D-1CD38A28A384",
  secretKey: "test_secret_key_0123456789abcdef0123456789abcdef0123456789abcdef",
};

/** A genuine ACCEPT reply for `profile`, before signing: every required field and an authorization. */
export const replyFields: Record<string, string> = {
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

/** Signs `fields` with `names` as signed_field_names, exactly as given (no repair), with `secret`. */
export function signedWith(fields: Record<string, string>, names: string, secret = profile.secretKey): Record<string, string> {
  const reply = { ...fields, signed_field_names: names };
  return { ...reply, signature: signFields(reply, secret) };
}
