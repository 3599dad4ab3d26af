export * from "./profile.ts";
export { dataToSign, formatSignedDateTime, signFields, signaturesEqual, SIGNED_DATE_TIME_PATTERN } from "./signature.ts";
export { buildPaymentFields, verifySignedRequest, type PaymentRequest, type SignedRequestCheck } from "./request.ts";
export {
  buildReply,
  DECISIONS,
  REQUIRED_SIGNED_REPLY_FIELDS,
  verifyReply,
  type Decision,
  type ReplyCheck,
  type ReplyOutcome,
  type VerifiedReply,
} from "./reply.ts";
export {
  bodyDigest,
  refundPayment,
  restBaseUrl,
  restSignature,
  signatureHeader,
  verifyRestRequest,
  type IncomingRestRequest,
  type RefundRequest,
  type RefundResult,
  type RestSignatureInput,
} from "./rest.ts";
