import { existsSync } from "node:fs";
import { testBackends } from "@admit/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, describeConfig, loadConfig } from "../src/config.ts";
import { storefrontDist } from "../src/http/web-apps.ts";
import { startTestServer, type TestServer } from "./harness.ts";

describe("configuration", () => {
  it("names every bad value in one message", () => {
    expect(() => loadConfig({ PORT: "eighty", DATABASE_URL: "mysql://x", AUTH_SECRET: "short" })).toThrow(ConfigError);
    try {
      loadConfig({ PORT: "eighty", DATABASE_URL: "mysql://x", AUTH_SECRET: "short" });
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain("PORT");
      expect(message).toContain("DATABASE_URL");
      expect(message).toContain("AUTH_SECRET");
      expect(message).not.toContain("short");
    }
  });

  it("needs all three campus sign-on settings or none", () => {
    expect(() => loadConfig({ OIDC_ISSUER: "https://sso.example.edu" })).toThrow(/OIDC_CLIENT_ID/);
    const config = loadConfig({
      OIDC_ISSUER: "https://sso.example.edu",
      OIDC_CLIENT_ID: "admit",
      OIDC_CLIENT_SECRET: "s3cret-value",
    });
    expect(config.oidc?.clientId).toBe("admit");
    expect(JSON.stringify(describeConfig(config))).not.toContain("s3cret-value");
  });

  it("defaults to the embedded database in ./.data on port 3000", () => {
    const config = loadConfig({});
    expect(config.databaseUrl).toBeUndefined();
    expect(config.port).toBe(3000);
    expect(config.dataDir.endsWith("/.data")).toBe(true);
  });
});

for (const backend of testBackends()) {
  describe(`server (${backend.kind})`, () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer(backend);
    });
    afterAll(async () => server?.close());

    it("reports health with the database kind and the migration state", async () => {
      const res = await fetch(`${server.url}/api/health`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { ok: boolean; database: string; migrations: { pending: string[]; applied: number } };
      expect(body).toMatchObject({ ok: true, database: backend.kind });
      expect(body.migrations.pending).toEqual([]);
      expect(body.migrations.applied).toBeGreaterThan(0);
    });

    it("answers unknown API paths with a JSON 404", async () => {
      const res = await fetch(`${server.url}/api/no-such-thing/`);
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ error: { code: "NOT_FOUND" } });
    });

    it("serves the storefront at / and the kiosk at /kiosk/", async () => {
      expect(existsSync(`${storefrontDist}/index.html`), "turbo builds the web apps before these tests").toBe(true);
      const home = await fetch(`${server.url}/`);
      expect(home.status).toBe(200);
      expect(await home.text()).toContain("<title>Admit");
      const deepLink = await fetch(`${server.url}/events/42`);
      expect(await deepLink.text()).toContain('<div id="root">');
      const kiosk = await fetch(`${server.url}/kiosk/`);
      expect(kiosk.status).toBe(200);
      expect(await kiosk.text()).toContain("Door kiosk");
    });

    it("answers a missing build file with 404, not with the app's page", async () => {
      for (const path of ["/assets/index-gone.js", "/kiosk/assets/index-gone.js"]) {
        const res = await fetch(`${server.url}${path}`);
        expect(res.status, path).toBe(404);
        expect(await res.json()).toMatchObject({ error: { code: "NOT_FOUND" } });
      }
    });
  });
}
