import { TRPCClientError } from "@trpc/client";

interface ServerErrorData {
  appCode?: string;
  httpStatus?: number;
  details?: Record<string, unknown> | null;
  issues?: Array<{ path: string[]; message: string }> | null;
}

type Phrase = string | ((serverMessage: string, details: Record<string, unknown>) => string);

const SERVER = (message: string) => message;

/**
 * Plain words per server error code. Where the server's own message already says what happened in a student's
 * words (it often names the ticket type or the limit), it is kept.
 */
const phrases: Record<string, Phrase> = {
  UNAUTHENTICATED: "Please sign in to continue.",
  UNAUTHORIZED: "Please sign in to continue.",
  INVALID_CREDENTIALS: "The username or password is wrong.",
  FORBIDDEN: SERVER,
  NOT_ON_SALE: "Tickets for this showing are not on sale yet. Come back when the countdown ends.",
  SHOWING_ENDED: "This showing has already ended, so its tickets are no longer sold.",
  ORDER_LIMIT_EXCEEDED: SERVER,
  NOT_ENOUGH_TICKETS: (message, details) =>
    typeof details.type === "string"
      ? `There aren't that many ${details.type} tickets left. Choose fewer and try again.`
      : message,
  CART_STALE: "Some tickets in your cart were just taken by someone else. Your cart has been updated: check it and try again.",
  CART_EMPTY: "Your cart is empty. Add tickets from an event page first.",
  TRANSFER_NOT_ALLOWED: SERVER,
  NOT_FOUND: SERVER,
  CONFLICT: SERVER,
  HAS_TICKETS: SERVER,
  RATE_LIMITED: "Too many attempts. Wait a minute and try again.",
  TOO_MANY_REQUESTS: "Too many attempts. Wait a minute and try again.",
  UNAVAILABLE: SERVER,
  INTERNAL_SERVER_ERROR: "Something went wrong on our side. Please try again in a moment.",
  PAYMENT_MISMATCH: "Your payment did not match your order. You have not been given the tickets; we will sort it out and e-mail you.",
};

export function appCodeOf(error: unknown): string | undefined {
  if (error instanceof TRPCClientError) return (error.data as ServerErrorData | undefined)?.appCode;
  return undefined;
}

/** One sentence a student can act on, for any error a call can end in. */
export function errorMessage(error: unknown): string {
  if (error instanceof TRPCClientError) {
    const data = (error.data ?? {}) as ServerErrorData;
    const code = data.appCode;
    if (!data.httpStatus && !code) return "We couldn't reach the server. Check your connection and try again.";
    const phrase = code ? phrases[code] : undefined;
    if (typeof phrase === "string") return phrase;
    if (phrase) return phrase(error.message, data.details ?? {});
    if ((code === "BAD_REQUEST" || code === "VALIDATION_FAILED") && data.issues?.length) {
      return data.issues.map((issue) => issue.message).join(" ");
    }
    return error.message || "Something went wrong. Please try again.";
  }
  if (error instanceof Error && error.message) return error.message;
  return "Something went wrong. Please try again.";
}
