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
  if (res.status === 429) throw new AuthError("Too many attempts. Wait a minute and try again.");
  // Errors arrive in the API's one body, { error: { code, message }, detail }, with better-auth's own codes.
  if (!res.ok) throw new AuthError(authMessage(path, res.status, data.error ?? {}));
  return data;
}

function authMessage(path: string, status: number, data: { message?: string; code?: string }): string {
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

export const signOut = () => post("sign-out", {});

/** Starts campus single sign-on: the server answers with the provider's address, and the browser goes there. */
export async function startCampusSignOn(provider: string, callbackURL: string) {
  const data = (await post("sign-in/social", { provider, callbackURL, disableRedirect: true })) as { url?: string };
  if (!data.url) throw new AuthError("Campus sign-on is not available right now. Use your username and password.");
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
