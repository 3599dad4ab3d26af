import type { ScannedCode } from "@admit/door";
import { readTicketCode, toBase64Url, toVerifyingKeys, verifyTicketCode, type VerifyingKey } from "@admit/ticket-codes";

export type PublishedKey = { kid: string | number; publicKey: string };

/** The manifest's published keys in the form the verifier takes; a malformed entry is skipped, not fatal. */
export function verifyingKeys(published: readonly PublishedKey[]): VerifyingKey[] {
  return published.flatMap((entry) => {
    try {
      return toVerifyingKeys([entry]);
    } catch {
      return [];
    }
  });
}

/**
 * Checks a scanned text's signature offline with @admit/ticket-codes and says what it claims. The QR generation is
 * judged later by the entry policy against the door's data (OLD_QR), so a superseded code is reported with its claims.
 */
export function readScannedCode(text: string, keys: readonly VerifyingKey[]): ScannedCode {
  const check = verifyTicketCode(text, keys);
  if (check.valid || check.reason === "superseded") {
    const { ticketId, showingId, generation } = check.claims;
    return { ok: true, ticketId, showingId, generation };
  }
  return { ok: false, reason: check.reason };
}

const nativeKeys = new Map<string, Promise<CryptoKey | null>>();

/** The key as a WebCrypto Ed25519 key, or null where the browser has none (old browsers, insecure pages). */
function nativeKey(key: VerifyingKey): Promise<CryptoKey | null> {
  const id = `${key.kid}:${toBase64Url(key.publicKey)}`;
  let imported = nativeKeys.get(id);
  if (!imported) {
    imported = globalThis.crypto?.subtle
      ? crypto.subtle.importKey("raw", new Uint8Array(key.publicKey), { name: "Ed25519" }, false, ["verify"]).catch(() => null)
      : Promise.resolve(null);
    nativeKeys.set(id, imported);
  }
  return imported;
}

/**
 * The same check, with the signature verified by the browser's own Ed25519 (WebCrypto) where it has it: a fraction
 * of a millisecond and no garbage-collection pauses, against about one millisecond, with pauses, in JavaScript.
 * Codes are parsed by @admit/ticket-codes either way; without WebCrypto Ed25519 it verifies them as well.
 */
export async function checkScannedCode(text: string, keys: readonly VerifyingKey[], options = { native: true }): Promise<ScannedCode> {
  const read = readTicketCode(text.trim());
  if (!read) return { ok: false, reason: "malformed" };
  const key = keys.find((k) => k.kid === read.claims.kid);
  if (!key) return { ok: false, reason: "unknown-key" };
  const native = options.native ? await nativeKey(key) : null;
  if (!native) return readScannedCode(text, keys);
  const genuine = await crypto.subtle
    .verify({ name: "Ed25519" }, native, new Uint8Array(read.signature), new Uint8Array(read.signed))
    .catch(() => false);
  if (!genuine) return { ok: false, reason: "bad-signature" };
  const { ticketId, showingId, generation } = read.claims;
  return { ok: true, ticketId, showingId, generation };
}
