import { DomainError } from "../errors.ts";

const SECOND = 1000;
const MAX_ERROR_LENGTH = 500;

/** Retry delay after the given number of failed attempts: 30 s, 1 min, 2 min, ... capped (1 h by default). */
export function retryDelayMs(failedAttempts: number, baseMs = 30 * SECOND, maxMs = 3600 * SECOND): number {
  return Math.min(baseMs * 2 ** Math.max(0, failedAttempts - 1), maxMs);
}

/**
 * Failures a retry cannot fix: a ticket or attachment that does not exist, a ticket that changed hands since the
 * message was queued, or an SMTP server refusing the address.
 */
export function isPermanent(error: unknown): boolean {
  if (error instanceof DomainError) return ["NOT_FOUND", "VALIDATION_FAILED", "CONFLICT"].includes(error.code);
  const smtp = error as { code?: unknown; responseCode?: unknown };
  return smtp.code === "EENVELOPE" && typeof smtp.responseCode === "number" && smtp.responseCode >= 500;
}

/** What goes into `lastError`: the error's own words (transports scrub credentials before throwing), bounded. */
export function describeError(error: unknown): string {
  const text = error instanceof Error ? `${error.name === "Error" ? "" : `${error.name}: `}${error.message}` : String(error);
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH - 1)}…` : text;
}
