import {
  asciiBytes,
  bytesToUuid,
  concatBytes,
  fromBase64Url,
  readVarint,
  toBase64Url,
  uuidToBytes,
  writeVarint,
} from "./bytes.ts";
import { ed } from "./ed25519.ts";
import type { SigningKey, VerifyingKey } from "./keys.ts";

/**
 * Version 1 of the text in a ticket's QR code:
 *
 *   "A1." + base64url( ticket uuid (16 bytes) | showing id | QR generation | key id | Ed25519 signature (64 bytes) )
 *
 * The three numbers are unsigned varints. The signature covers the prefix and every byte before it. The ticket id
 * comes first so codes differ from their first characters on, and a code is about 115 characters (QR version 7 at
 * medium error correction).
 */
export const TICKET_CODE_PREFIX = "A1.";

const UUID_BYTES = 16;
const SIGNATURE_BYTES = 64;
const PREFIX_BYTES = asciiBytes(TICKET_CODE_PREFIX);

/** What a code says about its ticket. */
export interface TicketClaims {
  ticketId: string;
  showingId: number;
  /** Bumped on every transfer or reissue; codes with an older generation are refused. */
  generation: number;
}

export interface SignedClaims extends TicketClaims {
  /** The id of the key that signed the code. */
  kid: number;
}

export type TicketCodeRefusal =
  /** Not an Admit ticket code at all, or cut off or altered so it no longer parses. */
  | "malformed"
  /** Signed with a key this device does not know (retired, or from another installation). */
  | "unknown-key"
  /** Parses, but the signature does not match: forged or altered. */
  | "bad-signature"
  /** Genuine, but the ticket was transferred or reissued since; only the newest generation admits. */
  | "superseded";

export type TicketCodeCheck =
  | { valid: true; claims: SignedClaims }
  | { valid: false; reason: "malformed" | "unknown-key" | "bad-signature" }
  | { valid: false; reason: "superseded"; claims: SignedClaims; currentGeneration: number };

export interface VerifyOptions {
  /**
   * The newest generation this device knows for a ticket, or undefined when it has no data on the ticket
   * (then the signature alone decides, as for a ticket sold after the last sync).
   */
  currentGeneration?: (ticketId: string) => number | undefined;
}

function payloadBytes(claims: SignedClaims): Uint8Array {
  const numbers: number[] = [];
  writeVarint(claims.showingId, numbers);
  writeVarint(claims.generation, numbers);
  writeVarint(claims.kid, numbers);
  return concatBytes(uuidToBytes(claims.ticketId), Uint8Array.from(numbers));
}

/** The signed text for a ticket's QR code. Deterministic: the same key and claims always give the same text. */
export function signTicketCode(claims: TicketClaims, key: SigningKey): string {
  const payload = payloadBytes({ ...claims, kid: key.kid });
  const signature = ed.sign(concatBytes(PREFIX_BYTES, payload), key.secretKey);
  return TICKET_CODE_PREFIX + toBase64Url(concatBytes(payload, signature));
}

/** Reads the claims without checking the signature; only for display and logs, never to admit anyone. */
export function readTicketCode(code: string): { claims: SignedClaims; signed: Uint8Array; signature: Uint8Array } | null {
  if (!code.startsWith(TICKET_CODE_PREFIX)) return null;
  const bytes = fromBase64Url(code.slice(TICKET_CODE_PREFIX.length));
  if (!bytes || bytes.length < UUID_BYTES + 3 + SIGNATURE_BYTES) return null;
  const showing = readVarint(bytes, UUID_BYTES);
  const generation = showing && readVarint(bytes, showing.next);
  const kid = generation && readVarint(bytes, generation.next);
  if (!showing || !generation || !kid || kid.next + SIGNATURE_BYTES !== bytes.length) return null;
  return {
    claims: {
      ticketId: bytesToUuid(bytes.subarray(0, UUID_BYTES)),
      showingId: showing.value,
      generation: generation.value,
      kid: kid.value,
    },
    signed: concatBytes(PREFIX_BYTES, bytes.subarray(0, kid.next)),
    signature: bytes.subarray(kid.next),
  };
}

/**
 * Checks a scanned code offline with nothing but the public keys (several may be valid at once, told apart by key
 * id) and, when the device has it, the ticket's newest generation.
 */
export function verifyTicketCode(
  code: string,
  keys: readonly VerifyingKey[],
  options: VerifyOptions = {},
): TicketCodeCheck {
  const read = readTicketCode(code.trim());
  if (!read) return { valid: false, reason: "malformed" };
  const key = keys.find((k) => k.kid === read.claims.kid);
  if (!key) return { valid: false, reason: "unknown-key" };
  let genuine: boolean;
  try {
    // zip215: false is RFC 8032's strict rule set, so one message has one accepted signature encoding.
    genuine = ed.verify(read.signature, read.signed, key.publicKey, { zip215: false });
  } catch {
    genuine = false;
  }
  if (!genuine) return { valid: false, reason: "bad-signature" };
  const current = options.currentGeneration?.(read.claims.ticketId);
  if (current !== undefined && read.claims.generation < current) {
    return { valid: false, reason: "superseded", claims: read.claims, currentGeneration: current };
  }
  return { valid: true, claims: read.claims };
}
