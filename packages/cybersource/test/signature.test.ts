import { describe, expect, it } from "vitest";
import { buildPaymentFields, dataToSign, formatSignedDateTime, signFields, verifySignedRequest } from "../src/index.ts";

const SECRET = "test_secret_key_0123456789abcdef0123456789abcdef0123456789abcdef";

/** The request vector of cybersource.md §3. */
const requestVector: Record<string, string> = {
  access_key: "0123456789abcdef0123456789abcdef",
  profile_id: "0FFEAFFB-8171-4F34-A22D-1CD38A28A384",
  transaction_uuid: "2f1d7c36-8e0b-4a51-9c57-3b1b2f6d9e10",
  signed_field_names:
    "access_key,profile_id,transaction_uuid,signed_field_names,unsigned_field_names,signed_date_time,locale,transaction_type,reference_number,amount,currency,override_custom_receipt_page,bill_to_forename,bill_to_surname,bill_to_email",
  unsigned_field_names: "",
  signed_date_time: "2026-01-25T17:38:11Z",
  locale: "en-us",
  transaction_type: "sale",
  reference_number: "2f1d7c36-8e0b-4a51-9c57-3b1b2f6d9e10",
  amount: "25.00",
  currency: "USD",
  override_custom_receipt_page: "https://tickets.example.edu/api/tickets/payment_complete/",
  bill_to_forename: "Ada",
  bill_to_surname: "Lovelace",
  bill_to_email: "ada@example.edu",
};

describe("Secure Acceptance signing (cybersource.md §3 vectors)", () => {
  it.each([
    ["FOO", "foo,baz", "foo=bar,baz=bat", "IVMC7Aj8pDKwLx+0eNfIfoQAHvViiLeavLyYatCtB+c="],
    ["FOO", "baz,foo", "baz=bat,foo=bar", "5Gw1ffUlVU9Cm0tTa/nzhQ81Bc6/SDqz/tEP5VyMzkk="],
    ["SECRET", "foo,baz", "foo=bar,baz=bat", "FvjC1PIhxuaLipTbRDw9UXL6F58t9Hyj12HLHiYoOD0="],
  ])("secret %s, names %s sign %s to %s (django-oscar-cybersource vectors)", (secret, names, data, signature) => {
    // signed_field_names itself is not in these lists, so it adds nothing to the data string.
    const fields = { foo: "bar", baz: "bat", signed_field_names: names };
    expect(dataToSign(fields)).toBe(data);
    expect(signFields(fields, secret)).toBe(signature);
  });

  it("signs the request vector, with signed_field_names inside its own data string", () => {
    expect(dataToSign(requestVector)).toBe(
      "access_key=0123456789abcdef0123456789abcdef,profile_id=0FFEAFFB-8171-4F34-A22D-1CD38A28A384,transaction_uuid=2f1d7c36-8e0b-4a51-9c57-3b1b2f6d9e10,signed_field_names=access_key,profile_id,transaction_uuid,signed_field_names,unsigned_field_names,signed_date_time,locale,transaction_type,reference_number,amount,currency,override_custom_receipt_page,bill_to_forename,bill_to_surname,bill_to_email,unsigned_field_names=,signed_date_time=2026-01-25T17:38:11Z,locale=en-us,transaction_type=sale,reference_number=2f1d7c36-8e0b-4a51-9c57-3b1b2f6d9e10,amount=25.00,currency=USD,override_custom_receipt_page=https://tickets.example.edu/api/tickets/payment_complete/,bill_to_forename=Ada,bill_to_surname=Lovelace,bill_to_email=ada@example.edu",
    );
    expect(signFields(requestVector, SECRET)).toBe("ahQfegQ7GC6ofuggsAt/Q3LLYLg96M0qvwL+y7IfWnU=");
  });

  it("changes the signature when a signed value changes (amount 0.01)", () => {
    expect(signFields({ ...requestVector, amount: "0.01" }, SECRET)).toBe("+hPn7Ws7vw3Ug+BMZ5Gt5VqXoGzzQnEP/ErKGUzppY4=");
  });

  it("signs UTF-8 values as UTF-8 bytes", () => {
    expect(signFields({ signed_field_names: "bill_to_surname", bill_to_surname: "Müller" }, SECRET)).toBe(
      "IyDYHUbpVn5kg1B7oktYjEpoJvs03PD+2JAjWauAAyU=",
    );
  });

  it("treats a listed but absent field as empty", () => {
    expect(dataToSign({ signed_field_names: "a,b", a: "1" })).toBe("a=1,b=");
  });

  it("formats signed_date_time in UTC without milliseconds", () => {
    expect(formatSignedDateTime(new Date("2026-01-25T17:38:11.987Z"))).toBe("2026-01-25T17:38:11Z");
  });
});

describe("buildPaymentFields", () => {
  const profile = {
    url: "https://testsecureacceptance.cybersource.com/pay",
    accessKey: requestVector.access_key!,
    profileId: requestVector.profile_id!,
    secretKey: SECRET,
  };
  const request = {
    referenceNumber: requestVector.reference_number!,
    transactionUuid: requestVector.transaction_uuid!,
    amount: "25.00",
    currency: "USD",
    receiptUrl: requestVector.override_custom_receipt_page!,
    billTo: { forename: "Ada", surname: "Lovelace", email: "ada@example.edu" },
    signedAt: new Date("2026-01-25T17:38:11.250Z"),
  };

  it("builds exactly the request vector's fields and signature", () => {
    expect(buildPaymentFields(profile, request)).toEqual({
      ...requestVector,
      signature: "ahQfegQ7GC6ofuggsAt/Q3LLYLg96M0qvwL+y7IfWnU=",
    });
  });

  it("signs every field it sends, including the cancel page and unsigned_field_names", () => {
    const fields = buildPaymentFields(profile, { ...request, cancelUrl: "https://tickets.example.edu/cancel" });
    const signed = fields.signed_field_names!.split(",");
    for (const name of Object.keys(fields)) if (name !== "signature") expect(signed).toContain(name);
    expect(signed).toContain("unsigned_field_names");
    expect(verifySignedRequest(fields, profile)).toMatchObject({ ok: true });
  });

  it("refuses amounts and currencies CyberSource would reject", () => {
    expect(() => buildPaymentFields(profile, { ...request, amount: "25" })).toThrow(/amount/);
    expect(() => buildPaymentFields(profile, { ...request, amount: "-1.00" })).toThrow(/amount/);
    expect(() => buildPaymentFields(profile, { ...request, currency: "usd" })).toThrow(/currency/);
  });
});

describe("verifySignedRequest (what the hosted page checks)", () => {
  const profile = { url: "", accessKey: requestVector.access_key!, profileId: requestVector.profile_id!, secretKey: SECRET };
  const signedRequest = { ...requestVector, signature: signFields(requestVector, SECRET) };

  it("accepts the signed vector", () => {
    expect(verifySignedRequest(signedRequest, profile).ok).toBe(true);
  });

  it("refuses a changed amount, another secret, unknown keys and extra fields", () => {
    expect(verifySignedRequest({ ...signedRequest, amount: "0.01" }, profile).ok).toBe(false);
    expect(verifySignedRequest(signedRequest, { ...profile, secretKey: "other" }).ok).toBe(false);
    expect(verifySignedRequest(signedRequest, { ...profile, accessKey: "someone-else" }).ok).toBe(false);
    expect(verifySignedRequest({ ...signedRequest, card_number: "4111111111111111" }, profile).ok).toBe(false);
    expect(verifySignedRequest({ ...signedRequest, amount: ["25.00", "0.01"] }, profile).ok).toBe(false);
  });

  it("refuses a signed_field_names that does not list itself", () => {
    const fields: Record<string, string> = { ...requestVector, signed_field_names: "access_key,profile_id,amount" };
    const { unsigned_field_names: _u, ...rest } = fields;
    expect(verifySignedRequest({ ...rest, signature: signFields(rest, SECRET) }, profile)).toEqual({
      ok: false,
      reason: "signed_field_names does not list itself",
    });
  });
});
