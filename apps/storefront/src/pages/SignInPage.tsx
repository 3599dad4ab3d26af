import { tokenRequestSchema } from "@admit/validators";
import { useQuery } from "@tanstack/react-query";
import { Link, Navigate, useSearchParams } from "react-router";
import { signIn, startCampusSignOn } from "../lib/auth-client.ts";
import { useTRPC } from "../lib/trpc.ts";
import { Alert, Button, TextField } from "../ui/index.ts";
import { AuthPage } from "./auth/AuthPage.tsx";
import { useAuthForm } from "./auth/use-auth-form.ts";
import { formText } from "../lib/form-data.ts";

const CAMPUS_RETRY_MS = 5_000;

export function SignInPage() {
  const trpc = useTRPC();
  // While the campus provider is down, ask again every few seconds: the button comes back by itself.
  const options = useQuery({
    ...trpc.account.signInOptions.queryOptions(),
    refetchInterval: (query) => (query.state.data?.campusSignOn && !query.state.data.campusSignOnAvailable ? CAMPUS_RETRY_MS : false),
  });
  const { next, alreadySignedIn, errors, formError, setFormError, busy, setBusy, submitHandler } = useAuthForm<"password" | "campus">();
  const passwordReset = useSearchParams()[0].get("reset") === "done";

  if (alreadySignedIn) return <Navigate to={next} replace />;

  const onSubmit = submitHandler({
    way: "password",
    parse: (form) => tokenRequestSchema.safeParse({ username: formText(form, "username").trim(), password: formText(form, "password") }),
    run: (data) => signIn(data.username, data.password),
    failure: "Sign-in failed. Please try again.",
  });

  return (
    <AuthPage
      title="Sign in"
      description="Use your Admit account to buy and see your tickets."
      switchTo={{ path: "/sign-up", prompt: "New here?", label: "Create an account", next }}
    >
      <form className="stack" onSubmit={onSubmit} noValidate aria-describedby={formError ? "signin-error" : undefined}>
        {formError && (
          <div id="signin-error">
            <Alert tone="danger">{formError}</Alert>
          </div>
        )}
        {passwordReset && !formError && (
          <Alert tone="success" title="Your password is changed">
            Sign in with your new password. Everywhere else your account was signed out.
          </Alert>
        )}
        <TextField label="Username" name="username" autoComplete="username" autoCapitalize="none" spellCheck={false} error={errors.username} required />
        <TextField label="Password" name="password" type="password" autoComplete="current-password" error={errors.password} required />
        <p className="auth-forgot">
          <Link to="/forgot-password">Forgot your password?</Link>
        </p>
        <Button type="submit" size="lg" block busy={busy === "password"}>
          Sign in
        </Button>
      </form>
      {options.data?.campusSignOn && !options.data.campusSignOnAvailable && (
        <div className="auth-alt">
          <p className="auth-divider">
            <span>or</span>
          </p>
          <Alert tone="warning" title="Campus sign-in is unavailable right now">
            We can't reach the campus sign-in service. Use your username and password, or try again in a few minutes:
            the campus button comes back here by itself.
          </Alert>
        </div>
      )}
      {options.data?.campusSignOn && options.data.campusSignOnAvailable && (
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
    </AuthPage>
  );
}
