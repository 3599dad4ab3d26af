export { Payments, type PaymentSettings } from "./service.ts";
export { outcomeOf, type PaymentChannel, type PaymentOutcome, type ReplyResult } from "./outcome.ts";
export { splitAmount } from "./claim.ts";
export {
  measureDelivery,
  REFUSED_DELIVERY_RETENTION_DAYS,
  REFUSED_RECORD_LIMITS,
  REPLY_LIMITS,
  type DeliveryShape,
  type PaymentDelivery,
} from "./delivery.ts";
