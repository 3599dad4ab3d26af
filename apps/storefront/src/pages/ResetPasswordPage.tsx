import { newPasswordSchema } from "@admit/validators";
import { useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Link, useLocation, useNavigate } from "react-router";
import { resetPassword } from "../lib/auth-client.ts";
import { issuesByPath } from "../lib/issues.ts";
import { Alert, Button, TextField } from "../ui/index.ts";
import { AuthPage } from "./auth/AuthPage.tsx";
import { focusFirstInvalid } from "./auth/field-errors.ts";
import { formText } from "../lib/form-data.ts";

/** The token arrives in the fragment (#token=...), which the browser never sends to the server. */
function tokenFrom(hash: string): string | null {
  return new URLSearchParams(hash.replace(/^#/, "")).get("token");
}

/** Where a reset link lands: choose a new password, then sign in with it. */
export function ResetPasswordPage() {
  const token = tokenFrom(useLocation().hash);
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!token) return;
    const form = event.currentTarget;
    const data = new FormData(form);
    const parsed = newPasswordSchema.safeParse({ password: formText(data, "password"), confirm: formText(data, "confirm") });
    setFormError(null);
    if (!parsed.success) {
      setErrors(issuesByPath(parsed.error.issues));
      focusFirstInvalid(form);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      await resetPassword(token, parsed.data.password);
      // Every session of the account ended with the reset, this browser's included.
      queryClient.clear();
      await navigate("/sign-in?reset=done", { replace: true });
    } catch (e) {
      setFormError(e instanceof Error ? e.message : "We couldn't change your password. Please try again.");
      setBusy(false);
    }
  };

  return (
    <AuthPage
      title="Choose a new password"
      description="Setting it signs your account out everywhere."
      switchTo={{ path: "/forgot-password", prompt: "Link not working?", label: "Get a new link", next: "/" }}
    >
      {token ? (
        <form className="stack" onSubmit={onSubmit} noValidate>
          {formError && (
            <Alert tone="danger" actions={<Link to="/forgot-password">Get a new link</Link>}>
              {formError}
            </Alert>
          )}
          <TextField
            label="New password"
            name="password"
            type="password"
            hint="At least 8 characters."
            autoComplete="new-password"
            error={errors.password}
            required
          />
          <TextField label="New password again" name="confirm" type="password" autoComplete="new-password" error={errors.confirm} required />
          <Button type="submit" size="lg" block busy={busy}>
            Set new password
          </Button>
        </form>
      ) : (
        <Alert tone="danger" title="This link is incomplete" actions={<Link to="/forgot-password">Get a new link</Link>}>
          Open the link from the e-mail exactly as it is, or ask for a new one.
        </Alert>
      )}
    </AuthPage>
  );
}
