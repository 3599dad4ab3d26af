export * from "./actor.ts";
export * from "./clock.ts";
export * from "./deps.ts";
export {
  clubTimeZone,
  DEFAULT_SITE_TIME_ZONE,
  formatInZone,
  isoInZone,
  canonicalTimeZone,
  isTimeZone,
  monthInZone,
  showingTimeZone,
  zoneOfClub,
} from "./time-zone.ts";
export * from "./errors.ts";
export { Accounts, type ApiTokenSummary } from "./accounts.ts";
export { Roles } from "./roles.ts";
export { createServices, type ServiceOptions, type Services } from "./services.ts";
export * from "./catalog/index.ts";
export { Devices, DEVICE_TOKEN_PREFIX, hashDeviceToken, revokedError, TOKEN_GUESSES_MESSAGE } from "./devices.ts";
export { LOCAL_CALLER, RATE_RULES, RateLimits, rateLimited, type RateCount, type RateRule } from "./rate-limit.ts";
export { enqueueMail, type MailAttachment, type OutgoingMessage } from "./mail/outbox.ts";
export { renderEmail, type EmailContent } from "./mail/layout.ts";
export { AccountMail, ACCOUNT_MAIL_WINDOW_MINUTES, type AccountMailOptions, type AccountMailRecipient } from "./mail/account-mail.ts";
export * from "./mail/sender.ts";
export * from "./mail/mailbox.ts";
export { Decimal, formatMoney, roundCents, type Money } from "./money.ts";
export { fulfilTickets, type FulfilRequest } from "./orders/fulfil.ts";
export { orderLinesOf, orderTotal, type OrderLineRecord } from "./orders/lines.ts";
export { paymentOrderLines, recordOrder, recordOrders, type OrderToRecord, type RecordedOrder } from "./orders/record.ts";
export { orderStatus, refundState, type OrderFacts, type OrderStatus, type RefundState } from "./orders/status.ts";
export { Orders, ORDERS_PAGE, type OrderListOptions } from "./orders/service.ts";
export {
  clubsOf,
  orderViewSelect,
  toOrderView,
  type OrderLineView,
  type OrderRefundView,
  type OrderRow,
  type OrderTicketView,
  type OrderView,
} from "./orders/view.ts";
export * from "./tickets/index.ts";
export {
  formatQuote,
  groupQuote,
  priceLine,
  priceOrder,
  type GroupQuote,
  type Offer,
  type OrderLine,
  type PricedLine,
  type PricedOrder,
  type PricedTicketInput,
} from "./pricing.ts";
export { Carts, type CartChange, type CartChangeResult, type CartQuote, type CartView, type ShowingAllowance } from "./cart/service.ts";
export type { CartTicketRow } from "./cart/serialize.ts";
export type { SoldOutEntry } from "./cart/view.ts";
export { isSellable, saleState, type SaleState } from "./availability.ts";
export { orderAllowance, type OrderAllowance } from "./order-limit.ts";
export { Checkout, DEFAULT_HOLD_MINUTES, type CheckoutResult } from "./checkout/service.ts";
export { endAttempt } from "./checkout/attempts.ts";
export {
  billingName,
  receiptUrl,
  type CheckoutOptions,
  type PaymentRequestFields,
  type PaymentRequestSigner,
} from "./checkout/payment-request.ts";
export * from "./payments/index.ts";
export { Lobbies, type LobbySettingsInput } from "./lobby/service.ts";
export { lobbyPhase, lobbyOpensAt, type LobbyPhase, type LobbyPhaseFacts, type ShowingPhaseFacts } from "./lobby/phase.ts";
export { statusTag, type LobbyStatus } from "./lobby/status.ts";
export { drawKey, numberPlaces, seedCommitment } from "./lobby/draw.ts";
export { ADVANCE_INTERVAL_MS, type AdvanceResult } from "./lobby/advance.ts";
