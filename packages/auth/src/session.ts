import type { Auth } from "./auth.ts";

export interface SessionUser {
  userId: string;
  username: string;
  fullName: string;
  email: string;
  isSiteAdmin: boolean;
  sessionId: string;
}

/** The signed-in person behind a request's session cookie or `Authorization: Bearer` token, or null. */
export async function resolveSession(auth: Auth, headers: Headers): Promise<SessionUser | null> {
  const result = await auth.api.getSession({ headers });
  if (!result) return null;
  const user = result.user as typeof result.user & { username?: string | null; fullName?: string };
  return {
    userId: user.id,
    username: user.username ?? "",
    fullName: user.fullName ?? user.name ?? "",
    email: user.email,
    isSiteAdmin: Boolean(user.isSiteAdmin),
    sessionId: result.session.id,
  };
}
