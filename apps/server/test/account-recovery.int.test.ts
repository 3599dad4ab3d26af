import { createClub, createEvent, createShowing, createTickets } from "@admit/db/factories";
import { testBackends } from "@admit/db/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { freePort, startTestServer, TEST_PASSWORD, trpc, type TestServer } from "./harness.ts";
import { authorizeWithoutBrowser, startCampusProvider, type CampusProvider } from "./oidc-provider.ts";

const MINUTE = 60_000;
const NEW_PASSWORD = "a brand new passphrase";

type AuthBody = { status?: boolean; message?: string; code?: string; error?: { code?: string } };
/** better-auth's own code, in either its body or the API's error body. */
const codeOf = (body: AuthBody) => body.error?.code ?? body.code;

async function auth(server: TestServer, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${server.url}/api/auth/${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { origin: server.url, ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    redirect: "manual",
  });
  return { status: res.status, body: (await res.json().catch(() => ({}))) as AuthBody, res };
}

/** Signs in like the storefront does; returns the session cookie. */
async function cookieFor(server: TestServer, username: string, password = TEST_PASSWORD) {
  const { status, res } = await auth(server, "sign-in/username", { username, password });
  expect(status).toBe(200);
  return res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}

async function tokenStatus(server: TestServer, username: string, password: string) {
  const res = await fetch(`${server.url}/api/auth/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password }),
  });
  return res.status;
}

/** The outbox rows (what the development mailbox shows once sent) addressed to `to`, oldest first. */
function mailTo(server: TestServer, to: string, subject?: string) {
  return server.db.prisma.outgoingEmail.findMany({
    where: { toAddress: to, ...(subject ? { subject: { contains: subject } } : {}) },
    orderBy: { createdAt: "asc" },
  });
}

function resetTokenIn(server: TestServer, text: string): string {
  const match = new RegExp(`${server.url.replace(/[.]/g, "\\.")}/reset-password#token=([A-Za-z0-9_%-]+)`).exec(text);
  expect(match, text).not.toBeNull();
  return decodeURIComponent(match![1]!);
}

function verifyTokenIn(server: TestServer, text: string): string {
  const match = new RegExp(`${server.url.replace(/[.]/g, "\\.")}/verify-email\\?token=([A-Za-z0-9_.%-]+)`).exec(text);
  expect(match, text).not.toBeNull();
  return decodeURIComponent(match![1]!);
}

async function emailOf(server: TestServer, userId: string) {
  return (await server.db.prisma.user.findUniqueOrThrow({ where: { id: userId } })).email;
}

/** Asks for a reset link for the account and returns the token from the message it got. */
async function resetLinkFor(server: TestServer, email: string) {
  expect(await auth(server, "request-password-reset", { email })).toMatchObject({ status: 200, body: { status: true } });
  const [mail] = await mailTo(server, email, "Reset your Admit password");
  expect(mail).toBeDefined();
  return resetTokenIn(server, mail!.text);
}

for (const backend of testBackends()) {
  describe(`password reset and e-mail verification (${backend.kind})`, () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer(backend);
    });
    afterAll(async () => server?.close());
    afterEach(() => {
      vi.useRealTimers();
    });

    it("resets a password over HTTP through a single-use link that signs out every other session", async () => {
      const { id, username } = await server.createAccount();
      const email = await emailOf(server, id);
      const oldTokens = [await server.tokenFor(username), await server.tokenFor(username)];
      const oldCookie = await cookieFor(server, username);
      expect(await server.db.prisma.session.count({ where: { userId: id } })).toBe(3);

      const token = await resetLinkFor(server, email);
      const [mail] = await mailTo(server, email);
      expect(mail!.text).toContain(`username ${username}`);
      expect(mail!.text).toContain("30 minutes");
      // The reset token is stored only as a hash.
      const stored = await server.db.prisma.verification.findMany();
      expect(stored.some((row) => row.identifier.includes(token) || row.value.includes(token))).toBe(false);

      // The development mailbox shows the message to its owner once it is sent.
      await server.runtime.mailSender.sendDue();
      const inbox = await trpc(server, "mailbox.list", { token: oldTokens[0]! });
      expect((inbox.data as Array<{ subject: string }>).map((m) => m.subject)).toContain("Reset your Admit password");

      expect(await auth(server, "reset-password", { token, newPassword: NEW_PASSWORD })).toMatchObject({ status: 200, body: { status: true } });

      expect(await server.db.prisma.session.count({ where: { userId: id } })).toBe(0);
      for (const old of oldTokens) expect((await trpc(server, "account.me", { token: old })).status).toBe(401);
      expect((await trpc(server, "account.me", { cookie: oldCookie })).status).toBe(401);
      expect(await tokenStatus(server, username, TEST_PASSWORD)).toBe(401);
      expect(await tokenStatus(server, username, NEW_PASSWORD)).toBe(200);

      // Used once, the link is spent: a second use changes nothing.
      const again = await auth(server, "reset-password", { token, newPassword: "yet another passphrase" });
      expect(again.status).toBe(400);
      expect(codeOf(again.body)).toBe("INVALID_TOKEN");
      expect(await tokenStatus(server, username, NEW_PASSWORD)).toBe(200);
    });

    it("refuses a reset link after 30 minutes and accepts it before", async () => {
      // better-auth reads the system clock (new Date()) for the link's expiry, so the test moves that clock (and ours).
      const late = await server.createAccount();
      const lateToken = await resetLinkFor(server, await emailOf(server, late.id));
      const onTime = await server.createAccount();
      const onTimeToken = await resetLinkFor(server, await emailOf(server, onTime.id));

      vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 29 * MINUTE });
      server.clock.advance(29 * MINUTE);
      expect((await auth(server, "reset-password", { token: onTimeToken, newPassword: NEW_PASSWORD })).status).toBe(200);

      vi.setSystemTime(Date.now() + 2 * MINUTE);
      server.clock.advance(2 * MINUTE);
      const expired = await auth(server, "reset-password", { token: lateToken, newPassword: NEW_PASSWORD });
      expect(expired.status).toBe(400);
      expect(codeOf(expired.body)).toBe("INVALID_TOKEN");
      vi.useRealTimers();
      expect(await tokenStatus(server, late.username, TEST_PASSWORD)).toBe(200);
      expect(await tokenStatus(server, onTime.username, NEW_PASSWORD)).toBe(200);
    });

    it("answers an unknown address exactly as a known one and mails nobody", async () => {
      const { id } = await server.createAccount();
      const known = await auth(server, "request-password-reset", { email: await emailOf(server, id) });
      const unknownAddress = `nobody-${id}@example.edu`;
      const unknown = await auth(server, "request-password-reset", { email: unknownAddress });
      expect(known).toMatchObject({ status: 200, body: { status: true } });
      expect(unknown.status).toBe(known.status);
      expect(unknown.body).toEqual(known.body);
      expect(await mailTo(server, unknownAddress)).toHaveLength(0);
    });

    it("sends nobody on to another site from the library's own link routes, whatever the environment says", async () => {
      // better-auth turns these checks off by itself under NODE_ENV=test; auth.ts keeps them on, so this runs as in production.
      for (const path of ["reset-password/nope?callbackURL=https://evil.example/", "verify-email?token=nope&callbackURL=https://evil.example/"]) {
        const answer = await auth(server, path);
        expect(answer.status, path).toBe(403);
        expect(codeOf(answer.body), path).toBe("INVALID_CALLBACK_URL");
        expect(answer.res.headers.get("location"), path).toBeNull();
      }
      const ours = await auth(server, "reset-password/nope?callbackURL=/sign-in");
      expect(ours.status).toBe(302);
      expect(new URL(ours.res.headers.get("location") ?? "", server.url).origin).toBe(new URL(server.url).origin);
    });

    it("mails one reset link per address per few minutes, however often it is asked for", async () => {
      const { id } = await server.createAccount();
      const email = await emailOf(server, id);
      for (let i = 0; i < 3; i++) expect((await auth(server, "request-password-reset", { email })).status).toBe(200);
      expect(await mailTo(server, email, "Reset your Admit password")).toHaveLength(1);
      server.clock.advance(6 * MINUTE);
      expect((await auth(server, "request-password-reset", { email })).status).toBe(200);
      expect(await mailTo(server, email, "Reset your Admit password")).toHaveLength(2);
    });

    it("sends a verification link at sign-up that confirms the address; the link expires", async () => {
      const username = `new${Date.now().toString(36)}`;
      const email = `${username}@example.edu`;
      const signUp = await auth(server, "sign-up/email", { email, password: TEST_PASSWORD, name: "New Student", username });
      expect(signUp.status).toBe(200);
      const [mail] = await mailTo(server, email, "Confirm your e-mail address");
      expect(mail).toBeDefined();
      const token = verifyTokenIn(server, mail!.text);
      const user = await server.db.prisma.user.findUniqueOrThrow({ where: { email } });
      expect(user.emailVerified).toBe(false);
      const bearer = await server.tokenFor(username);
      expect((await trpc(server, "account.me", { token: bearer })).data).toMatchObject({ email, emailVerified: false });

      // A day later the link no longer works.
      vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 25 * 60 * MINUTE });
      const expired = await auth(server, `verify-email?token=${encodeURIComponent(token)}`);
      expect(expired.status).toBe(401);
      expect(codeOf(expired.body)).toBe("TOKEN_EXPIRED");
      vi.useRealTimers();
      expect((await server.db.prisma.user.findUniqueOrThrow({ where: { email } })).emailVerified).toBe(false);

      expect((await auth(server, `verify-email?token=${encodeURIComponent(token)}`)).status).toBe(200);
      expect((await server.db.prisma.user.findUniqueOrThrow({ where: { email } })).emailVerified).toBe(true);
      expect((await trpc(server, "account.me", { token: bearer })).data).toMatchObject({ emailVerified: true });
    });

    it("sends a signed-in person a new verification link on request", async () => {
      const { id, username } = await server.createAccount({ emailVerified: false });
      const email = await emailOf(server, id);
      expect(await mailTo(server, email)).toHaveLength(0);
      const cookie = await cookieFor(server, username);
      expect((await auth(server, "send-verification-email", { email }, { cookie })).status).toBe(200);
      const [mail] = await mailTo(server, email, "Confirm your e-mail address");
      expect((await auth(server, `verify-email?token=${encodeURIComponent(verifyTokenIn(server, mail!.text))}`)).status).toBe(200);
      expect((await trpc(server, "account.me", { cookie })).data).toMatchObject({ emailVerified: true });
    });

    it("leaves unverified ticket holders out of e-mail blasts, tells the officer, and still sends them their tickets", async () => {
      const { prisma } = server.db;
      const officer = await server.createAccount();
      const verified = await server.createAccount();
      const unverified = await server.createAccount({ emailVerified: false });
      const club = await createClub(prisma, { officers: [officer.id] });
      const event = await createEvent(prisma, club.id);
      const start = new Date(server.clock.now().getTime() + 48 * 60 * MINUTE);
      const showing = await createShowing(prisma, event.id, { startTime: start, endTime: new Date(start.getTime() + 120 * MINUTE) });
      await createTickets(prisma, showing.id, { type: "General", count: 4 });
      const officerToken = await server.tokenFor(officer.username);

      const issued = await trpc(server, "showing.issueTickets", {
        token: officerToken,
        mutation: true,
        input: { showingId: showing.id, tickets: [{ username: verified.username, type: "General" }, { username: unverified.username, type: "General" }] },
      });
      expect(issued.error).toBeUndefined();
      const unverifiedEmail = await emailOf(server, unverified.id);
      expect(await mailTo(server, unverifiedEmail, `to ${event.name}`)).toHaveLength(1);

      const blast = await trpc(server, "showing.emailBlast", {
        token: officerToken,
        mutation: true,
        input: { showingId: showing.id, message: "Doors open at 7." },
      });
      expect(blast.data).toEqual({ recipients: 1, skippedUnverified: 1 });
      expect(await mailTo(server, await emailOf(server, verified.id), `Update on ${event.name}`)).toHaveLength(1);
      expect(await mailTo(server, unverifiedEmail, `Update on ${event.name}`)).toHaveLength(0);
    });
  });

  describe(`password reset rate limit (${backend.kind})`, () => {
    it("refuses a client address that asks too often", async () => {
      const server = await startTestServer(backend, { SIGNIN_RATE_LIMIT_MAX: "3" });
      try {
        // Counters live in the database, which the tests above share on PostgreSQL: start this address afresh.
        await server.db.prisma.rateLimit.deleteMany({ where: { key: { contains: "/request-password-reset" } } });
        const statuses = [];
        for (let i = 0; i < 4; i++) {
          statuses.push((await auth(server, "request-password-reset", { email: `someone${i}@example.edu` })).status);
        }
        expect(statuses).toEqual([200, 200, 200, 429]);
      } finally {
        await server.close();
      }
    });
  });
}

describe("campus sign-on joins a local account only once its address is verified", () => {
  const [backend] = testBackends();
  let idp: CampusProvider;
  let server: TestServer;
  const email = `jlee${Date.now().toString(36)}@campus.example.edu`;
  const sub = `campus-${email}`;

  beforeAll(async () => {
    const port = await freePort();
    idp = await startCampusProvider({
      users: [{ sub, email, name: "Jamie Lee", preferred_username: "jlee" }],
      admitUrls: [`http://127.0.0.1:${port}`],
    });
    server = await startTestServer(backend!, { ...idp.env, PORT: String(port) });
  });
  afterAll(async () => {
    await server?.close();
    await idp?.close();
  });

  /** Runs the campus sign-in in full; returns the session cookie, if one was set, and where the browser ended up. */
  async function campusSignIn() {
    const start = await auth(server, "sign-in/social", { provider: "campus", callbackURL: "/", disableRedirect: true });
    const cookies = start.res.headers.getSetCookie().map((c) => c.split(";")[0]);
    const callback = await authorizeWithoutBrowser((start.body as { url: string }).url, sub);
    const back = await fetch(callback, { redirect: "manual", headers: { cookie: cookies.join("; ") } });
    const session = back.headers.getSetCookie().find((c) => c.startsWith("admit.session_token="));
    return { location: back.headers.get("location") ?? "", cookie: session?.split(";")[0] };
  }

  it("refuses to link while the local address is unverified, and links after verification", async () => {
    const local = await server.createAccount({ emailVerified: false });
    await server.db.prisma.user.update({ where: { id: local.id }, data: { email } });

    const refused = await campusSignIn();
    expect(refused.cookie).toBeUndefined();
    expect(refused.location).toContain("account_not_linked");
    expect(await server.db.prisma.account.count({ where: { userId: local.id, providerId: "campus" } })).toBe(0);

    expect((await auth(server, "send-verification-email", { email })).status).toBe(200);
    const [mail] = await mailTo(server, email, "Confirm your e-mail address");
    expect((await auth(server, `verify-email?token=${encodeURIComponent(verifyTokenIn(server, mail!.text))}`)).status).toBe(200);

    const linked = await campusSignIn();
    expect(linked.cookie).toBeDefined();
    expect((await trpc(server, "account.me", { cookie: linked.cookie! })).data).toMatchObject({ username: local.username, email });
    const account = await server.db.prisma.account.findFirstOrThrow({ where: { userId: local.id, providerId: "campus" } });
    // The provider's tokens are stored encrypted, not as issued.
    expect(account.accessToken).toBeTruthy();
    expect(account.accessToken).not.toMatch(/^[\w-]{43}$/);
  });
});
