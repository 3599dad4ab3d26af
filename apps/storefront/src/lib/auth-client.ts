/** Browser sign-in, sign-up and sign-out through the server's auth endpoints (the session is an httpOnly cookie). */

export class AuthError extends Error {}

async function post(path: string, body: unknown, method: "POST" | "GET" = "POST"): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(`/api/auth/${path}`, {
      method,
      credentials: "same-origin",
      ...(method === "POST" ? { headers: { "content-type": "application/json" }, body: JSON.stringify(body) } : {}),
    });
  } catch {
    throw new AuthError("We couldn't reach the server. Check your connection and try again.");
  }
  const data = (await res.json().catch(() => ({}))) as { error?: { message?: string; code?: string }; url?: string };
  if (res.status === 503 && path.startsWith("sign-in/social")) throw new AuthError(CAMPUS_UNAVAILABLE);
  if (res.status === 429) throw new AuthError("Too many attempts. Wait a minute and try again.");
  // Errors arrive in the API's one body, { error: { code, message }, detail }, with better-auth's own codes.
  if (!res.ok) throw new AuthError(authMessage(path, res.status, data.error ?? {}));
  return data;
}

export const CAMPUS_UNAVAILABLE = "Campus sign-in is unavailable right now. Try again in a few minutes, or use your username and password.";

function authMessage(path: string, status: number, data: { message?: string; code?: string }): string {
  if (path === "link-social") {
    if (status === 503) return "Campus sign-in is unavailable right now, so your campus account cannot be linked. Try again in a few minutes.";
    if (data.code === "SIGN_IN_AGAIN_TO_LINK") return data.message ?? "Sign in again with your password, then link your campus account.";
  }
  if (path.startsWith("sign-in") && status === 401) return "The username or password is wrong.";
  if (data.code === "USERNAME_IS_ALREADY_TAKEN") {
    return "That username is taken. Try another one.";
  }
  if (data.code?.startsWith("USER_ALREADY_EXISTS")) return "An account with that e-mail address already exists. Sign in instead.";
  if (path === "reset-password" && (data.code === "INVALID_TOKEN" || data.code === "USER_NOT_FOUND")) {
    return "This link has expired or has already been used. Ask for a new one below.";
  }
  if (path.startsWith("verify-email")) {
    return data.code === "TOKEN_EXPIRED"
      ? "This confirmation link has expired. Send yourself a new one from your account page."
      : "This confirmation link does not work. Send yourself a new one from your account page.";
  }
  if (data.message === "Invalid origin") {
    return "This site was opened at an address the server doesn't expect, so signing in is blocked. Open it at its usual address.";
  }
  return data.message ?? "Something went wrong. Please try again.";
}

export const signIn = (username: string, password: string) => post("sign-in/username", { username, password });

export const signUp = (input: { username: string; fullName: string; email: string; password: string }) =>
  post("sign-up/email", { email: input.email, password: input.password, name: input.fullName, username: input.username });

/**
 * Signs out of Admit. When the session came with a campus identity and the provider offers RP-initiated logout, the
 * answer carries the provider's end-session address (it brings the browser back to /signed-out afterwards).
 */
export const signOut = () => post("sign-out", { callbackURL: "/signed-out", disableRedirect: true }) as Promise<{ url?: string }>;

/** The signed-in person's ways of signing in (better-auth's accounts: "credential" is the password, "campus" the campus identity). */
export const listAccounts = () => post("list-accounts", undefined, "GET") as Promise<Array<{ providerId: string }>>;

/**
 * Starts campus single sign-on: the server answers with the provider's address, and the browser goes there. Whatever
 * goes wrong on the way back lands on /sign-in/problem, which keeps `next` for another try.
 */
export async function startCampusSignOn(provider: string, callbackURL: string) {
  const errorCallbackURL = `/sign-in/problem${callbackURL !== "/" ? `?next=${encodeURIComponent(callbackURL)}` : ""}`;
  const data = (await post("sign-in/social", { provider, callbackURL, errorCallbackURL, disableRedirect: true })) as { url?: string };
  if (!data.url) throw new AuthError(CAMPUS_UNAVAILABLE);
  window.location.assign(data.url);
}

/** Links a campus identity to the signed-in account: the student proves it at the provider, then comes back to /account. */
export async function linkCampusAccount(provider: string) {
  const data = (await post("link-social", {
    provider,
    callbackURL: "/account?campus=linked",
    errorCallbackURL: "/sign-in/problem?during=link",
    disableRedirect: true,
  })) as { url?: string };
  if (!data.url) throw new AuthError("Campus sign-in is unavailable right now, so your campus account cannot be linked.");
  window.location.assign(data.url);
}

/** Mails a reset link if the address has an account; the answer is the same either way. */
export const requestPasswordReset = (email: string) => post("request-password-reset", { email });

/** Sets a new password with the token from a reset link, which then stops working; every session is signed out. */
export const resetPassword = (token: string, newPassword: string) => post("reset-password", { token, newPassword });

/** Confirms the address a verification link was sent to. */
export const verifyEmail = (token: string) => post(`verify-email?token=${encodeURIComponent(token)}`, undefined, "GET");

/** Sends the signed-in person a new verification link. */
export const sendVerificationEmail = (email: string) => post("send-verification-email", { email });
