export {
  readTicketCode,
  signTicketCode,
  TICKET_CODE_PREFIX,
  verifyTicketCode,
  type SignedClaims,
  type TicketClaims,
  type TicketCodeCheck,
  type TicketCodeRefusal,
  type VerifyOptions,
} from "./codes.ts";
export {
  checkKeyIds,
  formatSigningKey,
  formatVerifyingKey,
  generateSigningKey,
  MAX_KEY_ID,
  parseSigningKey,
  parseVerifyingKey,
  TicketKeyError,
  toVerifyingKeys,
  verifyingKeyOf,
  type SigningKey,
  type VerifyingKey,
} from "./keys.ts";
export { fromBase64Url, toBase64Url } from "./bytes.ts";
