import { createClub, createEvent, createShowing } from "@admit/db/factories";
import { testBackends } from "@admit/db/testing";
import { RATE_RULES } from "@admit/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./harness.ts";

/** A tRPC call from a client at `address` (the test server trusts 127.0.0.1 as its load balancer). */
async function call(server: TestServer, address: string, path: string, opts: { token?: string; input?: unknown; mutation?: boolean } = {}) {
  const headers: Record<string, string> = { "content-type": "application/json", "x-forwarded-for": address };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  const res = opts.mutation
    ? await fetch(`${server.url}/trpc/${path}`, { method: "POST", headers, body: JSON.stringify(opts.input ?? {}) })
    : await fetch(`${server.url}/trpc/${path}`, { headers });
  const body = (await res.json()) as { result?: { data: unknown }; error?: { message: string; data: { appCode: string } } };
  return { status: res.status, retryAfter: res.headers.get("retry-after"), data: body.result?.data as never, error: body.error };
}

for (const backend of testBackends()) {
  describe(`failed credentials are rate-limited per client address (${backend.kind})`, () => {
    let server: TestServer;
    let officerToken: string;
    let clubId: number;
    let showingId: number;
    let nextAddress = 10;
    const freshAddress = () => `203.0.113.${nextAddress++}`;

    beforeAll(async () => {
      server = await startTestServer(backend, { TRUST_PROXY: "127.0.0.1" });
      const officer = await server.createAccount();
      officerToken = await server.tokenFor(officer.username);
      const club = await createClub(server.db.prisma, { officers: [officer.id] });
      clubId = club.id;
      showingId = (await createShowing(server.db.prisma, (await createEvent(server.db.prisma, club.id)).id)).id;
    });
    afterAll(async () => server?.close());

    async function newPairingCode(name: string): Promise<string> {
      const created = await call(server, "198.51.100.1", "kiosk.createDevice", {
        token: officerToken,
        mutation: true,
        input: { clubId, name, showingIds: [showingId] },
      });
      expect(created.status).toBe(200);
      return (created.data as { pairingCode: string }).pairingCode;
    }

    it("pairing: wrong codes get 404 up to the limit, then 429 even for the right code; another address still pairs", async () => {
      const code = await newPairingCode("Guessed door");
      const guesser = freshAddress();
      const { max } = RATE_RULES.failedPairing;
      for (let i = 0; i < max; i++) {
        const wrong = await call(server, guesser, "kiosk.pair", { mutation: true, input: { code: `ZZZZ-${String(i).padStart(4, "0")}` } });
        expect(wrong.status).toBe(404);
      }
      const limited = await call(server, guesser, "kiosk.pair", { mutation: true, input: { code: "ZZZZ-9999" } });
      expect(limited.status).toBe(429);
      expect(limited.error?.data.appCode).toBe("RATE_LIMITED");
      expect(limited.error?.message).toMatch(/too many wrong pairing codes/i);
      expect(Number(limited.retryAfter)).toBeGreaterThan(0);
      expect(Number(limited.retryAfter)).toBeLessThanOrEqual(RATE_RULES.failedPairing.windowSeconds);
      // Past the limit a guess is not even looked at, so a lucky one is no use.
      expect((await call(server, guesser, "kiosk.pair", { mutation: true, input: { code } })).status).toBe(429);

      const door = await call(server, freshAddress(), "kiosk.pair", { mutation: true, input: { code } });
      expect(door.status).toBe(200);
      expect((door.data as { token: string }).token).toMatch(/^admitdev_/);

      server.clock.advance(RATE_RULES.failedPairing.windowSeconds * 1000);
      const later = await call(server, guesser, "kiosk.pair", { mutation: true, input: { code: "ZZZZ-0000" } });
      expect(later.status).toBe(404);
    });

    it("bearer tokens: guesses get 401 up to the limit, then 429 on tRPC and REST; a correct token still works", async () => {
      const student = await server.createAccount();
      const token = await server.tokenFor(student.username);
      const guesser = freshAddress();
      const { max } = RATE_RULES.failedToken;
      for (let i = 0; i < max; i++) {
        const guess = await call(server, guesser, "account.me", { token: `guess${i}abcdefghijklmnopqrstuvwxyz` });
        expect(guess.status).toBe(401);
      }
      const limited = await call(server, guesser, "account.me", { token: "guess-after-the-limit" });
      expect(limited.status).toBe(429);
      expect(limited.error?.data.appCode).toBe("RATE_LIMITED");
      expect(limited.error?.message).toMatch(/token that is not valid/i);
      expect(Number(limited.retryAfter)).toBeGreaterThan(0);
      // Public procedures too: a bad token is refused before anything runs.
      expect((await call(server, guesser, "event.list", { token: "guess-on-a-public-procedure" })).status).toBe(429);

      const rest = await fetch(`${server.url}/api/tickets/`, {
        headers: { authorization: "Bearer guess-over-rest", "x-forwarded-for": guesser },
      });
      expect(rest.status).toBe(429);
      expect(rest.headers.get("retry-after")).toMatch(/^\d+$/);
      expect(await rest.json()).toMatchObject({ error: { code: "RATE_LIMITED" } });

      const elsewhere = await call(server, freshAddress(), "account.me", { token });
      expect(elsewhere.status).toBe(200);
      expect((elsewhere.data as { username: string }).username).toBe(student.username);
      // Successes are never counted or slowed, even from the address that is over the limit.
      expect((await call(server, guesser, "account.me", { token })).status).toBe(200);
      // Without any token the public API answers as usual.
      expect((await call(server, guesser, "event.list")).status).toBe(200);
    });

    it("door-device tokens: unknown ones count like bearer guesses; a paired device is never slowed", async () => {
      const paired = await call(server, freshAddress(), "kiosk.pair", { mutation: true, input: { code: await newPairingCode("Real door") } });
      const deviceToken = (paired.data as { token: string }).token;
      const guesser = freshAddress();
      for (let i = 0; i < RATE_RULES.failedToken.max; i++) {
        const guess = await call(server, guesser, "door.manifest", { token: `admitdev_guess${i}`, input: undefined });
        expect(guess.status).toBe(401);
      }
      const limited = await call(server, guesser, "door.manifest", { token: "admitdev_one-more" });
      expect(limited.status).toBe(429);
      expect(limited.error?.data.appCode).toBe("RATE_LIMITED");

      const counted = () => server.db.prisma.rateLimitCounter.findMany({ where: { key: guesser }, select: { bucket: true, count: true } });
      expect(await counted()).toEqual([{ bucket: RATE_RULES.failedToken.bucket, count: RATE_RULES.failedToken.max + 1 }]);
      for (let i = 0; i < 3; i++) {
        const ok = await fetch(`${server.url}/trpc/door.manifest`, {
          headers: { authorization: `Bearer ${deviceToken}`, "x-forwarded-for": guesser },
        });
        expect(ok.status).toBe(200);
      }
      expect(await counted()).toEqual([{ bucket: RATE_RULES.failedToken.bucket, count: RATE_RULES.failedToken.max + 1 }]);
    });
  });
}
