import { describe, expect, it } from "vitest";
import { buildPaymentFields, buildReply, signFields, verifyReply, type SecureAcceptanceProfile } from "../src/index.ts";

const SECRET = "test_secret_key_0123456789abcdef0123456789abcdef0123456789abcdef";
const profile: SecureAcceptanceProfile = {
  url: "https://testsecureacceptance.cybersource.com/pay",
  accessKey: "0123456789abcdef0123456789abcdef",
  profileId: "0FFEAFFB-8171-4F34-A22D-1CD38A28A384",
  secretKey: SECRET,
};

/** The reply vector of cybersource.md §3. */
const replyVector: Record<string, string> = {
  transaction_id: "7691258237956070304951",
  decision: "ACCEPT",
  req_access_key: "0123456789abcdef0123456789abcdef",
  req_profile_id: "0FFEAFFB-8171-4F34-A22D-1CD38A28A384",
  req_transaction_uuid: "2f1d7c36-8e0b-4a51-9c57-3b1b2f6d9e10",
  req_transaction_type: "sale",
  req_reference_number: "2f1d7c36-8e0b-4a51-9c57-3b1b2f6d9e10",
  req_amount: "25.00",
  req_currency: "USD",
  req_locale: "en-us",
  req_payment_method: "card",
  req_override_custom_receipt_page: "https://tickets.example.edu/api/tickets/payment_complete/",
  req_bill_to_forename: "Ada",
  req_bill_to_surname: "Lovelace",
  req_bill_to_email: "ada@example.edu",
  req_card_number: "xxxxxxxxxxxx1111",
  req_card_type: "001",
  req_card_expiry_date: "12-2030",
  message: "Request was processed successfully.",
  reason_code: "100",
  auth_avs_code: "X",
  auth_avs_code_raw: "I1",
  auth_response: "100",
  auth_amount: "25.00",
  auth_code: "888888",
  auth_trans_ref_no: "7691258237956070304951",
  auth_time: "2026-01-25T173900Z",
  request_token: "Axj/7wSTexample",
  bill_trans_ref_no: "7691258237956070304951",
  signed_field_names:
    "transaction_id,decision,req_access_key,req_profile_id,req_transaction_uuid,req_transaction_type,req_reference_number,req_amount,req_currency,req_locale,req_payment_method,req_override_custom_receipt_page,req_bill_to_forename,req_bill_to_surname,req_bill_to_email,req_card_number,req_card_type,req_card_expiry_date,message,reason_code,auth_avs_code,auth_avs_code_raw,auth_response,auth_amount,auth_code,auth_trans_ref_no,auth_time,request_token,bill_trans_ref_no,signed_field_names,signed_date_time",
  signed_date_time: "2026-01-25T17:39:00Z",
};
const signedReply = { ...replyVector, signature: "+AlPUvkNvIGZEm2xgU2r08iDZz9q3Db4rYwamN2d2xo=", utf8: "✓" };

describe("verifyReply", () => {
  it("computes the reply vector's signature", () => {
    expect(signFields(replyVector, SECRET)).toBe("+AlPUvkNvIGZEm2xgU2r08iDZz9q3Db4rYwamN2d2xo=");
  });

  it("accepts the reply vector and reads only signed values", () => {
    const result = verifyReply(signedReply, profile);
    expect(result).toMatchObject({
      ok: true,
      reply: {
        decision: "ACCEPT",
        reasonCode: "100",
        transactionId: "7691258237956070304951",
        referenceNumber: "2f1d7c36-8e0b-4a51-9c57-3b1b2f6d9e10",
        transactionUuid: "2f1d7c36-8e0b-4a51-9c57-3b1b2f6d9e10",
        amount: "25.00",
        currency: "USD",
        authAmount: "25.00",
        message: "Request was processed successfully.",
        signedDateTime: "2026-01-25T17:39:00Z",
      },
    });
    if (result.ok) expect(result.reply.fields).not.toHaveProperty("utf8");
  });

  it("refuses the vector with decision changed to DECLINE", () => {
    expect(verifyReply({ ...signedReply, decision: "DECLINE" }, profile)).toEqual({ ok: false, reason: "signature mismatch" });
  });

  it("refuses the forgery: our own signed request plus unsigned decision=ACCEPT and req_ fields", () => {
    const request = buildPaymentFields(profile, {
      referenceNumber: "R-1",
      transactionUuid: "U-1",
      amount: "25.00",
      currency: "USD",
      receiptUrl: "https://tickets.example.edu/api/tickets/payment_complete/",
      billTo: { forename: "Ada", surname: "Lovelace", email: "ada@example.edu" },
      signedAt: new Date("2026-01-25T17:38:11Z"),
    });
    const forged: Record<string, string> = {
      ...request,
      decision: "ACCEPT",
      reason_code: "100",
      transaction_id: "1",
      req_transaction_uuid: "U-1",
      req_reference_number: "R-1",
      req_amount: "25.00",
      req_currency: "USD",
      req_access_key: profile.accessKey,
      req_profile_id: profile.profileId,
      req_transaction_type: "sale",
    };
    // A naive verifier (signature over whatever signed_field_names says) would accept this.
    expect(signFields(forged, SECRET)).toBe(forged.signature);
    const result = verifyReply(forged, profile);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain("does not sign decision");
  });

  it("refuses duplicated fields, a missing signature, another profile and a reply that is not a sale", () => {
    expect(verifyReply({ ...signedReply, decision: ["ACCEPT", "DECLINE"] }, profile).ok).toBe(false);
    const { signature: _s, ...unsigned } = signedReply;
    expect(verifyReply(unsigned, profile)).toEqual({ ok: false, reason: "the reply has no signature" });
    expect(verifyReply(signedReply, { ...profile, profileId: "OTHER" }).ok).toBe(false);
    const authorization = { ...replyVector, req_transaction_type: "authorization" };
    expect(verifyReply({ ...authorization, signature: signFields(authorization, SECRET) }, profile)).toEqual({
      ok: false,
      reason: "the reply is not for a sale",
    });
  });

  it("does not read auth_amount unless it is signed", () => {
    const names = replyVector.signed_field_names!.split(",").filter((n) => n !== "auth_amount").join(",");
    const fields = { ...replyVector, signed_field_names: names };
    const result = verifyReply({ ...fields, signature: signFields(fields, SECRET), auth_amount: "25.00" }, profile);
    expect(result.ok && result.reply.authAmount).toBeNull();
  });
});

describe("buildReply (what the sandbox sends)", () => {
  const request = buildPaymentFields(profile, {
    referenceNumber: "R-2",
    transactionUuid: "U-2",
    amount: "40.00",
    currency: "USD",
    receiptUrl: "https://tickets.example.edu/api/tickets/payment_complete/",
    billTo: { forename: "Ada", surname: "Lovelace", email: "ada@example.edu" },
    signedAt: new Date("2026-01-25T17:38:11Z"),
  });

  it("signs a reply that verifyReply accepts, echoing the request as req_ fields", () => {
    const reply = buildReply(profile, request, { decision: "ACCEPT", reasonCode: "100" }, new Date("2026-01-25T17:39:00.500Z"));
    expect(reply).toMatchObject({
      req_reference_number: "R-2",
      req_amount: "40.00",
      auth_amount: "40.00",
      signed_date_time: "2026-01-25T17:39:00Z",
      auth_time: "2026-01-25T173900Z",
      utf8: "✓",
    });
    expect(reply.transaction_id).toMatch(/^\d{22}$/);
    expect(reply.signed_field_names!.split(",")).not.toContain("utf8");
    expect(reply).not.toHaveProperty("req_signature");
    const result = verifyReply(reply, profile);
    expect(result).toMatchObject({ ok: true, reply: { decision: "ACCEPT", amount: "40.00", authAmount: "40.00" } });
  });

  it("carries no authorization data on a decline and can report a partial approval", () => {
    const declined = buildReply(profile, request, { decision: "DECLINE", reasonCode: "203" }, new Date());
    expect(declined).not.toHaveProperty("auth_amount");
    expect(verifyReply(declined, profile)).toMatchObject({ ok: true, reply: { decision: "DECLINE", authAmount: null } });
    const partial = buildReply(profile, request, { decision: "ACCEPT", reasonCode: "110", authAmount: "10.00" }, new Date());
    expect(verifyReply(partial, profile)).toMatchObject({ ok: true, reply: { reasonCode: "110", authAmount: "10.00" } });
  });
});
