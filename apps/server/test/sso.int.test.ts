import { testBackends } from "@admit/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.ts";
import { freePort, startTestServer, TEST_PASSWORD, trpc, type TestServer } from "./harness.ts";
import { startCampusProvider, type CampusProvider } from "./oidc-provider.ts";

const [backend] = testBackends();
const quietAuthLog = { debug() {}, info() {}, warn() {}, error() {} };

// The browser flows are in e2e/sso.e2e.test.ts; these are the parts a plain HTTP client can see.
describe("campus single sign-on (OpenID Connect)", () => {
  let provider: CampusProvider;
  let server: TestServer;
  beforeAll(async () => {
    const port = await freePort();
    provider = await startCampusProvider({ users: [], admitUrls: [`http://127.0.0.1:${port}`], clientAuthMethods: ["client_secret_post"] });
    server = await startTestServer(backend!, { ...provider.env, PORT: String(port) }, { authLogger: quietAuthLog });
  });
  afterAll(async () => {
    await server?.close();
    await provider?.close();
  });

  it("is offered to the storefront and reported available in /api/health", async () => {
    const options = await trpc(server, "account.signInOptions");
    expect(options.data).toMatchObject({ campusSignOn: true, campusSignOnAvailable: true, campusProviderId: "campus" });
    const health = await (await fetch(`${server.url}/api/health`)).json();
    expect(health).toMatchObject({ ok: true, campusSignOn: "available" });
  });

  it("starts at the provider's authorization endpoint with PKCE and a nonce", async () => {
    const start = await fetch(`${server.url}/api/auth/sign-in/social`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: server.url },
      body: JSON.stringify({ provider: "campus", callbackURL: "/", disableRedirect: true }),
    });
    expect(start.status).toBe(200);
    const url = new URL(((await start.json()) as { url: string }).url);
    expect(url.origin).toBe(provider.issuer);
    expect(url.searchParams.get("redirect_uri")).toBe(`${server.url}/api/auth/callback/campus`);
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    expect(url.searchParams.get("nonce")).toBeTruthy();
  });

  it("uses the client authentication discovery advertises, unless OIDC_CLIENT_AUTH forces one", () => {
    // This provider advertises only client_secret_post.
    expect(server.runtime.auth.campus?.clientAuthMethod).toBe("client_secret_post");
  });

  it("never shows the auth library's error page: its address sends the browser to the storefront's", async () => {
    const res = await fetch(`${server.url}/api/auth/error?error=state_mismatch`, { redirect: "manual" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`${server.url}/sign-in/problem?error=state_mismatch`);
  });

  it("linking a campus identity needs a password sign-in within the last 10 minutes", async () => {
    const { username } = await server.createAccount();
    const signIn = await fetch(`${server.url}/api/auth/sign-in/username`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: server.url },
      body: JSON.stringify({ username, password: TEST_PASSWORD }),
    });
    const cookie = signIn.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    const link = () =>
      fetch(`${server.url}/api/auth/link-social`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: server.url, cookie },
        body: JSON.stringify({ provider: "campus", callbackURL: "/account", disableRedirect: true }),
      });
    const fresh = await link();
    expect(fresh.status).toBe(200);
    expect(new URL(((await fresh.json()) as { url: string }).url).origin).toBe(provider.issuer);

    // The same session, left open for 11 minutes (a shared computer): refused.
    const { id } = await server.db.prisma.user.findUniqueOrThrow({ where: { username } });
    await server.db.prisma.session.updateMany({ where: { userId: id }, data: { createdAt: new Date(Date.now() - 11 * 60_000) } });
    const stale = await link();
    expect(stale.status).toBe(403);
    expect(((await stale.json()) as { error: { code: string } }).error.code).toBe("SIGN_IN_AGAIN_TO_LINK");
  });

  it("a callback with a state this browser never started goes to the problem page", async () => {
    const res = await fetch(`${server.url}/api/auth/callback/campus?code=x&state=forged`, { redirect: "manual" });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get("location")!);
    expect(location.origin + location.pathname).toBe(`${server.url}/sign-in/problem`);
    expect(location.searchParams.get("error")).toMatch(/state/);
  });
});

describe("campus sign-on settings", () => {
  const oidc = { OIDC_ISSUER: "https://login.example.edu", OIDC_CLIENT_ID: "admit", OIDC_CLIENT_SECRET: "s" };
  it("OIDC_CLIENT_AUTH takes client_secret_basic or client_secret_post only", () => {
    expect(loadConfig({ ...oidc, OIDC_CLIENT_AUTH: "client_secret_post" }).oidc?.clientAuth).toBe("client_secret_post");
    expect(loadConfig(oidc).oidc?.clientAuth).toBeUndefined();
    expect(() => loadConfig({ ...oidc, OIDC_CLIENT_AUTH: "private_key_jwt" })).toThrow(/OIDC_CLIENT_AUTH/);
  });

  it("client_secret_basic is the default when discovery lists it or says nothing", async () => {
    const port = await freePort();
    const both = await startCampusProvider({ users: [], admitUrls: [`http://127.0.0.1:${port}`] });
    const server = await startTestServer(backend!, { ...both.env, PORT: String(port) }, { authLogger: quietAuthLog });
    try {
      expect(server.runtime.auth.campus?.clientAuthMethod).toBe("client_secret_basic");
    } finally {
      await server.close();
      await both.close();
    }
  });
});

describe("campus single sign-on when not configured", () => {
  it("is off: not offered, health says off, and the sign-in endpoint refuses the provider", async () => {
    const server = await startTestServer(backend!);
    try {
      expect((await trpc(server, "account.signInOptions")).data).toMatchObject({ campusSignOn: false, campusSignOnAvailable: false });
      expect(await (await fetch(`${server.url}/api/health`)).json()).toMatchObject({ ok: true, campusSignOn: "off" });
      const res = await fetch(`${server.url}/api/auth/sign-in/social`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: server.url },
        body: JSON.stringify({ provider: "campus", callbackURL: "/", disableRedirect: true }),
      });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    } finally {
      await server.close();
    }
  });
});
