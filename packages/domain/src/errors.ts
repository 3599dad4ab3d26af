/**
 * The one error type business rules throw. Transports map `code` to a status through the single table in
 * packages/api/src/errors.ts; `message` is written for the person using the product.
 */
export const errorCodes = [
  // 400: the request itself is wrong
  "BAD_REQUEST",
  "VALIDATION_FAILED",
  "CART_EMPTY",
  // 401 / 403
  "UNAUTHENTICATED",
  "INVALID_CREDENTIALS",
  "FORBIDDEN",
  "NOT_ON_SALE",
  "SHOWING_ENDED",
  "ORDER_LIMIT_EXCEEDED",
  "NOT_ENOUGH_TICKETS",
  "CART_STALE",
  "TRANSFER_NOT_ALLOWED",
  "DEVICE_REVOKED",
  "PAYMENT_SIGNATURE_INVALID",
  "CROSS_ORIGIN_REFUSED",
  "SALES_PAUSED",
  "SALES_ENDED",
  "RETURN_NOT_ALLOWED",
  "RETURN_DEADLINE_PASSED",
  "LOBBY_REQUIRED",
  // 404
  "NOT_FOUND",
  // 405: the path exists, but not with this method
  "METHOD_NOT_ALLOWED",
  // 409
  "CONFLICT",
  "HAS_TICKETS",
  "PAYMENT_MISMATCH",
  "REFUND_TOO_LARGE",
  "ALREADY_REFUNDED",
  "TICKET_CHECKED_IN",
  "SHOWING_CANCELLED",
  "TICKETS_AVAILABLE",
  "LOBBY_WINDOW_ENDED",
  "LOBBY_NOT_OPEN",
  "EXCHANGE_NOT_ALLOWED",
  "EXCHANGE_LISTED",
  "EXCHANGE_IN_PROGRESS",
  // 413 / 415: the body is too big, or of a type the route does not read
  "PAYLOAD_TOO_LARGE",
  "UNSUPPORTED_MEDIA_TYPE",
  // 429
  "RATE_LIMITED",
  // 503
  "UNAVAILABLE",
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export interface DomainErrorDetails {
  /** Structured extras for clients, e.g. the unknown usernames of an issue-tickets request. */
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, extra: DomainErrorDetails = {}) {
    super(message, extra.cause === undefined ? undefined : { cause: extra.cause });
    this.name = "DomainError";
    this.code = code;
    this.details = extra.details;
  }
}

export function notFound(what: string): DomainError {
  return new DomainError("NOT_FOUND", `${what} was not found.`);
}

export function forbidden(message: string): DomainError {
  return new DomainError("FORBIDDEN", message);
}
