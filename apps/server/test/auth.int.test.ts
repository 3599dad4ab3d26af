import { testBackends } from "@admit/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, TEST_PASSWORD, trpc, type TestServer } from "./harness.ts";

for (const backend of testBackends()) {
  describe(`accounts and sign-in (${backend.kind})`, () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer(backend);
    });
    afterAll(async () => server?.close());

    it("POST /api/auth/token returns a bearer token that signed-in procedures accept", async () => {
      const { username } = await server.createAccount({ fullName: "Ada Lovelace" });
      const token = await server.tokenFor(username);
      expect(token).toMatch(/^\S{20,}$/);
      const me = await trpc(server, "account.me", { token });
      expect(me.status).toBe(200);
      expect(me.data).toMatchObject({ username, fullName: "Ada Lovelace", isSiteAdmin: false, clubs: [] });
    });

    it("refuses a wrong password and an unknown username with the same 401, so usernames cannot be probed", async () => {
      const { username } = await server.createAccount();
      const post = (body: unknown) =>
        fetch(`${server.url}/api/auth/token`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
        });
      const wrong = await post({ username, password: "not the password" });
      const unknown = await post({ username: "nobody_at_all_here", password: "not the password" });
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      expect(await wrong.json()).toEqual(await unknown.json());
    });

    it("answers bad token requests with 400 and a JSON message", async () => {
      for (const body of ['{"username": 5}', "not json", "{}"]) {
        const res = await fetch(`${server.url}/api/auth/token`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body,
        });
        expect(res.status).toBe(400);
        expect((await res.json()) as object).toHaveProperty("error.message");
      }
    });

    it("gives 401 with a JSON error when a signed-in procedure is called without credentials", async () => {
      const res = await fetch(`${server.url}/trpc/account.me`);
      expect(res.status).toBe(401);
      expect(res.headers.get("content-type")).toContain("application/json");
      const body = (await res.json()) as { error: { data: { appCode: string } } };
      expect(body.error.data.appCode).toBe("UNAUTHENTICATED");
    });

    it("signs a browser in with an httpOnly SameSite session cookie, and out again", async () => {
      const { username } = await server.createAccount();
      const signIn = await fetch(`${server.url}/api/auth/sign-in/username`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: server.url },
        body: JSON.stringify({ username, password: TEST_PASSWORD }),
      });
      expect(signIn.status).toBe(200);
      const setCookie = signIn.headers.getSetCookie().find((c) => c.startsWith("admit.session_token="));
      expect(setCookie).toBeDefined();
      expect(setCookie).toMatch(/HttpOnly/i);
      expect(setCookie).toMatch(/SameSite=Lax/i);
      const cookie = setCookie!.split(";")[0]!;
      expect((await trpc(server, "account.me", { cookie })).data).toMatchObject({ username });

      const signOut = await fetch(`${server.url}/api/auth/sign-out`, {
        method: "POST",
        headers: { cookie, origin: server.url, "content-type": "application/json" },
        body: "{}",
      });
      expect(signOut.status).toBe(200);
      expect((await trpc(server, "account.me", { cookie })).status).toBe(401);
    });

    it("lists an owner's tokens without their secrets and revokes one", async () => {
      const { username } = await server.createAccount();
      const first = await server.tokenFor(username);
      const second = await server.tokenFor(username);
      const listed = await trpc(server, "account.listTokens", { token: first });
      const tokens = listed.data as Array<{ id: string; current: boolean }>;
      expect(tokens).toHaveLength(2);
      expect(JSON.stringify(tokens)).not.toContain(first);
      expect(JSON.stringify(tokens)).not.toContain(second);
      const other = tokens.find((t) => !t.current)!;
      expect((await trpc(server, "account.revokeToken", { token: first, input: { id: other.id }, mutation: true })).status).toBe(200);
      expect((await trpc(server, "account.me", { token: second })).status).toBe(401);
      expect((await trpc(server, "account.me", { token: first })).status).toBe(200);
    });

    it("does not let anyone revoke another person's token", async () => {
      const a = await server.createAccount();
      const b = await server.createAccount();
      const tokenA = await server.tokenFor(a.username);
      const tokenB = await server.tokenFor(b.username);
      const [bSession] = (await trpc(server, "account.listTokens", { token: tokenB })).data as Array<{ id: string }>;
      const attempt = await trpc(server, "account.revokeToken", { token: tokenA, input: { id: bSession!.id }, mutation: true });
      expect(attempt.status).toBe(404);
      expect((await trpc(server, "account.me", { token: tokenB })).status).toBe(200);
    });

    it("answers calls that arrive together, whose token lookups share a statement, each as its own caller", async () => {
      const accounts = await Promise.all(Array.from({ length: 12 }, (_, i) => server.createAccount({ fullName: `Batch Student ${i}` })));
      const tokens = await Promise.all(accounts.map((a) => server.tokenFor(a.username)));
      const calls = [...tokens, "garbage", tokens[0]!].map((token) => trpc(server, "account.me", { token }));
      const answers = await Promise.all(calls);
      accounts.forEach((account, i) => {
        expect(answers[i]!.status).toBe(200);
        expect(answers[i]!.data).toMatchObject({ username: account.username, fullName: `Batch Student ${i}` });
      });
      expect(answers[12]!.status).toBe(401);
      expect(answers[13]!.data).toMatchObject({ username: accounts[0]!.username });
    });

    it("a forged or garbage bearer token is simply not signed in", async () => {
      for (const token of ["garbage", "a.b", "x".repeat(300), "admitdev_unknown"]) {
        expect((await trpc(server, "account.me", { token })).status).toBe(401);
      }
    });
  });
}

describe("sign-in rate limit", () => {
  it("stops repeated attempts from one address with 429, shared through the database", async () => {
    const [backend] = testBackends();
    const server = await startTestServer(backend!, { SIGNIN_RATE_LIMIT_MAX: "3" });
    try {
      const { username } = await server.createAccount();
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await fetch(`${server.url}/api/auth/token`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ username, password: "wrong password" }),
        });
        statuses.push(res.status);
      }
      expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
      expect(statuses.slice(3)).toEqual([429, 429]);
      expect(await server.db.prisma.rateLimit.count()).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });
});
