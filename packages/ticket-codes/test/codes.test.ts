import { createPublicKey, verify as nodeVerify } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  formatSigningKey,
  generateSigningKey,
  parseSigningKey,
  readTicketCode,
  signTicketCode,
  TICKET_CODE_PREFIX,
  toBase64Url,
  fromBase64Url,
  verifyingKeyOf,
  verifyTicketCode,
  type TicketClaims,
} from "../src/index.ts";

// RFC 8032-style fixed seed 00 01 02 ... 1f, so the vectors below never change.
const FIXED_SEED = toBase64Url(Uint8Array.from({ length: 32 }, (_, i) => i));
const fixedKey = parseSigningKey(`1:${FIXED_SEED}`);
const ticket: TicketClaims = { ticketId: "0f8fad5b-d9cb-469f-a165-70867728950e", showingId: 42, generation: 0 };

const VECTOR_SHOWING_42 =
  "A1.D4-tW9nLRp-hZXCGdyiVDioAAYAUvJ2jDkAvR1YCyWts7Xkde6RA-8YrptQl27o-aXK9ksO-aftFXK9E9Kh_4-SXanV7czwyI2AvaAP34J71Jw0";
const VECTOR_SHOWING_5000_GEN_3 =
  "A1.D4-tW9nLRp-hZXCGdyiVDognAwEpX9WIY6gwoFDqbOciUfB3GydTVVaOrTwPpiVURhf7EnQ-V0sU1M9mU0QERvnMMmP8Hz0OQVnBDsfCeovsM2oM";

/** Node's own Ed25519 (OpenSSL), an implementation independent of the one under test. */
function opensslVerifies(signed: Uint8Array, signature: Uint8Array, publicKey: Uint8Array): boolean {
  const spki = Buffer.concat([Buffer.from("302a300506032b6570032100", "hex"), Buffer.from(publicKey)]);
  return nodeVerify(null, signed, createPublicKey({ key: spki, format: "der", type: "spki" }), signature);
}

describe("ticket code test vectors", () => {
  it("derives the RFC 8032 public key of the fixed seed", () => {
    expect(toBase64Url(fixedKey.publicKey)).toBe("A6EHv_POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg");
  });

  it("signs a fixed ticket to the exact same text every time", () => {
    expect(signTicketCode(ticket, fixedKey)).toBe(VECTOR_SHOWING_42);
    expect(signTicketCode({ ...ticket, showingId: 5000, generation: 3 }, fixedKey)).toBe(VECTOR_SHOWING_5000_GEN_3);
  });

  it("is short: 114-115 characters for everyday ids, at most 127 for the largest", () => {
    expect(VECTOR_SHOWING_42).toHaveLength(114);
    expect(VECTOR_SHOWING_5000_GEN_3).toHaveLength(115);
    const largest = signTicketCode({ ...ticket, showingId: 2 ** 32 - 1, generation: 2 ** 32 - 1 }, { ...fixedKey, kid: 65535 });
    expect(largest).toHaveLength(127);
    expect(verifyTicketCode(largest, [{ ...verifyingKeyOf(fixedKey), kid: 65535 }]).valid).toBe(true);
  });

  it("carries a signature OpenSSL accepts over the prefix and payload", () => {
    const read = readTicketCode(VECTOR_SHOWING_42)!;
    expect(read.claims).toEqual({ ...ticket, kid: 1 });
    expect(opensslVerifies(read.signed, read.signature, fixedKey.publicKey)).toBe(true);
    const otherPayload = readTicketCode(VECTOR_SHOWING_5000_GEN_3)!;
    expect(opensslVerifies(otherPayload.signed, read.signature, fixedKey.publicKey)).toBe(false);
  });

  it("verifies the vectors with only the public key", () => {
    expect(verifyTicketCode(VECTOR_SHOWING_42, [verifyingKeyOf(fixedKey)])).toEqual({
      valid: true,
      claims: { ...ticket, kid: 1 },
    });
    expect(verifyTicketCode(VECTOR_SHOWING_5000_GEN_3, [{ kid: 1, publicKey: fixedKey.publicKey }])).toEqual({
      valid: true,
      claims: { ...ticket, showingId: 5000, generation: 3, kid: 1 },
    });
  });
});

describe("refusing codes that are not genuine", () => {
  const keys = [verifyingKeyOf(fixedKey)];
  const body = VECTOR_SHOWING_42.slice(TICKET_CODE_PREFIX.length);

  it("refuses every single-character change", () => {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (let i = 0; i < VECTOR_SHOWING_42.length; i++) {
      const original = VECTOR_SHOWING_42[i]!;
      const replacement = alphabet[(alphabet.indexOf(original) + 1) % alphabet.length] ?? "A";
      const tampered = VECTOR_SHOWING_42.slice(0, i) + replacement + VECTOR_SHOWING_42.slice(i + 1);
      const check = verifyTicketCode(tampered, keys);
      expect(check.valid, `change at ${i}`).toBe(false);
    }
  });

  it("refuses a changed generation, showing or ticket id even when re-encoded cleanly", () => {
    const bytes = fromBase64Url(body)!;
    // Bytes 0-15 are the ticket id, then showing 42, generation 0 and key id 1 take one byte each.
    const changes: Array<[offset: number, value: number, reason: string]> = [
      [0, bytes[0]! ^ 0x01, "bad-signature"],
      [15, bytes[15]! ^ 0x80, "bad-signature"],
      [16, 43, "bad-signature"],
      [17, 1, "bad-signature"],
      [18, 2, "unknown-key"],
    ];
    for (const [offset, value, reason] of changes) {
      const altered = bytes.slice();
      altered[offset] = value;
      const check = verifyTicketCode(TICKET_CODE_PREFIX + toBase64Url(altered), keys);
      expect(check, `byte ${offset}`).toEqual({ valid: false, reason });
    }
  });

  it("refuses truncated and extended codes as malformed", () => {
    for (const cut of [1, 2, 4, 10, 60, 100, 111]) {
      expect(verifyTicketCode(VECTOR_SHOWING_42.slice(0, VECTOR_SHOWING_42.length - cut), keys)).toEqual({
        valid: false,
        reason: "malformed",
      });
    }
    expect(verifyTicketCode(`${VECTOR_SHOWING_42}AAAA`, keys)).toEqual({ valid: false, reason: "malformed" });
  });

  it("refuses a non-canonical spelling of the same bytes", () => {
    // 83 bytes end in a character with two unused low bits (84 bytes would leave none).
    const last = VECTOR_SHOWING_42.at(-1)!;
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const sibling = alphabet[alphabet.indexOf(last) ^ 0x01]!;
    const respelled = VECTOR_SHOWING_42.slice(0, -1) + sibling;
    expect(verifyTicketCode(respelled, keys)).toEqual({ valid: false, reason: "malformed" });
  });

  it("refuses overlong number encodings that would give a second text for one ticket", () => {
    const bytes = fromBase64Url(body)!;
    // showing 42 written as two bytes (0xaa 0x00) instead of one.
    const overlong = Uint8Array.from([...bytes.subarray(0, 16), 0xaa, 0x00, ...bytes.subarray(17)]);
    expect(verifyTicketCode(TICKET_CODE_PREFIX + toBase64Url(overlong), keys)).toEqual({
      valid: false,
      reason: "malformed",
    });
  });

  it("refuses codes signed by a different key under the same key id", () => {
    const impostor = { ...generateSigningKey(1) };
    const forged = signTicketCode(ticket, impostor);
    expect(verifyTicketCode(forged, keys)).toEqual({ valid: false, reason: "bad-signature" });
  });

  it("refuses codes whose key id the device does not know", () => {
    const other = generateSigningKey(9);
    expect(verifyTicketCode(signTicketCode(ticket, other), keys)).toEqual({ valid: false, reason: "unknown-key" });
  });

  it("refuses things that are not ticket codes", () => {
    for (const text of ["", "A1.", "hello", "https://pennclubs.com/api/tickets/0f8fad5b-d9cb-469f-a165-70867728950e", `B1.${body}`, `A1.${body.replace("D", "*")}`]) {
      expect(verifyTicketCode(text, keys)).toEqual({ valid: false, reason: "malformed" });
    }
  });
});

describe("generations and key rotation", () => {
  it("refuses a code whose generation is older than the newest known, and accepts the newest", () => {
    const key = generateSigningKey(3);
    const keys = [verifyingKeyOf(key)];
    const before = signTicketCode(ticket, key);
    const after = signTicketCode({ ...ticket, generation: 1 }, key);
    const known = (id: string) => (id === ticket.ticketId ? 1 : undefined);
    expect(verifyTicketCode(before, keys, { currentGeneration: known })).toMatchObject({
      valid: false,
      reason: "superseded",
      currentGeneration: 1,
      claims: { ticketId: ticket.ticketId, generation: 0 },
    });
    expect(verifyTicketCode(after, keys, { currentGeneration: known })).toMatchObject({ valid: true });
    // A device that has not synced the transfer yet still admits the newer code: only the server can sign it.
    expect(verifyTicketCode(after, keys, { currentGeneration: () => 0 })).toMatchObject({ valid: true });
    // No data about the ticket: the signature alone decides.
    expect(verifyTicketCode(before, keys, { currentGeneration: () => undefined })).toMatchObject({ valid: true });
  });

  it("verifies codes from every key in the list, so keys can be rotated", () => {
    const oldKey = generateSigningKey(1);
    const newKey = generateSigningKey(2);
    const keys = [verifyingKeyOf(newKey), verifyingKeyOf(oldKey)];
    expect(verifyTicketCode(signTicketCode(ticket, oldKey), keys)).toMatchObject({ valid: true, claims: { kid: 1 } });
    expect(verifyTicketCode(signTicketCode(ticket, newKey), keys)).toMatchObject({ valid: true, claims: { kid: 2 } });
  });

  it("ignores surrounding whitespace a scanner may add", () => {
    expect(verifyTicketCode(` ${VECTOR_SHOWING_42}\n`, [verifyingKeyOf(fixedKey)]).valid).toBe(true);
  });

  it("round-trips a signing key through its configuration text", () => {
    const key = generateSigningKey(77);
    const again = parseSigningKey(formatSigningKey(key));
    expect(again.kid).toBe(77);
    expect(toBase64Url(again.publicKey)).toBe(toBase64Url(key.publicKey));
  });
});
