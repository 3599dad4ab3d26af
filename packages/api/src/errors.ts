import { DomainError, type ErrorCode } from "@admit/domain";
import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { ZodError } from "zod";

type TrpcCode = TRPCError["code"];

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
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  HAS_TICKETS: "CONFLICT",
  PAYMENT_MISMATCH: "CONFLICT",
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  UNSUPPORTED_MEDIA_TYPE: "UNSUPPORTED_MEDIA_TYPE",
  RATE_LIMITED: "TOO_MANY_REQUESTS",
  UNAVAILABLE: "SERVICE_UNAVAILABLE",
};

/** Seconds a RATE_LIMITED refusal asks the caller to wait (sent as Retry-After), found through tRPC's wrapping. */
export function retryAfterSeconds(error: unknown): number | undefined {
  for (let cause = error, depth = 0; cause && depth < 4; cause = (cause as { cause?: unknown }).cause, depth++) {
    if (cause instanceof DomainError && cause.code === "RATE_LIMITED") {
      const seconds = cause.details?.retryAfterSeconds;
      return typeof seconds === "number" ? seconds : undefined;
    }
  }
  return undefined;
}

const GENERIC_MESSAGE = "Something went wrong on our side. Please try again.";

/** Anything thrown below a procedure or REST handler, as a TRPCError that keeps the domain code. */
export function toTRPCError(error: unknown): TRPCError {
  if (error instanceof TRPCError) {
    if (error.cause instanceof DomainError) return error;
    if (error.cause instanceof ZodError) return error;
    return error;
  }
  if (error instanceof DomainError) {
    return new TRPCError({ code: errorCodeTable[error.code], message: error.message, cause: error });
  }
  if (error instanceof ZodError) {
    return new TRPCError({ code: "BAD_REQUEST", message: describeZodError(error), cause: error });
  }
  return new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: GENERIC_MESSAGE, cause: error });
}

export function describeZodError(error: ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message))
    .join("; ");
}

export interface ErrorPayload {
  status: number;
  body: { error: { code: string; message: string; details?: Record<string, unknown> }; detail: string };
}

/** The JSON error body both transports send: a stable string code, a plain-words message, and the seed's `detail`. */
export function errorPayload(error: unknown): ErrorPayload {
  const trpcError = toTRPCError(error);
  const status = getHTTPStatusCodeFromError(trpcError);
  const cause = trpcError.cause;
  const code = cause instanceof DomainError ? cause.code : trpcError.code;
  const message =
    trpcError.code === "INTERNAL_SERVER_ERROR"
      ? GENERIC_MESSAGE
      : cause instanceof ZodError
        ? describeZodError(cause)
        : trpcError.message;
  const details = cause instanceof DomainError ? cause.details : undefined;
  return {
    status,
    body: { error: { code, message, ...(details ? { details } : {}) }, detail: message },
  };
}
