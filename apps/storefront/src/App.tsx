import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { signIn, signOut } from "./auth-client.ts";
import { useTRPC } from "./trpc.ts";

function SignInForm() {
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await signIn(String(form.get("username")), String(form.get("password")));
      await queryClient.invalidateQueries();
    } catch (e) {
      setError(e instanceof Error ? e.message : "Sign-in failed.");
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card stack" onSubmit={onSubmit} aria-labelledby="signin-title">
      <h1 id="signin-title">Sign in</h1>
      <label className="field">
        <span>Username</span>
        <input name="username" autoComplete="username" required />
      </label>
      <label className="field">
        <span>Password</span>
        <input name="password" type="password" autoComplete="current-password" required />
      </label>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <button className="button primary" disabled={busy}>
        {busy ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}

export function App() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const me = useQuery({ ...trpc.account.me.queryOptions(), retry: false });

  return (
    <>
      <header className="topbar">
        <span className="brand">Admit</span>
        {me.data && (
          <button
            className="button ghost"
            onClick={async () => {
              await signOut();
              queryClient.clear();
              await me.refetch();
            }}
          >
            Sign out
          </button>
        )}
      </header>
      <main className="page">
        {me.isPending ? (
          <p aria-busy="true">Loading…</p>
        ) : me.data ? (
          <section className="card stack">
            <h1>Hello, {me.data.fullName}</h1>
            <p>
              Signed in as <strong>{me.data.username}</strong>.
            </p>
            {me.data.clubs.length > 0 && (
              <p>Your clubs: {me.data.clubs.map((c) => `${c.name} (${c.role.toLowerCase()})`).join(", ")}</p>
            )}
          </section>
        ) : (
          <SignInForm />
        )}
      </main>
    </>
  );
}
