import { describe, expect, it } from "vitest";
import { safeNext } from "../src/shell/RequireSignIn.tsx";

describe("safeNext: only same-site paths after sign-in", () => {
  it.each([
    ["/tickets", "/tickets"],
    ["/events/3?tab=door", "/events/3?tab=door"],
    ["/%09/example.org", "/%09/example.org"],
    [null, "/"],
    ["", "/"],
    ["tickets", "/"],
    ["https://evil.example/", "/"],
    ["//evil.example", "/"],
    ["/\\evil.example", "/"],
    ["\\\\evil.example", "/"],
    ["/\t/evil.example", "/"],
    ["/\tpage", "/\tpage"],
    ["/\n/evil.example", "/"],
  ])("%j -> %j", (next, expected) => {
    expect(safeNext(next)).toBe(expected);
  });
});
