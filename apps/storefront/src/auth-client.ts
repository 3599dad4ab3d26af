/** Browser sign-in and sign-out through the server's auth endpoints (session cookie, httpOnly). */
async function post(path: string, body: unknown) {
  const res = await fetch(`/api/auth/${path}`, {
    method: "POST",
    credentials: "same-origin",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (res.status === 429) throw new Error("Too many attempts. Wait a minute and try again.");
  if (!res.ok) {
    const data = (await res.json().catch(() => ({}))) as { message?: string };
    throw new Error(res.status === 401 ? "The username or password is wrong." : (data.message ?? "Sign-in failed."));
  }
}

export const signIn = (username: string, password: string) => post("sign-in/username", { username, password });
export const signOut = () => post("sign-out", {});
