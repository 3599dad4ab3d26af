import { randomBytes } from "node:crypto";

/** Crockford's base32: no I, L, O or U, so a reference read aloud or copied by hand comes out right. */
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/**
 * A free order's reference: "A" and 10 random base32 characters (50 bits), short enough to read out at a desk and
 * too many to guess. Paid orders use their payment's reference number instead, the one the Business Center shows.
 */
export function newOrderReference(): string {
  const bytes = randomBytes(10);
  let reference = "A";
  for (const byte of bytes) reference += ALPHABET[byte & 31];
  return reference;
}
