import { passwordResetRequestSchema } from "@admit/validators";
import { useState, type FormEvent } from "react";
import { requestPasswordReset } from "../lib/auth-client.ts";
import { issuesByPath } from "../lib/issues.ts";
import { Alert, Button, TextField } from "../ui/index.ts";
import { AuthPage } from "./auth/AuthPage.tsx";
import { focusFirstInvalid } from "./auth/field-errors.ts";
import { formText } from "../lib/form-data.ts";

/** "Forgot your password?": asks for the address and mails a reset link to it if it has an account. */
export function ForgotPasswordPage() {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [sentTo, setSentTo] = useState<string | null>(null);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const parsed = passwordResetRequestSchema.safeParse({ email: formText(new FormData(form), "email").trim() });
    setFormError(null);
    if (!parsed.success) {
      setErrors(issuesByPath(parsed.error.issues));
      focusFirstInvalid(form);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      await requestPasswordReset(parsed.data.email);
      setSentTo(parsed.data.email);
    } catch (e) {
      setFormError(e instanceof Error ? e.message : "We couldn't send the link. Please try again.");
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthPage
      title={sentTo ? "Check your mail" : "Forgot your password?"}
      description={sentTo ? "A link to choose a new password is on its way." : "We'll e-mail you a link to choose a new one."}
      switchTo={{ path: "/sign-in", prompt: "Remembered it?", label: "Sign in", next: "/" }}
    >
      {sentTo ? (
        <div className="stack">
          <Alert tone="success" title="Check your mail">
            If {sentTo} belongs to an Admit account, a message with a link to choose a new password is on its way. The link
            works once, for 30 minutes. Nothing there? Check your spam folder, or ask again in a few minutes.
          </Alert>
          <Button variant="secondary" onClick={() => setSentTo(null)}>
            Use another address
          </Button>
        </div>
      ) : (
        <form className="stack" onSubmit={onSubmit} noValidate>
          {formError && <Alert tone="danger">{formError}</Alert>}
          <TextField
            label="E-mail"
            name="email"
            type="email"
            hint="The address of your Admit account."
            autoComplete="email"
            error={errors.email}
            required
          />
          <Button type="submit" size="lg" block busy={busy}>
            Send me a link
          </Button>
        </form>
      )}
    </AuthPage>
  );
}
