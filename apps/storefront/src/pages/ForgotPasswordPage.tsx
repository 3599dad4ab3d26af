import { passwordResetRequestSchema } from "@admit/validators";
import { useState } from "react";
import { requestPasswordReset } from "../lib/auth-client.ts";
import { Alert, Button, TextField } from "../ui/index.ts";
import { AuthPage } from "./auth/AuthPage.tsx";
import { useFormSubmit } from "./auth/use-auth-form.ts";
import { formText } from "../lib/form-data.ts";

/** "Forgot your password?": asks for the address and mails a reset link to it if it has an account. */
export function ForgotPasswordPage() {
  const { errors, formError, busy, submitHandler } = useFormSubmit<"send">();
  const [sentTo, setSentTo] = useState<string | null>(null);

  const onSubmit = submitHandler({
    way: "send",
    parse: (form) => passwordResetRequestSchema.safeParse({ email: formText(form, "email").trim() }),
    run: async ({ email }) => {
      await requestPasswordReset(email);
      setSentTo(email);
    },
    failure: "We couldn't send the link. Please try again.",
  });

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
          <Button type="submit" size="lg" block busy={busy === "send"}>
            Send me a link
          </Button>
        </form>
      )}
    </AuthPage>
  );
}
