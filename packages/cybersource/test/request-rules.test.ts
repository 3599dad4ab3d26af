import { describe, expect, it } from "vitest";
import { buildPaymentFields, signFields, verifySignedRequest, type PaymentRequest, type SecureAcceptanceProfile } from "../src/index.ts";

const profile: SecureAcceptanceProfile = {
  url: "https://testsecureacceptance.cybersource.com/pay",
  accessKey: "0123456789abcdef0123456789abcdef",
  profileId: "0FFEAFFB-8171-4F34-A22D-1CD38A28A384",
  secretKey: "test_secret_key_0123456789abcdef0123456789abcdef0123456789abcdef",
};

const request: PaymentRequest = {
  referenceNumber: "R-1",
  transactionUuid: "U-1",
  amount: "25.00",
  currency: "USD",
  receiptUrl: "https://tickets.example.edu/api/tickets/payment_complete/",
  billTo: { forename: "Ada", surname: "Lovelace", email: "ada@example.edu" },
  signedAt: new Date("2026-01-25T17:38:11Z"),
};

describe("buildPaymentFields: amount and currency formats (cybersource.md §2)", () => {
  it.each([
    ["0.00", true],
    ["25.00", true],
    ["999999999999.99", true],
    ["25", false],
    ["25.0", false],
    ["25.001", false],
    ["25.00 ", false],
    [" 25.00", false],
    ["-1.00", false],
    ["1,000.00", false],
    ["1e3", false],
    ["1000000000000.00", false],
  ])("amount %j is accepted: %s", (amount, accepted) => {
    const build = () => buildPaymentFields(profile, { ...request, amount });
    if (accepted) expect(build().amount).toBe(amount);
    else expect(build).toThrow(`amount must look like 25.00, got "${amount}"`);
  });

  it.each([
    ["USD", true],
    ["EUR", true],
    ["usd", false],
    ["US", false],
    ["USDX", false],
    ["XUSD", false],
    ["US1", false],
  ])("currency %j is accepted: %s", (currency, accepted) => {
    const build = () => buildPaymentFields(profile, { ...request, currency });
    if (accepted) expect(build().currency).toBe(currency);
    else expect(build).toThrow(`currency must be three capital letters, got "${currency}"`);
  });
});

describe("buildPaymentFields: lengths", () => {
  const fifty = "u".repeat(50);

  it.each([
    ["transactionUuid", fifty, true],
    ["transactionUuid", `${fifty}u`, false],
    ["referenceNumber", fifty, true],
    ["referenceNumber", `${fifty}r`, false],
  ] as const)("%s of %i characters is accepted: %s", (field, value, accepted) => {
    const build = () => buildPaymentFields(profile, { ...request, [field]: value });
    if (accepted) expect(build()).toMatchObject({ [field === "transactionUuid" ? "transaction_uuid" : "reference_number"]: value });
    else expect(build).toThrow("transaction uuid and reference number have at most 50 characters");
  });

  it("cuts names to 60 characters and the e-mail to 255, and signs what it sends", () => {
    const long = { forename: "F".repeat(70), surname: "S".repeat(61), email: `${"e".repeat(300)}@example.edu` };
    const fields = buildPaymentFields(profile, { ...request, billTo: long });
    expect(fields.bill_to_forename).toBe("F".repeat(60));
    expect(fields.bill_to_surname).toBe("S".repeat(60));
    expect(fields.bill_to_email).toBe("e".repeat(255));
    expect(verifySignedRequest(fields, profile)).toMatchObject({ ok: true });
  });
});

describe("buildPaymentFields: the signed field list", () => {
  const base = [
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
    "override_custom_receipt_page",
  ];
  const billTo = ["bill_to_forename", "bill_to_surname", "bill_to_email"];

  it.each([
    ["without a cancel page", undefined, [...base, ...billTo]],
    ["with a cancel page", "https://tickets.example.edu/cancel", [...base, "override_custom_cancel_page", ...billTo]],
  ])("%s signs exactly, in order: %j", (_what, cancelUrl, names) => {
    const fields = buildPaymentFields(profile, { ...request, ...(cancelUrl ? { cancelUrl } : {}) });
    expect(fields.signed_field_names).toBe(names.join(","));
    expect(Object.keys(fields)).toEqual([...names, "signature"]);
    expect(fields.override_custom_cancel_page).toBe(cancelUrl);
    expect(fields).toMatchObject({ transaction_type: "sale", locale: "en-us", unsigned_field_names: "" });
    expect(fields.signature).toBe(signFields(fields, profile.secretKey));
  });

  it("uses the locale it is given", () => {
    expect(buildPaymentFields(profile, { ...request, locale: "fr-ca" }).locale).toBe("fr-ca");
  });
});

describe("verifySignedRequest: each refusal says why", () => {
  const signedRequest = buildPaymentFields(profile, request);

  /** Re-signs `fields` as they stand, so only the rule under test can refuse them. */
  const resign = (fields: Record<string, string>) => ({ ...fields, signature: signFields(fields, profile.secretKey) });
  const { signature: _signature, ...unsignedRequest } = signedRequest;

  it.each<[string, Record<string, unknown>, string]>([
    ["a field sent twice", { ...signedRequest, amount: ["25.00", "0.01"] }, "field amount was sent more than once or is not text"],
    ["another access key", resign({ ...unsignedRequest, access_key: "fedcba9876543210fedcba9876543210" }), "unknown access key or profile"],
    ["another profile id", resign({ ...unsignedRequest, profile_id: "11111111-2222-3333-4444-555555555555" }), "unknown access key or profile"],
    [
      "no signed_field_names at all",
      (() => {
        const { signed_field_names: _names, ...rest } = unsignedRequest;
        return resign(rest);
      })(),
      "signed_field_names does not list itself",
    ],
    [
      "an empty name in signed_field_names",
      resign({ ...unsignedRequest, signed_field_names: `${unsignedRequest.signed_field_names},` }),
      "malformed signed_field_names",
    ],
    [
      "signature listed as signed",
      resign({ ...unsignedRequest, signed_field_names: `${unsignedRequest.signed_field_names},signature` }),
      "malformed signed_field_names",
    ],
    [
      "a field neither signed nor declared unsigned",
      { ...signedRequest, card_number: "4111111111111111" },
      "field card_number is neither signed nor declared unsigned",
    ],
    ["no signature", unsignedRequest, "signature mismatch"],
    ["a changed amount", { ...signedRequest, amount: "0.01" }, "signature mismatch"],
    ["a truncated signature", { ...signedRequest, signature: signedRequest.signature!.slice(0, 20) }, "signature mismatch"],
  ])("refuses %s", (_what, posted, reason) => {
    expect(verifySignedRequest(posted, profile)).toEqual({ ok: false, reason });
  });

  it("accepts a field declared in a signed unsigned_field_names, such as a typed card number", () => {
    const fields = resign({ ...unsignedRequest, unsigned_field_names: "card_number,card_cvn" });
    const posted = { ...fields, card_number: "4111111111111111", card_cvn: "123" };
    expect(verifySignedRequest(posted, profile)).toEqual({ ok: true, fields: posted });
  });
});
