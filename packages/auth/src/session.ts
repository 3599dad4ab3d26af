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

/**
 * The signed-in person behind a request's session cookie or `Authorization: Bearer` token, or null.
 *
 * A plain bearer token whose session is live and not due for its daily refresh is looked up directly through
 * better-auth's own session store: that is the answer getSession would give, without signing the token into a
 * cookie and verifying it again on every API call (a large share of a request's CPU in an on-sale rush). Anything
 * else (cookies, expired sessions, sessions due for refresh) goes through getSession, which also does the writes.
 */
export async function resolveSession(auth: Auth, headers: Headers): Promise<SessionUser | null> {
  const token = rawBearerToken(headers);
  if (token) {
    const context = await auth.$context;
    const found = await context.internalAdapter.findSession(token);
    if (!found) return null;
    const expiresAt = found.session.expiresAt.valueOf();
    const { expiresIn, updateAge } = context.sessionConfig;
    const refreshDue = expiresAt - expiresIn * 1000 + updateAge * 1000 <= Date.now();
    if (expiresAt > Date.now() && !refreshDue) return sessionUser(found.user as FoundUser, found.session.id);
  }
  const result = await auth.api.getSession({ headers });
  if (!result) return null;
  return sessionUser(result.user as FoundUser, result.session.id);
}
