import { GroupCommit, type PrismaClient } from "@admit/db";
import type { BetterAuthOptions } from "better-auth";
import { getAuthTables } from "better-auth/db";
import type { Auth } from "./auth.ts";

export interface SessionUser {
  userId: string;
  username: string;
  fullName: string;
  email: string;
  isSiteAdmin: boolean;
  sessionId: string;
}

type FoundUser = { id: string; email: string; name?: string | null; username?: string | null; fullName?: string; isSiteAdmin?: unknown };

function sessionUser(user: FoundUser, sessionId: string): SessionUser {
  return {
    userId: user.id,
    username: user.username ?? "",
    fullName: user.fullName ?? user.name ?? "",
    email: user.email,
    isSiteAdmin: Boolean(user.isSiteAdmin),
    sessionId,
  };
}

/** A plain `Authorization: Bearer <session token>` (what POST /api/auth/token hands out), or null. */
function rawBearerToken(headers: Headers): string | null {
  const header = headers.get("authorization");
  if (!header || header.slice(0, 7).toLowerCase() !== "bearer ") return null;
  const token = header.slice(7).trim();
  return token && !token.includes(".") && !token.includes("%") ? token : null;
}

interface BearerSessionRow {
  token: string;
  sessionId: string;
  expiresAtMs: number;
  id: string;
  email: string;
  username: string | null;
  fullName: string;
  isSiteAdmin: boolean;
}

/*
 * The bearer shortcut. In an on-sale rush every API call starts by finding its session, and better-auth's getSession
 * costs two round trips of its own per call (find, then maybe refresh). So a plain bearer token is looked up here,
 * session and user in one statement shared by the lookups that arrive together (GroupCommit), straight from
 * better-auth's tables. That reaches under the library, so it is fenced in: everything it assumes of better-auth is
 * named below and checked (`shortcutProblems`, at run time, and by test/session-shortcut.int.test.ts against the
 * installed better-auth), and it only ever answers for a session getSession would return unchanged. Anything else
 * (cookies, sessions due for refresh or expired, a configuration it does not understand) goes to getSession.
 */

/** The columns the statement below reads, by better-auth's field names. */
export const SHORTCUT_FIELDS = {
  session: { modelName: "session", fields: { token: "token", expiresAt: "expiresAt", userId: "userId" } },
  user: { modelName: "user", fields: { name: "fullName", email: "email", username: "username", isSiteAdmin: "isSiteAdmin" } },
} as const;

/** Plugins known not to change what getSession answers for a bearer token's session. */
const PLUGINS_THAT_KEEP_GET_SESSION = new Set(["username", "bearer", "generic-oauth"]);

/** What in better-auth's configuration the shortcut would get wrong; empty when it may answer. */
export function shortcutProblems(options: BetterAuthOptions): string[] {
  const problems: string[] = [];
  if (options.secondaryStorage) problems.push("sessions are kept in secondary storage, not only in the session table");
  const tables = getAuthTables(options);
  for (const model of ["session", "user"] as const) {
    const expected = SHORTCUT_FIELDS[model];
    const table = tables[model];
    if (table?.modelName !== expected.modelName) problems.push(`the ${model} model is named ${String(table?.modelName)}`);
    for (const [field, column] of Object.entries(expected.fields)) {
      const actual = table?.fields[field];
      if (!actual) problems.push(`${model}.${field} is not a better-auth field`);
      else if ((actual.fieldName ?? field) !== column) problems.push(`${model}.${field} is stored as ${actual.fieldName}`);
    }
  }
  for (const plugin of options.plugins ?? []) {
    if (!PLUGINS_THAT_KEEP_GET_SESSION.has(plugin.id)) problems.push(`plugin ${plugin.id} may change getSession's answer`);
  }
  return problems;
}

/**
 * Looks bearer tokens up in better-auth's session table, session and user in one statement; lookups that arrive
 * together share it. Read-only, so sharing changes nothing but the cost.
 */
export function bearerSessionLookup(prisma: PrismaClient): (token: string) => Promise<BearerSessionRow | undefined> {
  const lookups = new GroupCommit<string, BearerSessionRow | undefined>({
    maxBatch: 100,
    maxConcurrent: 1,
    run: async (tokens) => {
      const rows = await prisma.$queryRaw<BearerSessionRow[]>`
        SELECT s.token, s.id AS "sessionId", (extract(epoch FROM s."expiresAt") * 1000)::float8 AS "expiresAtMs",
               u.id, u.email, u.username, u."fullName", u."isSiteAdmin"
        FROM "Session" s JOIN "User" u ON u.id = s."userId"
        WHERE s.token = ANY(${tokens}::text[])`;
      const byToken = new Map(rows.map((row) => [row.token, row]));
      return tokens.map((token) => ({ ok: true, value: byToken.get(token) }));
    },
  });
  return (token) => lookups.submit(token);
}

/** The time sessions are judged by: the domain's injected clock (the same shape). */
export interface SessionClock {
  now(): Date;
}

export type BearerVerdict = "live" | "refresh" | "expired";

/**
 * better-auth's getSession rule: a session has expired at `expiresAt`, and is refreshed (its expiry pushed out, a
 * write) once `updateAge` seconds have passed since the expiry was last set to `expiresIn` seconds ahead. Only a
 * "live" session is answered by the shortcut. An expiry exactly now counts as expired here, so the edge goes to
 * getSession.
 */
export function bearerVerdict(expiresAtMs: number, config: { expiresIn: number; updateAge: number }, now: Date): BearerVerdict {
  if (expiresAtMs <= now.getTime()) return "expired";
  if (expiresAtMs - config.expiresIn * 1000 + config.updateAge * 1000 <= now.getTime()) return "refresh";
  return "live";
}

interface Shortcut {
  lookup: (token: string) => Promise<BearerSessionRow | undefined>;
  sessionConfig: { expiresIn: number; updateAge: number };
}

const shortcuts = new WeakMap<Auth, Promise<Shortcut | null>>();

/** The auth instance's shortcut, or null when its configuration breaks an assumption above. */
function shortcutFor(auth: Auth): Promise<Shortcut | null> {
  let found = shortcuts.get(auth);
  if (!found) {
    found = (async () => {
      if (shortcutProblems(auth.options).length) return null;
      const { sessionConfig } = await auth.$context;
      return { lookup: auth.findBearerSession, sessionConfig };
    })();
    shortcuts.set(auth, found);
  }
  return found;
}

/**
 * The signed-in person behind a request's session cookie or `Authorization: Bearer` token, or null. A plain bearer
 * token whose session is live is answered by the shortcut; everything else by getSession, which also expires and
 * refreshes sessions.
 */
export async function resolveSession(auth: Auth, headers: Headers, clock: SessionClock): Promise<SessionUser | null> {
  const token = rawBearerToken(headers);
  const shortcut = token ? await shortcutFor(auth) : null;
  if (token && shortcut) {
    const found = await shortcut.lookup(token);
    if (!found) return null;
    if (bearerVerdict(found.expiresAtMs, shortcut.sessionConfig, clock.now()) === "live") return sessionUser(found, found.sessionId);
  }
  const result = await auth.api.getSession({ headers });
  if (!result) return null;
  return sessionUser(result.user, result.session.id);
}
