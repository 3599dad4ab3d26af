import { tokenRequestSchema } from "@admit/validators";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Link, Navigate, useNavigate, useSearchParams } from "react-router";
import { signIn, startCampusSignOn } from "../lib/auth-client.ts";
import { useSession } from "../lib/session.ts";
import { useTRPC } from "../lib/trpc.ts";
import { safeNext } from "../shell/RequireSignIn.tsx";
import { Alert, Button, Card, PageHeader, TextField } from "../ui/index.ts";
import { fieldErrors, focusFirstInvalid } from "./auth/field-errors.ts";

export function SignInPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get("next"));
  const { isSignedIn } = useSession();
  const options = useQuery(trpc.account.signInOptions.queryOptions());
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState<"password" | "campus" | null>(null);

  if (isSignedIn && busy === null) return <Navigate to={next} replace />;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const parsed = tokenRequestSchema.safeParse({ username: String(form.get("username") ?? "").trim(), password: String(form.get("password") ?? "") });
    setFormError(null);
    if (!parsed.success) {
      setErrors(fieldErrors(parsed.error.issues));
      focusFirstInvalid(formElement);
      return;
    }
    setErrors({});
    setBusy("password");
    try {
      await signIn(parsed.data.username, parsed.data.password);
      await queryClient.resetQueries();
      await navigate(next, { replace: true });
    } catch (e) {
      setFormError(e instanceof Error ? e.message : "Sign-in failed. Please try again.");
    } finally {
      setBusy(null);
    }
  }

  return (
    <div className="auth-page">
      <PageHeader title="Sign in" description="Use your Admit account to buy and see your tickets." />
      <Card>
        <form className="stack" onSubmit={onSubmit} noValidate aria-describedby={formError ? "signin-error" : undefined}>
          {formError && (
            <div id="signin-error">
              <Alert tone="danger">{formError}</Alert>
            </div>
          )}
          <TextField label="Username" name="username" autoComplete="username" autoCapitalize="none" spellCheck={false} error={errors.username} required />
          <TextField label="Password" name="password" type="password" autoComplete="current-password" error={errors.password} required />
          <Button type="submit" size="lg" block busy={busy === "password"}>
            Sign in
          </Button>
        </form>
        {options.data?.campusSignOn && (
          <div className="auth-alt">
            <p className="auth-divider">
              <span>or</span>
            </p>
            <Button
              variant="secondary"
              size="lg"
              block
              busy={busy === "campus"}
              onClick={async () => {
                setBusy("campus");
                setFormError(null);
                try {
                  await startCampusSignOn(options.data.campusProviderId, next);
                } catch (e) {
                  setFormError(e instanceof Error ? e.message : "Campus sign-on failed.");
                  setBusy(null);
                }
              }}
            >
              Sign in with your campus account
            </Button>
          </div>
        )}
      </Card>
      <p className="auth-switch">
        New here? <Link to={`/sign-up${next !== "/" ? `?next=${encodeURIComponent(next)}` : ""}`}>Create an account</Link>
      </p>
    </div>
  );
}
