import { fromBase64Url, toBase64Url } from "./bytes.ts";
import { ed } from "./ed25519.ts";

/** Key ids fit in at most three varint bytes of the code; one byte for ids below 128. */
export const MAX_KEY_ID = 0xffff;

/** A public key that verifies codes; kiosks get a list of these, one per key id that is still valid. */
export interface VerifyingKey {
  kid: number;
  publicKey: Uint8Array;
}

/** A key that signs codes (only the server has these). */
export interface SigningKey extends VerifyingKey {
  secretKey: Uint8Array;
}

export class TicketKeyError extends Error {
  override name = "TicketKeyError";
}

function parseKid(text: string): number {
  if (!/^\d{1,5}$/.test(text) || Number(text) > MAX_KEY_ID) {
    throw new TicketKeyError(`The key id "${text}" must be a whole number from 0 to ${MAX_KEY_ID}.`);
  }
  return Number(text);
}

function parseKeyBytes(text: string, what: string): Uint8Array {
  const bytes = fromBase64Url(text);
  if (!bytes || bytes.length !== 32) {
    throw new TicketKeyError(`The ${what} must be 32 bytes written in base64url (43 characters).`);
  }
  return bytes;
}

function splitEntry(entry: string): [string, string] {
  const colon = entry.indexOf(":");
  if (colon < 0) throw new TicketKeyError(`Write each key as "<key id>:<base64url key>".`);
  return [entry.slice(0, colon).trim(), entry.slice(colon + 1).trim()];
}

/** "7:<base64url 32-byte Ed25519 seed>" → a signing key (the format of QR_SIGNING_KEYS entries). */
export function parseSigningKey(entry: string): SigningKey {
  const [kid, key] = splitEntry(entry);
  const secretKey = parseKeyBytes(key, "private key");
  return { kid: parseKid(kid), secretKey, publicKey: ed.getPublicKey(secretKey) };
}

export function formatSigningKey(key: SigningKey): string {
  return `${key.kid}:${toBase64Url(key.secretKey)}`;
}

/** "7:<base64url 32-byte Ed25519 public key>" → a verifying key, the form kiosks store. */
export function parseVerifyingKey(entry: string): VerifyingKey {
  const [kid, key] = splitEntry(entry);
  return { kid: parseKid(kid), publicKey: parseKeyBytes(key, "public key") };
}

export function formatVerifyingKey(key: VerifyingKey): string {
  return `${key.kid}:${toBase64Url(key.publicKey)}`;
}

/** A fresh key pair from the platform's secure random source (crypto.getRandomValues). */
export function generateSigningKey(kid: number): SigningKey {
  parseKid(String(kid));
  const secretKey = ed.utils.randomSecretKey();
  return { kid, secretKey, publicKey: ed.getPublicKey(secretKey) };
}

export function verifyingKeyOf(key: SigningKey): VerifyingKey {
  return { kid: key.kid, publicKey: key.publicKey };
}

/** Checks a key list for rotation: at least one key, and no key id used twice. */
export function checkKeyIds(keys: readonly VerifyingKey[]): void {
  if (keys.length === 0) throw new TicketKeyError("At least one key is needed.");
  const seen = new Set<number>();
  for (const key of keys) {
    if (seen.has(key.kid)) throw new TicketKeyError(`The key id ${key.kid} is used twice.`);
    seen.add(key.kid);
  }
}

/** Keys as servers publish them (`{ kid, publicKey }`, the key in base64url) → keys verifyTicketCode takes. */
export function toVerifyingKeys(list: ReadonlyArray<{ kid: string | number; publicKey: string }>): VerifyingKey[] {
  return list.map((entry) => ({ kid: parseKid(String(entry.kid)), publicKey: parseKeyBytes(entry.publicKey, "public key") }));
}
