import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkKeyIds, formatVerifyingKey, fromBase64Url, generateSigningKey, parseSigningKey, parseVerifyingKey, signTicketCode, TicketKeyError, toBase64Url, verifyingKeyOf } from "../src/index.ts";
import { readVarint, writeVarint } from "../src/bytes.ts";

describe("base64url", () => {
  it("matches Node's encoder for every length and byte value", () => {
    for (let length = 0; length < 70; length++) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 97 + length * 31) & 0xff);
      const text = toBase64Url(bytes);
      expect(text).toBe(Buffer.from(bytes).toString("base64url"));
      expect(fromBase64Url(text)).toEqual(bytes);
    }
  });

  it("rejects characters outside the alphabet, padding and impossible lengths", () => {
    for (const text of ["AAA=", "AA+A", "AA/A", "A", "AAAAA", "AA A"]) expect(fromBase64Url(text)).toBeNull();
  });
});

describe("varints", () => {
  it("round-trips boundaries in their shortest form", () => {
    for (const value of [0, 1, 127, 128, 16383, 16384, 2 ** 21, 2 ** 32 - 1]) {
      const out: number[] = [];
      writeVarint(value, out);
      expect(readVarint(Uint8Array.from(out), 0)).toEqual({ value, next: out.length });
    }
  });

  it("refuses values it cannot write and bytes it must not read", () => {
    for (const value of [-1, 1.5, 2 ** 32, Number.NaN]) expect(() => writeVarint(value, [])).toThrow(RangeError);
    expect(readVarint(Uint8Array.from([0x80]), 0)).toBeNull();
    expect(readVarint(Uint8Array.from([0x80, 0x00]), 0)).toBeNull();
    expect(readVarint(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0x7f]), 0)).toBeNull();
    expect(readVarint(Uint8Array.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x01]), 0)).toBeNull();
  });
});

describe("key text", () => {
  it("parses and formats keys as kid:base64url", () => {
    const key = generateSigningKey(12);
    const publicText = formatVerifyingKey(verifyingKeyOf(key));
    expect(publicText).toMatch(/^12:[A-Za-z0-9_-]{43}$/);
    expect(parseVerifyingKey(publicText).publicKey).toEqual(key.publicKey);
  });

  it("explains what is wrong with a bad key", () => {
    const good = toBase64Url(new Uint8Array(32).fill(7));
    for (const entry of ["nocolon", `x:${good}`, `-1:${good}`, `70000:${good}`, "1:short", `1:${good}AA`, `1:${good.slice(0, -1)}+`]) {
      expect(() => parseSigningKey(entry), entry).toThrow(TicketKeyError);
    }
  });

  it("refuses an empty key list and a key id used twice", () => {
    const a = verifyingKeyOf(generateSigningKey(1));
    expect(() => checkKeyIds([])).toThrow(TicketKeyError);
    expect(() => checkKeyIds([a, { ...a }])).toThrow(/used twice/);
    expect(() => checkKeyIds([a, verifyingKeyOf(generateSigningKey(2))])).not.toThrow();
  });

  it("refuses to sign a ticket id that is not a UUID or a negative showing", () => {
    const key = generateSigningKey(1);
    expect(() => signTicketCode({ ticketId: "nope", showingId: 1, generation: 0 }, key)).toThrow(RangeError);
    expect(() => signTicketCode({ ticketId: "0f8fad5b-d9cb-469f-a165-70867728950e", showingId: -1, generation: 0 }, key)).toThrow(RangeError);
  });
});

describe("runs in the kiosk's browser", () => {
  it("uses no Node-only API in its source", () => {
    const dir = new URL("../src/", import.meta.url);
    for (const file of readdirSync(dir)) {
      const source = readFileSync(new URL(file, dir), "utf8");
      // Under mutation testing the sources carry StrykerJS's instrumentation, which is not the code that ships.
      if (source.includes("__stryker__")) continue;
      expect(source, file).not.toMatch(/from "node:|require\(|\bBuffer\b|\bprocess\./);
    }
  });
});
