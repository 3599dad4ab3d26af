import type { Database } from "@admit/db";
import { testBackends } from "@admit/db/testing";
import type { SecondaryStorage } from "better-auth";
import { getAuthTables } from "better-auth/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAuth, type Auth } from "../src/auth.ts";
import { createLocalAccount } from "../src/accounts.ts";
import { bearerVerdict, resolveSession, SHORTCUT_FIELDS, shortcutProblems, type BearerVerdict } from "../src/session.ts";

// The bearer shortcut reads better-auth's tables with its own SQL and re-states its refresh rule. These tests fail
// when the installed better-auth (or our configuration of it) stops matching what the shortcut assumes.

const DAY_MS = 86_400_000;

/** A secondary storage as better-auth takes one (a map in memory), to show the shortcut steps aside for it. */
function memoryStorage(): SecondaryStorage {
  const values = new Map<string, string>();
  return {
    get: (key) => values.get(key) ?? null,
    set: (key, value) => void values.set(key, value),
    delete: (key) => void values.delete(key),
    getAndDelete: (key) => {
      const value = values.get(key) ?? null;
      values.delete(key);
      return value;
    },
    increment: (key) => {
      const next = Number(values.get(key) ?? 0) + 1;
      values.set(key, String(next));
      return next;
    },
  };
}
const PASSWORD = "correct-horse-battery";
const realTime = { now: () => new Date() };

for (const backend of testBackends()) {
  describe(`the bearer session shortcut against better-auth (${backend.kind})`, () => {
    let db: Database;
    let auth: Auth;
    const sent: string[] = [];

    beforeAll(async () => {
      db = await backend.open();
      auth = createAuth({
        prisma: db.prisma,
        baseURL: "http://localhost:3000",
        secret: "a-test-secret-that-is-long-enough-for-better-auth",
        signInRateLimit: { windowSeconds: 60, max: 1000 },
        mail: {
          passwordReset: (user) => Promise.resolve(void sent.push(user.email)),
          emailVerification: (user) => Promise.resolve(void sent.push(user.email)),
        },
      });
    });
    afterAll(async () => db?.close());

    async function signedIn(username: string) {
      await createLocalAccount(auth, { username, password: PASSWORD, email: `${username}@example.edu`, fullName: `Full ${username}` });
      const { token } = await auth.api.signInUsername({ body: { username, password: PASSWORD } });
      return { token, headers: new Headers({ authorization: `Bearer ${token}` }) };
    }

    /** Sets the session's expiry, as if it had been set (or refreshed) at another time. */
    async function expireAt(token: string, expiresAt: Date) {
      await db.prisma.session.update({ where: { token }, data: { expiresAt } });
    }

    const expiryOf = async (token: string) => (await db.prisma.session.findUnique({ where: { token } }))?.expiresAt ?? null;

    it("reads the tables and settings better-auth actually uses", async () => {
      expect(shortcutProblems(auth.options)).toEqual([]);
      const tables = getAuthTables(auth.options);
      for (const model of ["session", "user"] as const) {
        expect(tables[model]?.modelName).toBe(SHORTCUT_FIELDS[model].modelName);
        for (const [field, column] of Object.entries(SHORTCUT_FIELDS[model].fields)) {
          expect(tables[model]?.fields[field]?.fieldName ?? field, `${model}.${field}`).toBe(column);
        }
      }
      const { sessionConfig } = await auth.$context;
      expect(sessionConfig).toMatchObject({ expiresIn: 30 * 86_400, updateAge: 86_400 });
    });

    it("refuses a configuration it would get wrong", () => {
      expect(shortcutProblems({ ...auth.options, secondaryStorage: memoryStorage() })).toContain(
        "sessions are kept in secondary storage, not only in the session table",
      );
      expect(shortcutProblems({ ...auth.options, user: { ...auth.options.user, fields: { name: "displayName" } } })).toEqual([
        "user.name is stored as displayName",
      ]);
    });

    /**
     * For a session set to expire at `expiresAt`: the shortcut's verdict, and what better-auth's getSession did with
     * the same session (answered it unchanged, refreshed it, or refused it as expired).
     */
    async function bothVerdicts(expiresAt: Date): Promise<{ shortcut: BearerVerdict; getSession: BearerVerdict; sameUser: boolean }> {
      const { token, headers } = await signedIn(`shortcut${Math.random().toString(36).slice(2, 10)}`);
      await expireAt(token, expiresAt);
      const found = await auth.findBearerSession(token);
      expect(found).toBeDefined();
      const { sessionConfig } = await auth.$context;
      const shortcut = bearerVerdict(found!.expiresAtMs, sessionConfig, realTime.now());
      const viaLibrary = await auth.api.getSession({ headers });
      const after = await expiryOf(token);
      const getSession: BearerVerdict = !viaLibrary ? "expired" : after!.getTime() !== expiresAt.getTime() ? "refresh" : "live";
      const viaShortcut = await resolveSession(auth, headers, realTime);
      const sameUser = viaLibrary === null || (viaShortcut?.userId === viaLibrary.user.id && viaShortcut.sessionId === viaLibrary.session.id);
      return { shortcut, getSession, sameUser };
    }

    it("decides as getSession does: a live session is answered, one due for refresh or expired is left to getSession", async () => {
      const now = Date.now();
      // Just signed in; a minute before the daily refresh; a minute after it; a minute after expiry.
      const cases: Array<[string, Date, BearerVerdict]> = [
        ["fresh", new Date(now + 30 * DAY_MS), "live"],
        ["before refresh", new Date(now + 29 * DAY_MS + 60_000), "live"],
        ["after refresh", new Date(now + 29 * DAY_MS - 60_000), "refresh"],
        ["expired", new Date(now - 60_000), "expired"],
      ];
      for (const [name, expiresAt, expected] of cases) {
        const verdicts = await bothVerdicts(expiresAt);
        expect(verdicts, name).toEqual({ shortcut: expected, getSession: expected, sameUser: true });
      }
    });

    it("answers a live bearer session with the user better-auth has", async () => {
      const { headers } = await signedIn(`who${Math.random().toString(36).slice(2, 10)}`);
      const viaLibrary = await auth.api.getSession({ headers });
      const viaShortcut = await resolveSession(auth, headers, realTime);
      expect(viaShortcut).toEqual({
        userId: viaLibrary!.user.id,
        username: (viaLibrary!.user as { username?: string }).username,
        fullName: viaLibrary!.user.name,
        email: viaLibrary!.user.email,
        isSiteAdmin: false,
        sessionId: viaLibrary!.session.id,
      });
    });

    it("judges by the injected clock, not the machine's", async () => {
      const { token, headers } = await signedIn(`clock${Math.random().toString(36).slice(2, 10)}`);
      // Due for its daily refresh by the machine's time, not yet by the injected clock (two hours behind it).
      const expiresAt = new Date(Date.now() + 29 * DAY_MS - 60_000);
      await expireAt(token, expiresAt);
      const behind = { now: () => new Date(Date.now() - 2 * 3_600_000) };
      expect(await resolveSession(auth, headers, behind)).toMatchObject({ email: expect.stringMatching(/^clock/) });
      // The shortcut answered: nothing refreshed the session.
      expect(await expiryOf(token)).toEqual(expiresAt);
      // By the machine's time the same session goes to getSession, which refreshes it.
      await resolveSession(auth, headers, realTime);
      expect((await expiryOf(token))!.getTime()).toBeGreaterThan(expiresAt.getTime());
    });
  });
}
