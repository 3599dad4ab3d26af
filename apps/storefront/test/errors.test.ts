import type { AppErrorCode } from "@admit/api/types";
import { TRPCClientError } from "@trpc/client";
import { describe, expect, it } from "vitest";
import { appCodeOf, errorDetails, errorMessage } from "../src/lib/errors.ts";

/** A refusal as the client library builds it from the server's tRPC error envelope. */
function refusal(appCode: AppErrorCode, message: string, extra: { details?: Record<string, unknown>; issues?: Array<{ path: string[]; message: string }> } = {}) {
  return TRPCClientError.from({
    error: {
      code: -32603,
      message,
      data: { code: "FORBIDDEN", httpStatus: 403, appCode, details: extra.details ?? null, issues: extra.issues ?? null },
    },
  });
}

describe("what a failed call says", () => {
  it("shows the server's own message, which knows the case", () => {
    expect(errorMessage(refusal("NOT_ON_SALE", "This club is not selling tickets right now."))).toBe(
      "This club is not selling tickets right now.",
    );
    expect(errorMessage(refusal("NOT_ON_SALE", "Tickets for this showing are not on sale yet."))).toBe(
      "Tickets for this showing are not on sale yet.",
    );
    expect(errorMessage(refusal("RATE_LIMITED", "Too many wrong pairing codes from your network. Try again in 10 minutes."))).toBe(
      "Too many wrong pairing codes from your network. Try again in 10 minutes.",
    );
  });

  it("adds only what the browser knows, by the server's code", () => {
    expect(errorMessage(refusal("CART_STALE", "Some tickets are no longer available."))).toMatch(/Your cart has been updated/);
    expect(errorMessage(refusal("NOT_ENOUGH_TICKETS", "Not enough tickets of type VIP left!", { details: { type: "VIP" } }))).toBe(
      "There aren't that many VIP tickets left. Choose fewer and try again.",
    );
    // Without the detail it needs, the copy steps aside for the server's message.
    expect(errorMessage(refusal("NOT_ENOUGH_TICKETS", "Not enough \"VIP\" tickets are left."))).toBe('Not enough "VIP" tickets are left.');
  });

  it("lists the field problems of a refused input, and reads code and details typed", () => {
    const error = refusal("VALIDATION_FAILED", "name: Give the event a name.", {
      issues: [{ path: ["name"], message: "Give the event a name." }],
      details: { unknownUsernames: ["zed"] },
    });
    expect(errorMessage(error)).toBe("Give the event a name.");
    expect(appCodeOf(error)).toBe("VALIDATION_FAILED");
    expect(errorDetails(error)).toEqual({ unknownUsernames: ["zed"] });
  });

  it("says the server could not be reached when no answer came", () => {
    expect(errorMessage(TRPCClientError.from(new TypeError("Failed to fetch")))).toMatch(/couldn't reach the server/);
    expect(appCodeOf(new Error("x"))).toBeUndefined();
  });
});
