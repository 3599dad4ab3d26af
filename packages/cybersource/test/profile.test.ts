import { describe, expect, it } from "vitest";
import {
  buildPaymentFields,
  DEVELOPMENT_ACCESS_KEY,
  DEVELOPMENT_PROFILE_ID,
  DEVELOPMENT_SECRET_KEY,
  developmentProfile,
  verifySignedRequest,
} from "../src/index.ts";

describe("developmentProfile (the local sandbox)", () => {
  it.each([
    ["http://localhost:3000", "http://localhost:3000/sandbox/cybersource/pay"],
    ["http://localhost:3000/", "http://localhost:3000/sandbox/cybersource/pay"],
    ["https://tickets.example.edu/admit/", "https://tickets.example.edu/admit/sandbox/cybersource/pay"],
  ])("the server at %s takes payments at %s", (publicUrl, payUrl) => {
    expect(developmentProfile(publicUrl)).toEqual({
      url: payUrl,
      accessKey: DEVELOPMENT_ACCESS_KEY,
      profileId: DEVELOPMENT_PROFILE_ID,
      secretKey: DEVELOPMENT_SECRET_KEY,
    });
  });

  it("signs with a configured secret instead of the development one", () => {
    expect(developmentProfile("http://localhost:3000", "my-own-sandbox-secret").secretKey).toBe("my-own-sandbox-secret");
  });

  it("has keys shaped like real ones, so requests to the sandbox look like requests to CyberSource", () => {
    // cybersource.md §2: access_key is 32 alphanumerics, profile_id a GUID of 36 characters.
    expect(DEVELOPMENT_ACCESS_KEY).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(DEVELOPMENT_PROFILE_ID).toMatch(/^[0-9A-Z]{8}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{12}$/);
    // A secret key is long text; an empty one would make every signature guessable.
    expect(DEVELOPMENT_SECRET_KEY.length).toBeGreaterThanOrEqual(32);
  });

  it("produces requests the sandbox accepts, and a profile with another secret refuses", () => {
    const profile = developmentProfile("http://localhost:3000");
    const fields = buildPaymentFields(profile, {
      referenceNumber: "R-1",
      transactionUuid: "U-1",
      amount: "5.00",
      currency: "USD",
      receiptUrl: "http://localhost:3000/api/tickets/payment_complete/",
      billTo: { forename: "Ada", surname: "Lovelace", email: "ada@example.edu" },
      signedAt: new Date("2026-01-25T17:38:11Z"),
    });
    expect(fields).toMatchObject({ access_key: "admitdevelopmentaccesskey0000000", profile_id: "ADM1DE70-0000-4000-8000-5A4DB0C00000" });
    expect(verifySignedRequest(fields, profile)).toMatchObject({ ok: true });
    expect(verifySignedRequest(fields, developmentProfile("http://localhost:3000", "another-secret"))).toEqual({
      ok: false,
      reason: "signature mismatch",
    });
  });
});
