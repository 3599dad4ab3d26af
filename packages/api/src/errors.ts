import { DomainError, type ErrorCode } from "@admit/domain";
import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { ZodError } from "zod";

type TrpcCode = TRPCError["code"];

/** The `code` of every error body (`data.appCode` in tRPC's envelope): ours, or tRPC's own for what it refuses first. */
export type AppErrorCode = ErrorCode | TrpcCode;

/** The only table from business-rule errors to transport codes. REST statuses are derived from it by tRPC. */
export const errorCodeTable: Record<ErrorCode, TrpcCode> = {
  BAD_REQUEST: "BAD_REQUEST",
  VALIDATION_FAILED: "BAD_REQUEST",
  CART_EMPTY: "BAD_REQUEST",
  UNAUTHENTICATED: "UNAUTHORIZED",
  INVALID_CREDENTIALS: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  NOT_ON_SALE: "FORBIDDEN",
  SHOWING_ENDED: "FORBIDDEN",
  ORDER_LIMIT_EXCEEDED: "FORBIDDEN",
  NOT_ENOUGH_TICKETS: "FORBIDDEN",
  CART_STALE: "FORBIDDEN",
  TRANSFER_NOT_ALLOWED: "FORBIDDEN",
  DEVICE_REVOKED: "FORBIDDEN",
  PAYMENT_SIGNATURE_INVALID: "FORBIDDEN",
  CROSS_ORIGIN_REFUSED: "FORBIDDEN",
  SALES_PAUSED: "FORBIDDEN",
  SALES_ENDED: "FORBIDDEN",
  RETURN_NOT_ALLOWED: "FORBIDDEN",
  RETURN_DEADLINE_PASSED: "FORBIDDEN",
  LOBBY_REQUIRED: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  METHOD_NOT_ALLOWED: "METHOD_NOT_SUPPORTED",
  CONFLICT: "CONFLICT",
  HAS_TICKETS: "CONFLICT",
  PAYMENT_MISMATCH: "CONFLICT",
  REFUND_TOO_LARGE: "CONFLICT",
  ALREADY_REFUNDED: "CONFLICT",
  TICKET_CHECKED_IN: "CONFLICT",
  SHOWING_CANCELLED: "CONFLICT",
  TICKETS_AVAILABLE: "CONFLICT",
  LOBBY_WINDOW_ENDED: "CONFLICT",
  LOBBY_NOT_OPEN: "CONFLICT",
  EXCHANGE_NOT_ALLOWED: "CONFLICT",
  EXCHANGE_LISTED: "CONFLICT",
  EXCHANGE_IN_PROGRESS: "CONFLICT",
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  UNSUPPORTED_MEDIA_TYPE: "UNSUPPORTED_MEDIA_TYPE",
  RATE_LIMITED: "TOO_MANY_REQUESTS",
  UNAVAILABLE: "SERVICE_UNAVAILABLE",
};

const tableEntries = Object.entries(errorCodeTable) as Array<[ErrorCode, TrpcCode]>;

/** tRPC's own refusals (unparsable input, wrong method, unknown procedure) named in our vocabulary: the table read backwards. */
const codeForTrpcCode = new Map<TrpcCode, ErrorCode>([["PARSE_ERROR", "BAD_REQUEST"]]);
/** The same for a bare HTTP status, e.g. a body Fastify could not parse or an answer from the auth library. */
const codeForHttpStatus = new Map<number, ErrorCode>();
for (const [code, trpcCode] of tableEntries) {
  if (!codeForTrpcCode.has(trpcCode)) codeForTrpcCode.set(trpcCode, code);
  const status = getHTTPStatusCodeFromError(new TRPCError({ code: trpcCode }));
  if (!codeForHttpStatus.has(status)) codeForHttpStatus.set(status, code);
}

/** Our error code for an HTTP status produced outside our handlers; statuses without one are a plain bad request or failure. */
export function errorCodeForStatus(status: number): string {
  return codeForHttpStatus.get(status) ?? (status < 500 ? "BAD_REQUEST" : "INTERNAL_SERVER_ERROR");
}

/** Seconds a refusal asks the caller to wait before trying again (sent as Retry-After), found through tRPC's wrapping. */
export function retryAfterSeconds(error: unknown): number | undefined {
  for (let cause = error, depth = 0; cause && depth < 4; cause = (cause as { cause?: unknown }).cause, depth++) {
    if (cause instanceof DomainError && (cause.code === "RATE_LIMITED" || cause.code === "UNAVAILABLE")) {
      const seconds = cause.details?.retryAfterSeconds;
      return typeof seconds === "number" ? seconds : undefined;
    }
  }
  return isTransientConflict(error) ? TRANSIENT_RETRY_SECONDS : undefined;
}

/**
 * PostgreSQL ends one of two transactions that wait for each other (deadlock, 40P01) or that a serializable check
 * refuses (40001); Prisma reports the first as P2034, or as P2010 naming the code when a raw statement hit it. Nothing
 * was changed, and the same request a moment later goes through, so the caller is told to try again, not that we
 * failed.
 */
const TRANSIENT_SQLSTATES = new Set(["40P01", "40001"]);
const TRANSIENT_RETRY_SECONDS = 1;
function isTransientConflict(error: unknown): boolean {
  for (let cause = error, depth = 0; cause && typeof cause === "object" && depth < 6; cause = (cause as { cause?: unknown }).cause, depth++) {
    const { code, meta, message } = cause as { code?: unknown; meta?: { code?: unknown }; message?: unknown };
    if (code === "P2034" || TRANSIENT_SQLSTATES.has(String(code)) || TRANSIENT_SQLSTATES.has(String(meta?.code))) return true;
    if (code === "P2010" && typeof message === "string" && /Code: `(40P01|40001)`/.test(message)) return true;
  }
  return false;
}

const TRANSIENT_CONFLICT = () =>
  new DomainError("UNAVAILABLE", "Someone else was changing the same tickets at this moment, and nothing was changed. Please try again.", {
    details: { retryAfterSeconds: TRANSIENT_RETRY_SECONDS },
  });

const GENERIC_MESSAGE = "Something went wrong on our side. Please try again.";

/** Anything thrown below a procedure or REST handler, as a TRPCError that keeps the domain code. */
export function toTRPCError(error: unknown): TRPCError {
  if (error instanceof TRPCError) {
    // tRPC wraps whatever a procedure throws in an INTERNAL_SERVER_ERROR, so what it wraps decides. Every other
    // TRPCError is tRPC's own verdict (input that is not JSON, a batch that is not an object) and stands as it is.
    if (error.code === "INTERNAL_SERVER_ERROR" && (error.cause instanceof DomainError || error.cause instanceof ZodError || isTransientConflict(error.cause))) {
      return toTRPCError(error.cause);
    }
    return error;
  }
  if (error instanceof DomainError) {
    return new TRPCError({ code: errorCodeTable[error.code], message: error.message, cause: error });
  }
  if (error instanceof ZodError) {
    return new TRPCError({ code: "BAD_REQUEST", message: describeZodError(error), cause: error });
  }
  if (isTransientConflict(error)) return toTRPCError(TRANSIENT_CONFLICT());
  return new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: GENERIC_MESSAGE, cause: error });
}

export function describeZodError(error: ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message))
    .join("; ");
}

export interface ErrorPayload {
  status: number;
  body: { error: { code: AppErrorCode; message: string; details?: Record<string, unknown> }; detail: string };
}

/** The JSON error body both transports send: a stable string code, a plain-words message, and the seed's `detail`. */
export function errorPayload(error: unknown): ErrorPayload {
  const trpcError = toTRPCError(error);
  const status = getHTTPStatusCodeFromError(trpcError);
  const cause = trpcError.cause;
  const code = cause instanceof DomainError ? cause.code : (codeForTrpcCode.get(trpcError.code) ?? trpcError.code);
  const message =
    trpcError.code === "INTERNAL_SERVER_ERROR"
      ? GENERIC_MESSAGE
      : cause instanceof ZodError
        ? describeZodError(cause)
        : cause instanceof SyntaxError
          ? `The input is not valid JSON (${cause.message}).`
          : trpcError.message;
  const details = cause instanceof DomainError ? cause.details : undefined;
  return {
    status,
    body: { error: { code, message, ...(details ? { details } : {}) }, detail: message },
  };
}
