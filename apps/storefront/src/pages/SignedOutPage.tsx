import { useSearchParams } from "react-router";
import { Alert, ButtonLink, Card, PageHeader } from "../ui/index.ts";

/**
 * After signing out. The campus provider brings the browser back here once it has ended the campus session too
 * (RP-initiated logout); `?campus=open` means the provider offers no way to end it from here, so the next person at a
 * shared computer could sign in as this student with the campus button, and the page says what to do about it.
 */
export function SignedOutPage() {
  const campusOpen = useSearchParams()[0].get("campus") === "open";
  return (
    <div className="auth-page">
      <PageHeader title="You are signed out" />
      <Card>
        {campusOpen ? (
          <Alert tone="warning" title="Your campus account is still signed in" actions={<ButtonLink to="/">Back to events</ButtonLink>}>
            You are signed out of Admit, but the campus sign-in service still knows you in this browser: anyone using it could
            press "Sign in with your campus account" and be you. On a shared computer, close every window of the browser, or
            sign out on your campus sign-in page.
          </Alert>
        ) : (
          <Alert tone="success" title="Signed out of Admit and your campus account" actions={<ButtonLink to="/">Back to events</ButtonLink>}>
            You are signed out of Admit, and of your campus account in this browser if you confirmed it on the campus page.
          </Alert>
        )}
      </Card>
    </div>
  );
}
