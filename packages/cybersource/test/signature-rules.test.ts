import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { dataToSign, formatSignedDateTime, SIGNED_DATE_TIME_PATTERN, signaturesEqual, signFields } from "../src/index.ts";
import { fieldNameList } from "../src/signature.ts";

describe("signaturesEqual", () => {
  const signature = "ahQfegQ7GC6ofuggsAt/Q3LLYLg96M0qvwL+y7IfWnU=";

  it.each([
    ["the same signature", signature, true],
    ["one character changed", `${signature.slice(0, -2)}Y=`, false],
    ["a prefix of it", signature.slice(0, 43), false],
    ["it with more appended", `${signature}A`, false],
    ["the empty string", "", false],
  ])("against %s: %s", (_what, given, equal) => {
    expect(signaturesEqual(signature, given)).toBe(equal);
  });
});

describe("SIGNED_DATE_TIME_PATTERN (YYYY-MM-DDThh:mm:ssZ, what the sandbox requires of signed_date_time)", () => {
  it.each([
    ["2026-01-25T17:38:11Z", true],
    ["1999-12-31T23:59:59Z", true],
    ["2026-01-25T17:38:11.000Z", false],
    ["2026-01-25T17:38:11", false],
    ["2026-01-25 17:38:11Z", false],
    ["26-01-25T17:38:11Z", false],
    ["x2026-01-25T17:38:11Z", false],
    ["2026-01-25T17:38:11Zx", false],
    ["2026-01-25T17:38:11+01:00", false],
    ["2026-01-25T173811Z", false],
    ["", false],
  ])("%j matches: %s", (value, matches) => {
    expect(SIGNED_DATE_TIME_PATTERN.test(value)).toBe(matches);
  });

  it("matches what formatSignedDateTime writes", () => {
    for (const at of ["2026-01-25T17:38:11.987Z", "2030-06-01T00:00:00.000Z", "2001-09-09T01:46:40.001Z"]) {
      expect(formatSignedDateTime(new Date(at))).toMatch(SIGNED_DATE_TIME_PATTERN);
    }
  });
});

describe("fieldNameList", () => {
  it.each([
    [undefined, []],
    ["", []],
    ["a", ["a"]],
    ["a,b", ["a", "b"]],
    // Kept, so that a malformed list is refused rather than silently repaired.
    ["a,,b", ["a", "", "b"]],
    ["a,", ["a", ""]],
  ])("%j is %j", (csv, names) => {
    expect(fieldNameList(csv)).toEqual(names);
  });
});

describe("dataToSign without signed_field_names", () => {
  it("signs the one empty name, as CyberSource's samples would", () => {
    expect(dataToSign({ amount: "25.00" })).toBe("=");
    expect(signFields({ amount: "25.00" }, "FOO")).toBe(createHmac("sha256", "FOO").update("=").digest("base64"));
  });
});
