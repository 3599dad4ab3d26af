import type { AppErrorCode, AppRouter, ErrorCode } from "@admit/api/types";
import { TRPCClientError } from "@trpc/client";

/** A failed call's error with the server's error shape (`data.appCode`, `details`, `issues`) typed from the router. */
export function isServerError(error: unknown): error is TRPCClientError<AppRouter> {
  return error instanceof TRPCClientError;
}

/** The server's code for a failed call, when the server answered. */
export function appCodeOf(error: unknown): AppErrorCode | undefined {
  return isServerError(error) ? error.data?.appCode : undefined;
}

/** The structured extras the server sent with a refusal (e.g. the unknown usernames of an issue request). */
export function errorDetails(error: unknown): Record<string, unknown> {
  return (isServerError(error) ? error.data?.details : undefined) ?? {};
}

/** A lobby refusal by its reason (details.reason). */
const lobbyCopy: Record<string, string> = {
  NOT_JOINED: "This drop has a lobby: join it, and you can pick tickets when your turn comes.",
  WAITING: "You're in this drop's lobby: you can pick tickets when your turn comes.",
  LEFT: "You left this drop's lobby: join it again to get a turn.",
  WINDOW_ENDED: "Your turn in this drop's lobby has ended, so your place passed to the next student.",
  TURN_USED: "Your turn in this drop's lobby ended with your order.",
};

type Phrase = string | ((details: Record<string, unknown>) => string | undefined);

/**
 * What the storefront knows beyond the server's message, by the server's code. Everything else shows the server's
 * own message: it is written for the person using the product and knows the case (a closed club is not a countdown).
 */
const browserCopy: Partial<Record<ErrorCode, Phrase>> = {
  // The cart page reloads the cart on this refusal, so the student can look at it again.
  CART_STALE: "Some tickets in your cart were just taken by someone else. Your cart has been updated: check it and try again.",
  CART_EMPTY: "Your cart is empty. Add tickets from an event page first.",
  NOT_ENOUGH_TICKETS: (details) =>
    typeof details.type === "string" ? `There aren't that many ${details.type} tickets left. Choose fewer and try again.` : undefined,
  // The server's message names the lobby's address; the storefront shows a link to it instead (lobbyPathOf).
  LOBBY_REQUIRED: (details) => lobbyCopy[String(details.reason)],
  LOBBY_WINDOW_ENDED: (details) => lobbyCopy[String(details.reason)],
};

/** The lobby a LOBBY_REQUIRED or LOBBY_WINDOW_ENDED refusal points at (a path on this site), else null. */
export function lobbyPathOf(error: unknown): string | null {
  const code = appCodeOf(error);
  if (code !== "LOBBY_REQUIRED" && code !== "LOBBY_WINDOW_ENDED") return null;
  const path = errorDetails(error).lobbyPath;
  return typeof path === "string" && /^\/events\/\d+\/showings\/\d+\/lobby$/.test(path) ? path : null;
}

function hasBrowserCopy(code: AppErrorCode | undefined): code is keyof typeof browserCopy {
  return code !== undefined && code in browserCopy;
}

/** One sentence a student can act on, for any error a call can end in. */
export function errorMessage(error: unknown): string {
  if (isServerError(error)) {
    const data = error.data;
    if (!data?.httpStatus && !data?.appCode) return "We couldn't reach the server. Check your connection and try again.";
    const code = data.appCode;
    if (hasBrowserCopy(code)) {
      const phrase = browserCopy[code];
      const copy = typeof phrase === "function" ? phrase(data.details ?? {}) : phrase;
      if (copy) return copy;
    }
    if ((code === "BAD_REQUEST" || code === "VALIDATION_FAILED") && data.issues?.length) {
      return data.issues.map((issue) => issue.message).join(" ");
    }
    return error.message || "Something went wrong. Please try again.";
  }
  if (error instanceof Error && error.message) return error.message;
  return "Something went wrong. Please try again.";
}
