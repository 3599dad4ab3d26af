import { randomUUID } from "node:crypto";
import { generateSigningKey, toBase64Url } from "@admit/ticket-codes";
import { describe, expect, it } from "vitest";
import { checkScannedCode, verifyingKeys } from "../src/scan/verify.ts";
import { codeFor, signingKey } from "./helpers.ts";

const keys = verifyingKeys([
  { kid: String(signingKey.kid), publicKey: toBase64Url(signingKey.publicKey) },
  { kid: "not-a-number", publicKey: "garbage" },
]);

describe("checking a scanned code's signature", () => {
  const id = randomUUID();
  const genuine = codeFor(id, 7, 2);
  const at = genuine.length - 10;
  const tampered = genuine.slice(0, at) + (genuine[at] === "A" ? "B" : "A") + genuine.slice(at + 1);
  const cases: Array<[string, string, unknown]> = [
    ["a genuine code", genuine, { ok: true, ticketId: id, showingId: 7, generation: 2 }],
    ["an altered signature", tampered, { ok: false, reason: "bad-signature" }],
    ["another key with the same key id", codeFor(id, 7, 2, generateSigningKey(signingKey.kid)), { ok: false, reason: "bad-signature" }],
    ["an unknown key id", codeFor(id, 7, 2, generateSigningKey(99)), { ok: false, reason: "unknown-key" }],
    ["something else", "WIFI:S:cafe;;", { ok: false, reason: "malformed" }],
    ["a cut-off code", genuine.slice(0, 60), { ok: false, reason: "malformed" }],
  ];
  for (const native of [true, false]) {
    for (const [what, text, expected] of cases) {
      it(`reads ${what} the same with${native ? "" : "out"} WebCrypto Ed25519`, async () => {
        expect(await checkScannedCode(text, keys, { native })).toEqual(expected);
      });
    }
  }

  it("skips a published key it cannot read instead of failing", () => {
    expect(keys.map((k) => k.kid)).toEqual([signingKey.kid]);
  });
});
