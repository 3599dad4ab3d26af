import { newPasswordSchema } from "@admit/validators";
import { useQueryClient } from "@tanstack/react-query";
import { Link, useLocation, useNavigate } from "react-router";
import { resetPassword } from "../lib/auth-client.ts";
import { Alert, Button, TextField } from "../ui/index.ts";
import { AuthPage } from "./auth/AuthPage.tsx";
import { useFormSubmit } from "./auth/use-auth-form.ts";
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
  const { errors, formError, busy, submitHandler } = useFormSubmit<"reset">();

  const onSubmit = submitHandler({
    way: "reset",
    parse: (form) => newPasswordSchema.safeParse({ password: formText(form, "password"), confirm: formText(form, "confirm") }),
    run: async ({ password }) => {
      if (!token) return;
      await resetPassword(token, password);
      // Every session of the account ended with the reset, this browser's included.
      queryClient.clear();
      await navigate("/sign-in?reset=done", { replace: true });
    },
    failure: "We couldn't change your password. Please try again.",
  });

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
          <Button type="submit" size="lg" block busy={busy === "reset"}>
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
