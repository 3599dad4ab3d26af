import * as ed from "@noble/ed25519";
import { sha512 } from "@noble/hashes/sha2.js";

// The synchronous Ed25519 API needs a SHA-512; @noble/hashes works the same in Node and in every browser,
// including pages without a secure context, where WebCrypto's subtle API is missing.
ed.hashes.sha512 = sha512;

export { ed };
