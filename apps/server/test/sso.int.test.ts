import { testBackends } from "@admit/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, trpc, type TestServer } from "./harness.ts";
import { startFakeIdp, type FakeIdp } from "./oidc-provider.ts";

function cookieJar(response: Response, jar = new Map<string, string>()) {
  for (const c of response.headers.getSetCookie()) {
    const [pair] = c.split(";");
    const [name, ...value] = pair!.split("=");
    jar.set(name!, value.join("="));
  }
  return jar;
}
const cookieHeader = (jar: Map<string, string>) => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");

const [backend] = testBackends();

describe("campus single sign-on (OpenID Connect)", () => {
  let idp: FakeIdp;
  let server: TestServer;
  beforeAll(async () => {
    idp = await startFakeIdp({
      sub: "campus-4711",
      email: "jmartin@campus.example.edu",
      name: "Jordan Martin",
      preferred_username: "jmartin",
    });
    server = await startTestServer(backend!, {
      OIDC_ISSUER: idp.issuer,
      OIDC_CLIENT_ID: idp.clientId,
      OIDC_CLIENT_SECRET: idp.clientSecret,
    });
  });
  afterAll(async () => {
    await server?.close();
    await idp?.close();
  });

  it("is offered to the storefront when configured", async () => {
    const options = await trpc(server, "account.signInOptions");
    expect(options.data).toMatchObject({ campusSignOn: true, campusProviderId: "campus" });
  });

  it("signs a campus user in through the provider and creates their account with the campus username", async () => {
    const start = await fetch(`${server.url}/api/auth/sign-in/social`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: server.url },
      body: JSON.stringify({ provider: "campus", callbackURL: "/", disableRedirect: true }),
    });
    expect(start.status).toBe(200);
    const jar = cookieJar(start);
    const { url } = (await start.json()) as { url: string };
    expect(url.startsWith(`${idp.issuer}/authorize`)).toBe(true);

    const atIdp = await fetch(url, { redirect: "manual" });
    expect(atIdp.status).toBe(302);
    const callback = atIdp.headers.get("location")!;
    expect(callback.startsWith(`${server.url}/api/auth/callback/campus`)).toBe(true);

    const back = await fetch(callback, { redirect: "manual", headers: { cookie: cookieHeader(jar) } });
    expect(back.status).toBe(302);
    cookieJar(back, jar);
    expect(jar.get("admit.session_token")).toBeTruthy();

    const me = await trpc(server, "account.me", { cookie: cookieHeader(jar) });
    expect(me.status).toBe(200);
    expect(me.data).toMatchObject({ username: "jmartin", fullName: "Jordan Martin", email: "jmartin@campus.example.edu" });
  });
});

describe("campus single sign-on when not configured", () => {
  it("is off: not offered and the sign-in endpoint refuses the provider", async () => {
    const server = await startTestServer(backend!);
    try {
      expect((await trpc(server, "account.signInOptions")).data).toMatchObject({ campusSignOn: false });
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
