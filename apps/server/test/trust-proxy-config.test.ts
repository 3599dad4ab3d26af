import { describe, expect, it } from "vitest";
import { ConfigError, describeConfig, loadConfig } from "../src/config.ts";

function refusal(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error(`${JSON.stringify(env)} was accepted`);
}

describe("TRUST_PROXY", () => {
  it("trusts no proxy unless told: unset, empty, false and 0 all mean the connecting address is the client", () => {
    for (const TRUST_PROXY of [undefined, "", "false", "FALSE", "no", "0"]) {
      expect(loadConfig(TRUST_PROXY === undefined ? {} : { TRUST_PROXY }).trustProxy, String(TRUST_PROXY)).toBe(false);
    }
    expect(describeConfig(loadConfig({})).trustProxy).toMatch(/^off/);
  });

  it("takes the balancer's addresses and CIDR ranges, IPv4 and IPv6, and proxy-addr's range names", () => {
    expect(loadConfig({ TRUST_PROXY: "10.0.0.0/8, 192.168.1.5" }).trustProxy).toEqual(["10.0.0.0/8", "192.168.1.5"]);
    expect(loadConfig({ TRUST_PROXY: "fd00::/8,::1" }).trustProxy).toEqual(["fd00::/8", "::1"]);
    expect(loadConfig({ TRUST_PROXY: "uniquelocal,Loopback" }).trustProxy).toEqual(["uniquelocal", "loopback"]);
    expect(describeConfig(loadConfig({ TRUST_PROXY: "10.0.0.0/8,192.168.1.5" })).trustProxy).toBe("10.0.0.0/8,192.168.1.5");
  });

  it("refuses true, which would let any client choose its address, and says what to set instead", () => {
    for (const TRUST_PROXY of ["true", "TRUE", "yes"]) {
      const message = refusal({ TRUST_PROXY });
      expect(message).toContain("TRUST_PROXY");
      expect(message).toContain("X-Forwarded-For");
      expect(message).toMatch(/addresses or CIDR ranges/);
    }
  });

  it("refuses a hop count, which cannot tell the balancer from a client that connects directly", () => {
    for (const TRUST_PROXY of ["1", "2", "10"]) {
      const message = refusal({ TRUST_PROXY });
      expect(message).toContain("TRUST_PROXY");
      expect(message).toMatch(/hop count/);
      expect(message).toMatch(/addresses or CIDR ranges/);
    }
  });

  it("refuses what is not an address or range, naming the bad entry, and ranges that cover every address", () => {
    for (const [TRUST_PROXY, bad] of [
      ["10.0.0.0/33", "10.0.0.0/33"],
      ["10.0.0.1,balancer.local", "balancer.local"],
      ["300.1.1.1", "300.1.1.1"],
      ["10.0.0.0/8/1", "10.0.0.0/8/1"],
      ["10.0.0.1,", ""],
      ["0.0.0.0/0", "0.0.0.0/0"],
      ["::/0", "::/0"],
      ["fd00::/129", "fd00::/129"],
    ] as const) {
      const message = refusal({ TRUST_PROXY });
      expect(message).toContain("TRUST_PROXY");
      expect(message).toContain(JSON.stringify(bad));
    }
  });
});
