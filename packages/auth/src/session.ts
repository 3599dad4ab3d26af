import { GroupCommit, type PrismaClient } from "@admit/db";
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

/**
 * Looks bearer tokens up in better-auth's session table, session and user in one statement. Lookups that arrive
 * together share one statement (see GroupCommit): in an on-sale rush every API call starts with this lookup, and
 * its round trip was a large share of the call's cost. Read-only, so sharing changes nothing but the cost.
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

/**
 * The signed-in person behind a request's session cookie or `Authorization: Bearer` token, or null.
 *
 * A plain bearer token whose session is live and not due for its daily refresh is looked up directly in
 * better-auth's session table (`bearerSessionLookup`): that is the answer getSession would give, without signing
 * the token into a cookie and verifying it again, and with a shared round trip instead of two of its own. Anything
 * else (cookies, expired sessions, sessions due for refresh) goes through getSession, which also does the writes.
 */
export async function resolveSession(auth: Auth, headers: Headers): Promise<SessionUser | null> {
  const token = rawBearerToken(headers);
  if (token) {
    const found = await auth.findBearerSession(token);
    if (!found) return null;
    const { expiresIn, updateAge } = (await auth.$context).sessionConfig;
    const refreshDue = found.expiresAtMs - expiresIn * 1000 + updateAge * 1000 <= Date.now();
    if (found.expiresAtMs > Date.now() && !refreshDue) return sessionUser(found, found.sessionId);
  }
  const result = await auth.api.getSession({ headers });
  if (!result) return null;
  return sessionUser(result.user as FoundUser, result.session.id);
}
