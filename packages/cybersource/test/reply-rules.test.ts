import { describe, expect, it } from "vitest";
import { buildPaymentFields, buildReply, DECISIONS, signFields, verifyReply, type Decision } from "../src/index.ts";
import { profile, replyFields, signedWith } from "./reply-fixtures.ts";

const everyField = [...Object.keys(replyFields), "signed_field_names"];
const signed = (fields: Record<string, string>) => signedWith(fields, everyField.join(","));

describe("verifyReply: each refusal says why", () => {
  it.each<[string, Record<string, unknown>, string]>([
    ["a field sent twice", { ...signed(replyFields), decision: ["ACCEPT", "DECLINE"] }, "field decision was sent more than once or is not text"],
    ["a field that is not text", { ...signed(replyFields), req_amount: 25 }, "field req_amount was sent more than once or is not text"],
    ["an empty name in signed_field_names", signedWith(replyFields, `${everyField.join(",")},`), "malformed signed_field_names"],
    ["two commas in a row", signedWith(replyFields, everyField.join(",,")), "malformed signed_field_names"],
    ["signature listed as signed", signedWith(replyFields, `${everyField.join(",")},signature`), "malformed signed_field_names"],
    [
      "an empty signed_field_names",
      signedWith(replyFields, ""),
      "the reply does not sign decision, reason_code, transaction_id, req_reference_number, req_amount, req_currency, req_transaction_uuid, req_transaction_type, req_profile_id, req_access_key, signed_date_time, signed_field_names",
    ],
    [
      "two required fields left unsigned",
      signedWith(replyFields, everyField.filter((name) => name !== "decision" && name !== "req_amount").join(",")),
      "the reply does not sign decision, req_amount",
    ],
    ["a truncated signature", { ...signed(replyFields), signature: signed(replyFields).signature!.slice(0, 43) }, "signature mismatch"],
    ["an unknown decision", signed({ ...replyFields, decision: "APPROVE" }), 'unknown decision "APPROVE"'],
    ["a lower-case decision", signed({ ...replyFields, decision: "accept" }), 'unknown decision "accept"'],
    ["an amount with three decimals", signed({ ...replyFields, req_amount: "25.005" }), "malformed req_amount"],
    ["a negative amount", signed({ ...replyFields, req_amount: "-25.00" }), "malformed req_amount"],
    ["an empty amount", signed({ ...replyFields, req_amount: "" }), "malformed req_amount"],
    ["a lower-case currency", signed({ ...replyFields, req_currency: "usd" }), "malformed req_currency"],
    ["a four-letter currency", signed({ ...replyFields, req_currency: "USDX" }), "malformed req_currency"],
    ["an authorized amount in another notation", signed({ ...replyFields, auth_amount: "2.5e1" }), "malformed auth_amount"],
    ["an authorized amount with three decimals", signed({ ...replyFields, auth_amount: "25.001" }), "malformed auth_amount"],
  ])("refuses %s", (_what, posted, reason) => {
    expect(verifyReply(posted, profile)).toEqual({ ok: false, reason });
  });

  it.each(DECISIONS)("accepts the decision %s", (decision) => {
    expect(verifyReply(signed({ ...replyFields, decision }), profile)).toMatchObject({ ok: true, reply: { decision } });
  });
});

describe("verifyReply: what it reads", () => {
  it("reads a signed but empty auth_amount as no authorization", () => {
    const declined = signed({ ...replyFields, decision: "DECLINE", reason_code: "203", auth_amount: "" });
    expect(verifyReply(declined, profile)).toMatchObject({ ok: true, reply: { decision: "DECLINE", authAmount: null } });
  });

  it("reads a listed but absent field as empty, the value it was signed with", () => {
    const { message: _message, ...withoutMessage } = replyFields;
    const result = verifyReply(signedWith(withoutMessage, everyField.join(",")), profile);
    expect(result).toMatchObject({ ok: true, reply: { message: "" } });
    if (result.ok) expect(result.reply.fields.message).toBe("");
  });

  it("does not read an unsigned message, and keeps only signed fields", () => {
    const names = everyField.filter((name) => name !== "message").join(",");
    const result = verifyReply({ ...signedWith(replyFields, names), utf8: "✓" }, profile);
    expect(result).toMatchObject({ ok: true, reply: { message: null } });
    if (result.ok) expect(Object.keys(result.reply.fields).sort()).toEqual(names.split(",").sort());
  });

  it("returns every required value from the signed fields", () => {
    expect(verifyReply(signed(replyFields), profile)).toEqual({
      ok: true,
      reply: {
        decision: "ACCEPT",
        reasonCode: "100",
        transactionId: "7691258237956070304951",
        referenceNumber: "R-7",
        transactionUuid: "2f1d7c36-8e0b-4a51-9c57-3b1b2f6d9e10",
        amount: "25.00",
        currency: "USD",
        authAmount: "25.00",
        message: "Request was processed successfully.",
        signedDateTime: "2026-01-25T17:39:00Z",
        fields: { ...replyFields, signed_field_names: everyField.join(",") },
      },
    });
  });
});

describe("buildReply (the sandbox's reply, cybersource.md §7 step 5)", () => {
  const request = buildPaymentFields(profile, {
    referenceNumber: "R-2",
    transactionUuid: "U-2",
    amount: "40.00",
    currency: "USD",
    receiptUrl: "https://tickets.example.edu/api/tickets/payment_complete/",
    billTo: { forename: "Ada", surname: "Lovelace", email: "ada@example.edu" },
    signedAt: new Date("2026-01-25T17:38:11Z"),
  });
  const at = new Date("2026-01-25T17:39:00Z");

  it.each<[Decision, string]>([
    ["ACCEPT", "Request was processed successfully."],
    ["DECLINE", "Request was rejected."],
    ["REVIEW", "Decision is REVIEW."],
    ["CANCEL", "The consumer cancelled the transaction."],
    ["ERROR", "General system failure."],
  ])("a %s carries the message %j unless one is given", (decision, message) => {
    expect(buildReply(profile, request, { decision, reasonCode: "100" }, at).message).toBe(message);
    expect(buildReply(profile, request, { decision, reasonCode: "100", message: "Custom." }, at).message).toBe("Custom.");
  });

  it("echoes every request field as req_<name> except the signature fields, and signs every field but utf8", () => {
    const reply = buildReply(profile, request, { decision: "ACCEPT", reasonCode: "100", transactionId: "1234" }, at);
    const echoed = Object.keys(reply).filter((name) => name.startsWith("req_"));
    expect(echoed).toEqual([
      "req_access_key",
      "req_profile_id",
      "req_transaction_uuid",
      "req_locale",
      "req_transaction_type",
      "req_reference_number",
      "req_amount",
      "req_currency",
      "req_override_custom_receipt_page",
      "req_bill_to_forename",
      "req_bill_to_surname",
      "req_bill_to_email",
    ]);
    for (const name of echoed) expect(reply[name]).toBe(request[name.slice(4)]);
    expect(reply.signed_field_names!.split(",")).toEqual(Object.keys(reply).filter((name) => name !== "signature" && name !== "utf8"));
    expect(reply.signature).toBe(signFields(reply, profile.secretKey));
  });

  it("carries the authorization data of an approval", () => {
    const reply = buildReply(profile, request, { decision: "ACCEPT", reasonCode: "100", transactionId: "7691258237956070304951" }, at);
    expect(reply).toMatchObject({
      transaction_id: "7691258237956070304951",
      decision: "ACCEPT",
      reason_code: "100",
      auth_amount: "40.00",
      auth_time: "2026-01-25T173900Z",
      auth_trans_ref_no: "7691258237956070304951",
      bill_trans_ref_no: "7691258237956070304951",
      auth_response: "00",
      auth_avs_code: "X",
    });
    expect(reply.auth_code).toMatch(/^\d{6}$/);
    expect(reply.request_token).toMatch(/^Ax[A-Za-z0-9_-]{32}$/);
  });

  it("marks a partial approval (110) in auth_response", () => {
    const reply = buildReply(profile, request, { decision: "ACCEPT", reasonCode: "110", authAmount: "10.00" }, at);
    expect(reply).toMatchObject({ auth_amount: "10.00", auth_response: "010" });
  });

  it("has a request token but no authorization data on a decline", () => {
    const reply = buildReply(profile, request, { decision: "DECLINE", reasonCode: "203" }, at);
    expect(reply.request_token).toMatch(/^Ax[A-Za-z0-9_-]{32}$/);
    for (const name of ["auth_amount", "auth_code", "auth_time", "auth_trans_ref_no", "auth_response", "auth_avs_code", "bill_trans_ref_no"]) {
      expect(reply).not.toHaveProperty(name);
    }
  });

  it("signs extra fields such as invalid_fields", () => {
    const reply = buildReply(profile, request, { decision: "ERROR", reasonCode: "102", extraFields: { invalid_fields: "bill_to_email" } }, at);
    expect(reply.invalid_fields).toBe("bill_to_email");
    expect(reply.signed_field_names!.split(",")).toContain("invalid_fields");
    expect(verifyReply(reply, profile)).toMatchObject({ ok: true, reply: { fields: { invalid_fields: "bill_to_email" } } });
  });

  it.each([
    ["4111111111111111", "xxxxxxxxxxxx1111"],
    ["378282246310005", "xxxxxxxxxxx0005"],
    ["1111", "1111"],
    ["123", "123"],
  ])("masks the card number %s as %s", (cardNumber, masked) => {
    const reply = buildReply(profile, { ...request, card_number: cardNumber }, { decision: "ACCEPT", reasonCode: "100" }, at);
    expect(reply.req_card_number).toBe(masked);
  });

  it("authorizes the empty amount when the request had none and no amount is given", () => {
    const { amount: _amount, ...withoutAmount } = request;
    expect(buildReply(profile, withoutAmount, { decision: "ACCEPT", reasonCode: "100" }, at).auth_amount).toBe("");
  });
});
