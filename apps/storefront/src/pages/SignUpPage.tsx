import { signUpSchema } from "@admit/validators";
import { Navigate } from "react-router";
import { signIn, signUp } from "../lib/auth-client.ts";
import { Alert, Button, TextField } from "../ui/index.ts";
import { AuthPage } from "./auth/AuthPage.tsx";
import { useAuthForm } from "./auth/use-auth-form.ts";
import { formText } from "../lib/form-data.ts";

export function SignUpPage() {
  const { next, alreadySignedIn, errors, formError, busy, submitHandler } = useAuthForm<"account">();

  if (alreadySignedIn) return <Navigate to={next} replace />;

  const onSubmit = submitHandler({
    way: "account",
    parse: (form) =>
      signUpSchema.safeParse({
        username: formText(form, "username"),
        fullName: formText(form, "fullName"),
        email: formText(form, "email").trim(),
        password: formText(form, "password"),
      }),
    run: async (data) => {
      await signUp(data);
      await signIn(data.username, data.password);
    },
    failure: "We couldn't create your account. Please try again.",
  });

  return (
    <AuthPage
      title="Create your account"
      description="One account for every club's events."
      switchTo={{ path: "/sign-in", prompt: "Already have an account?", label: "Sign in", next }}
    >
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
        <TextField
          label="E-mail"
          name="email"
          type="email"
          hint="We'll send you a link to confirm it."
          autoComplete="email"
          error={errors.email}
          required
        />
        <TextField
          label="Password"
          name="password"
          type="password"
          hint="At least 8 characters."
          autoComplete="new-password"
          error={errors.password}
          required
        />
        <Button type="submit" size="lg" block busy={busy === "account"}>
          Create account
        </Button>
      </form>
    </AuthPage>
  );
}
