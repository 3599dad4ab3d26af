import { signUpSchema } from "@admit/validators";
import { useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Link, Navigate, useNavigate, useSearchParams } from "react-router";
import { signIn, signUp } from "../lib/auth-client.ts";
import { useSession } from "../lib/session.ts";
import { safeNext } from "../shell/RequireSignIn.tsx";
import { Alert, Button, Card, PageHeader, TextField } from "../ui/index.ts";
import { fieldErrors, focusFirstInvalid } from "./auth/field-errors.ts";

export function SignUpPage() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get("next"));
  const { isSignedIn } = useSession();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (isSignedIn && !busy) return <Navigate to={next} replace />;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const parsed = signUpSchema.safeParse({
      username: String(form.get("username") ?? ""),
      fullName: String(form.get("fullName") ?? ""),
      email: String(form.get("email") ?? "").trim(),
      password: String(form.get("password") ?? ""),
    });
    setFormError(null);
    if (!parsed.success) {
      setErrors(fieldErrors(parsed.error.issues));
      focusFirstInvalid(formElement);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      await signUp(parsed.data);
      await signIn(parsed.data.username, parsed.data.password);
      await queryClient.resetQueries();
      await navigate(next, { replace: true });
    } catch (e) {
      setFormError(e instanceof Error ? e.message : "We couldn't create your account. Please try again.");
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="auth-page">
      <PageHeader title="Create your account" description="One account for every club's events." />
      <Card>
        <form className="stack" onSubmit={onSubmit} noValidate>
          {formError && <Alert tone="danger">{formError}</Alert>}
          <TextField label="Full name" name="fullName" autoComplete="name" error={errors.fullName} required />
          <TextField
            label="Username"
            name="username"
            hint="Letters, digits, dots and underscores. Friends use it to send you tickets."
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            error={errors.username}
            required
          />
          <TextField label="E-mail" name="email" type="email" autoComplete="email" error={errors.email} required />
          <TextField
            label="Password"
            name="password"
            type="password"
            hint="At least 8 characters."
            autoComplete="new-password"
            error={errors.password}
            required
          />
          <Button type="submit" size="lg" block busy={busy}>
            Create account
          </Button>
        </form>
      </Card>
      <p className="auth-switch">
        Already have an account? <Link to={`/sign-in${next !== "/" ? `?next=${encodeURIComponent(next)}` : ""}`}>Sign in</Link>
      </p>
    </div>
  );
}
