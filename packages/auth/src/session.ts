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
  sessionId: string;
  expiresAtMs: number;
  id: string;
  email: string;
  username: string | null;
  fullName: string;
  isSiteAdmin: boolean;
}

/**
 * The signed-in person behind a request's session cookie or `Authorization: Bearer` token, or null.
 *
 * A plain bearer token whose session is live and not due for its daily refresh is looked up directly in
 * better-auth's session table, session and user in one statement: that is the answer getSession would give, without
 * signing the token into a cookie and verifying it again, and with one database round trip instead of two, on every
 * API call (a large share of a request's cost in an on-sale rush). Anything else (cookies, expired sessions,
 * sessions due for refresh) goes through getSession, which also does the writes.
 */
export async function resolveSession(auth: Auth, headers: Headers): Promise<SessionUser | null> {
  const token = rawBearerToken(headers);
  if (token) {
    const [found] = await auth.sessionStore.$queryRaw<BearerSessionRow[]>`
      SELECT s.id AS "sessionId", (extract(epoch FROM s."expiresAt") * 1000)::float8 AS "expiresAtMs",
             u.id, u.email, u.username, u."fullName", u."isSiteAdmin"
      FROM "Session" s JOIN "User" u ON u.id = s."userId"
      WHERE s.token = ${token}`;
    if (!found) return null;
    const { expiresIn, updateAge } = (await auth.$context).sessionConfig;
    const refreshDue = found.expiresAtMs - expiresIn * 1000 + updateAge * 1000 <= Date.now();
    if (found.expiresAtMs > Date.now() && !refreshDue) return sessionUser(found, found.sessionId);
  }
  const result = await auth.api.getSession({ headers });
  if (!result) return null;
  return sessionUser(result.user as FoundUser, result.session.id);
}
