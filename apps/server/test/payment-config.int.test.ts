import { DEVELOPMENT_ACCESS_KEY, DEVELOPMENT_PROFILE_ID, DEVELOPMENT_SECRET_KEY } from "@admit/cybersource";
import { describe, expect, it } from "vitest";
import { ConfigError, describeConfig, loadConfig } from "../src/config.ts";

const real = {
  CYBERSOURCE_URL: "https://testsecureacceptance.cybersource.com/pay",
  CYBERSOURCE_ACCESS_KEY: "0123456789abcdef0123456789abcdef",
  CYBERSOURCE_PROFILE_ID: "0FFEAFFB-8171-4F34-A22D-1CD38A28A384",
  CYBERSOURCE_SECRET_KEY: "super-secret-profile-key-0123456789",
};
const rest = {
  CYBERSOURCE_REST_HOST: "apitest.cybersource.com",
  CYBERSOURCE_MERCHANT_ID: "test_merchant",
  CYBERSOURCE_REST_KEY_ID: "00000000-1111-2222-3333-444444444444",
  CYBERSOURCE_REST_SECRET: "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
};

describe("CyberSource configuration", () => {
  it("uses the local sandbox with the documented development keys when nothing is configured and it is asked for", () => {
    const config = loadConfig({ PUBLIC_URL: "https://tickets.example.edu/", CYBERSOURCE_SANDBOX: "true" });
    expect(config.cybersource).toEqual({
      sandbox: true,
      sandboxRefunds: false,
      profile: {
        url: "https://tickets.example.edu/sandbox/cybersource/pay",
        accessKey: DEVELOPMENT_ACCESS_KEY,
        profileId: DEVELOPMENT_PROFILE_ID,
        secretKey: DEVELOPMENT_SECRET_KEY,
      },
    });
    expect(describeConfig(config)).toMatchObject({ payments: "sandbox", refunds: "manual (tasks on the club dashboard)" });
  });

  it("uses the sandbox by default on a plain-http PUBLIC_URL (development), and when CYBERSOURCE_SANDBOX=true", () => {
    for (const env of [{}, { PUBLIC_URL: "http://localhost:3000" }, { CYBERSOURCE_SANDBOX: "true" }, { CYBERSOURCE_SANDBOX: "" }]) {
      expect(loadConfig(env).cybersource.sandbox, JSON.stringify(env)).toBe(true);
    }
  });

  it("refuses to start an https site on the sandbox unless CYBERSOURCE_SANDBOX=true says so, naming both ways out", () => {
    for (const env of [
      { PUBLIC_URL: "https://tickets.example.edu" },
      { PUBLIC_URL: "https://tickets.example.edu", CYBERSOURCE_SECRET_KEY: "a-sandbox-only-secret" },
      { PUBLIC_URL: "https://tickets.example.edu", ...rest },
    ]) {
      let message = "";
      try {
        loadConfig(env);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        message = (error as Error).message;
      }
      expect(message, JSON.stringify(env)).toMatch(/PUBLIC_URL is https/);
      expect(message).toContain("CYBERSOURCE_SANDBOX=true");
      for (const key of ["CYBERSOURCE_URL", "CYBERSOURCE_ACCESS_KEY", "CYBERSOURCE_PROFILE_ID", "CYBERSOURCE_SECRET_KEY"]) {
        expect(message).toContain(key);
      }
      expect(message).not.toContain("a-sandbox-only-secret");
    }
    expect(loadConfig({ PUBLIC_URL: "https://tickets.example.edu", ...real }).cybersource.sandbox).toBe(false);
    expect(loadConfig({ PUBLIC_URL: "https://tickets.example.edu", CYBERSOURCE_SANDBOX: "true" }).cybersource.sandbox).toBe(true);
  });

  it("refuses CYBERSOURCE_SANDBOX=true together with real keys, and CYBERSOURCE_SANDBOX=false without them", () => {
    expect(() => loadConfig({ ...real, CYBERSOURCE_SANDBOX: "true" })).toThrow(ConfigError);
    expect(() => loadConfig({ ...real, CYBERSOURCE_SANDBOX: "true" })).toThrow(/CYBERSOURCE_SANDBOX=true .* are set as well/);
    expect(() => loadConfig({ CYBERSOURCE_SANDBOX: "false" })).toThrow(ConfigError);
    expect(() => loadConfig({ CYBERSOURCE_SANDBOX: "false" })).toThrow(/CYBERSOURCE_SANDBOX=false .*CYBERSOURCE_URL/);
    expect(loadConfig({ ...real, CYBERSOURCE_SANDBOX: "false" }).cybersource.sandbox).toBe(false);
    expect(() => loadConfig({ CYBERSOURCE_SANDBOX: "maybe" })).toThrow(/CYBERSOURCE_SANDBOX/);
  });

  it("sends automatic refunds to the sandbox's REST refund only when asked, and only while the sandbox is on without REST keys", () => {
    const config = loadConfig({ PUBLIC_URL: "http://localhost:3000", CYBERSOURCE_SANDBOX_REFUNDS: "true" });
    expect(config.cybersource).toMatchObject({ sandbox: true, sandboxRefunds: true, rest: { host: "http://localhost:3000/sandbox/cybersource" } });
    expect(describeConfig(config).refunds).toMatch(/^sandbox/);
    expect(loadConfig({}).cybersource.rest).toBeUndefined();
    expect(() => loadConfig({ ...real, CYBERSOURCE_SANDBOX_REFUNDS: "true" })).toThrow(/CYBERSOURCE_SANDBOX_REFUNDS=true .*real CyberSource keys are set/);
    expect(() => loadConfig({ ...rest, CYBERSOURCE_SANDBOX_REFUNDS: "true" })).toThrow(/CYBERSOURCE_SANDBOX_REFUNDS=true .*CYBERSOURCE_REST_HOST/);
    expect(() => loadConfig({ CYBERSOURCE_SANDBOX_REFUNDS: "maybe" })).toThrow(/CYBERSOURCE_SANDBOX_REFUNDS/);
  });

  it("lets the sandbox sign with CYBERSOURCE_SECRET_KEY", () => {
    const config = loadConfig({ CYBERSOURCE_SECRET_KEY: "my-own-sandbox-secret" });
    expect(config.cybersource.sandbox).toBe(true);
    expect(config.cybersource.profile.secretKey).toBe("my-own-sandbox-secret");
  });

  it("uses a real profile and REST keys when all are given, and never shows a secret", () => {
    const config = loadConfig({ ...real, ...rest });
    expect(config.cybersource).toEqual({
      sandbox: false,
      sandboxRefunds: false,
      profile: {
        url: real.CYBERSOURCE_URL,
        accessKey: real.CYBERSOURCE_ACCESS_KEY,
        profileId: real.CYBERSOURCE_PROFILE_ID,
        secretKey: real.CYBERSOURCE_SECRET_KEY,
      },
      rest: {
        host: rest.CYBERSOURCE_REST_HOST,
        merchantId: rest.CYBERSOURCE_MERCHANT_ID,
        keyId: rest.CYBERSOURCE_REST_KEY_ID,
        sharedSecret: rest.CYBERSOURCE_REST_SECRET,
      },
    });
    const described = JSON.stringify(describeConfig(config));
    expect(described).toContain(real.CYBERSOURCE_PROFILE_ID);
    expect(described).not.toContain(real.CYBERSOURCE_SECRET_KEY);
    expect(described).not.toContain(rest.CYBERSOURCE_REST_SECRET);
    expect(described).not.toContain(real.CYBERSOURCE_ACCESS_KEY);
  });

  it("stops with a message naming the settings when only some are given", () => {
    const { CYBERSOURCE_SECRET_KEY: _secret, ...withoutSecret } = real;
    expect(() => loadConfig(withoutSecret)).toThrow(ConfigError);
    expect(() => loadConfig(withoutSecret)).toThrow(/CYBERSOURCE_SECRET_KEY/);
    expect(() => loadConfig({ CYBERSOURCE_ACCESS_KEY: "abc" })).toThrow(/CYBERSOURCE_URL/);
    expect(() => loadConfig({ CYBERSOURCE_REST_HOST: "apitest.cybersource.com" })).toThrow(/CYBERSOURCE_REST_KEY_ID/);
    expect(() => loadConfig({ ...rest, CYBERSOURCE_REST_SECRET: "not base64!" })).toThrow(/CYBERSOURCE_REST_SECRET/);
    expect(() => loadConfig({ ...real, CYBERSOURCE_URL: "not a url" })).toThrow(/CYBERSOURCE_URL/);
  });
});
