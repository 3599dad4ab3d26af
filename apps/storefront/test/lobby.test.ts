import type { AppErrorCode } from "@admit/api/types";
import { TRPCClientError } from "@trpc/client";
import { describe, expect, it } from "vitest";
import { errorMessage, lobbyPathOf } from "../src/lib/errors.ts";
import { placeText, waitText } from "../src/pages/lobby/lobby-words.ts";

function refusal(appCode: AppErrorCode, message: string, details: Record<string, unknown>) {
  return TRPCClientError.from({
    error: { code: -32603, message, data: { code: "FORBIDDEN", httpStatus: 403, appCode, details, issues: null } },
  });
}

describe("a drop lobby in words", () => {
  it("says the place, who is ahead and the wait in whole minutes", () => {
    expect(placeText(12, 11)).toBe("You're #12 in line. 11 people ahead of you.");
    expect(placeText(2, 1)).toBe("You're #2 in line. 1 person ahead of you.");
    expect(placeText(2, 0)).toBe("You're #2 in line. You're next.");
    expect(placeText(5, null)).toBe("You're #5 in line.");
    expect(waitText(null)).toBeNull();
    expect(waitText(59)).toBe("Less than a minute");
    expect(waitText(150)).toBe("About 3 minutes");
    expect(waitText(3 * 3600 + 20 * 60)).toBe("About 3 hours 20 minutes");
  });

  it("turns a lobby refusal into the student's words and a link to the lobby, and nothing else into a link", () => {
    const path = "/events/4/showings/9/lobby";
    const required = refusal("LOBBY_REQUIRED", `This drop has a lobby: join it at ${path}.`, { lobbyPath: path, reason: "NOT_JOINED" });
    expect(errorMessage(required)).toBe("This drop has a lobby: join it, and you can pick tickets when your turn comes.");
    expect(lobbyPathOf(required)).toBe(path);
    const ended = refusal("LOBBY_WINDOW_ENDED", "Your turn ended.", { lobbyPath: path, reason: "WINDOW_ENDED" });
    expect(errorMessage(ended)).toMatch(/your place passed to the next student/);
    expect(lobbyPathOf(ended)).toBe(path);
    // Another site's address, or another code, is never a link.
    expect(lobbyPathOf(refusal("LOBBY_REQUIRED", "x", { lobbyPath: "https://evil.example/lobby", reason: "NOT_JOINED" }))).toBeNull();
    expect(lobbyPathOf(refusal("CART_STALE", "x", { lobbyPath: path }))).toBeNull();
    // An unknown reason keeps the server's message.
    expect(errorMessage(refusal("LOBBY_REQUIRED", "The server's own words.", { reason: "NEW" }))).toBe("The server's own words.");
  });
});
