import { Link, useSearchParams } from "react-router";
import { safeNext } from "../shell/RequireSignIn.tsx";
import { Alert, ButtonLink, Card, PageHeader } from "../ui/index.ts";

interface Problem {
  title: string;
  /** What happened and what to do, in words a student understands; the technical reason is in the server's log. */
  text: string;
  /** Whether trying campus sign-in again may help (otherwise the way out is the password or the account page). */
  retry: boolean;
}

const TRY_LATER = "If it keeps happening, sign in with your username and password and tell the club or the site's administrators.";

/** Codes from the server (better-auth's and ours, in the `error` parameter) and the provider's (RFC 6749 4.1.2.1). */
function problemFor(code: string, linking: boolean): Problem {
  switch (code) {
    case "access_denied":
      return {
        title: linking ? "Linking was cancelled" : "Campus sign-in was cancelled",
        text: linking
          ? "The campus sign-in page did not give Admit your campus account, so nothing was linked. You can try again whenever you like."
          : "The campus sign-in page did not give Admit your campus account (you may have cancelled there). You can try again, or use your username and password.",
        retry: true,
      };
    case "login_required":
    case "interaction_required":
    case "consent_required":
      return { title: "Campus sign-in did not finish", text: "The campus sign-in page needs you to sign in there first. Try again.", retry: true };
    case "state_mismatch":
    case "state_not_found":
    case "please_restart_the_process":
    case "invalid_callback_request":
    case "no_code":
    case "state_security_mismatch":
      return {
        title: "This sign-in attempt has expired",
        text: "It took too long, or it was started in another tab or browser. Start again from this page.",
        retry: true,
      };
    case "account_not_linked":
      return linking
        ? { title: "Your campus account could not be linked", text: TRY_LATER, retry: false }
        : {
            title: "An Admit account already uses your campus e-mail address",
            text: "If that account is yours, sign in with its username and password, then link your campus account from your account page. After that the campus button signs you in to it. Forgot the password? Reset it from the sign-in page.",
            retry: false,
          };
    case "campus_identity_conflict":
      return {
        title: "Your e-mail address belongs to someone else's campus sign-in",
        text: "An Admit account made by another campus sign-in already uses the e-mail address your campus gave us, so we can't sign you in to it or make a second account with it. Ask the site's administrators to sort it out; your tickets are safe meanwhile.",
        retry: false,
      };
    case "campus_already_linked":
      return {
        title: "Your account already has a campus account",
        text: "This Admit account is linked to a different campus account. Sign in with that one, or ask the site's administrators for help.",
        retry: false,
      };
    case "account_already_linked_to_different_user":
      return {
        title: "That campus account belongs to another Admit account",
        text: "This campus account is already linked to a different Admit account, so it can't be linked to this one. Sign out and use the campus button to reach that account.",
        retry: false,
      };
    case "email_not_found":
      return {
        title: "Your campus didn't give us an e-mail address",
        text: "Admit needs an e-mail address to send your tickets. Sign in with a username and password instead. " + TRY_LATER,
        retry: false,
      };
    case "provider_unreachable":
    case "oauth_provider_not_found":
    case "temporarily_unavailable":
    case "server_error":
      return {
        title: "Campus sign-in is unavailable right now",
        text: "We can't reach the campus sign-in service. Use your username and password, or try again in a few minutes.",
        retry: true,
      };
    case "invalid_client":
    case "unauthorized_client":
    case "invalid_request":
    case "unsupported_response_type":
    case "invalid_scope":
    case "issuer_mismatch":
    case "issuer_missing":
    case "nonce_binding_missing":
      return {
        title: "Campus sign-in is not working at the moment",
        text: "Admit's connection to the campus sign-in service is not set up correctly, so trying again won't help yet. Sign in with your username and password, and please tell the site's administrators.",
        retry: false,
      };
    default:
      return {
        title: linking ? "Your campus account could not be linked" : "Campus sign-in could not be completed",
        text: `Something went wrong between Admit and the campus sign-in service. Try again. ${TRY_LATER}`,
        retry: true,
      };
  }
}

/** Where every failed campus sign-in or link lands (never the auth library's developer page). */
export function SignInProblemPage() {
  const [params] = useSearchParams();
  const raw = params.get("error") ?? "";
  const code = /^[\w.-]{1,64}$/.test(raw) ? raw : "unknown";
  const linking = params.get("during") === "link";
  const next = safeNext(params.get("next"));
  const problem = problemFor(code, linking);
  const signIn = `/sign-in${next !== "/" ? `?next=${encodeURIComponent(next)}` : ""}`;

  return (
    <div className="auth-page">
      <PageHeader title={problem.title} />
      <Card>
        <div className="stack">
          <Alert
            tone="warning"
            actions={
              linking ? (
                <ButtonLink to="/account">Back to your account</ButtonLink>
              ) : (
                <ButtonLink to={signIn}>{problem.retry ? "Try again" : "Sign in with your password"}</ButtonLink>
              )
            }
          >
            {problem.text}
          </Alert>
          <p className="muted">
            Reference for the site's administrators: <code>{code}</code>. {!linking && <Link to="/forgot-password">Forgot your password?</Link>}
          </p>
        </div>
      </Card>
    </div>
  );
}
