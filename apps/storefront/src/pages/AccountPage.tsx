import { useMutation } from "@tanstack/react-query";
import { sendVerificationEmail } from "../lib/auth-client.ts";
import { useSession } from "../lib/session.ts";
import { Alert, Badge, Button, Card, CardTitle, PageHeader } from "../ui/index.ts";

/** Who is signed in, and whether their e-mail address is confirmed (with a way to get a new confirmation link). */
export function AccountPage() {
  const { me } = useSession();
  const resend = useMutation({ mutationFn: (email: string) => sendVerificationEmail(email) });
  if (!me) return null;

  return (
    <>
      <PageHeader title="Your account" />
      <div className="stack-lg account-page">
        <Card>
          <dl className="account-facts">
            <dt>Name</dt>
            <dd>{me.fullName}</dd>
            <dt>Username</dt>
            <dd>{me.username}</dd>
            <dt>E-mail</dt>
            <dd>
              {me.email}{" "}
              {me.emailVerified ? <Badge tone="success">Confirmed</Badge> : <Badge tone="warning">Not confirmed</Badge>}
            </dd>
          </dl>
        </Card>
        {!me.emailVerified && (
          <Card>
            <CardTitle>Confirm your e-mail address</CardTitle>
            <div className="stack">
              <p>
                Club officers write to ticket holders only at confirmed addresses, and a campus sign-in can join this account only
                once its address is confirmed. Your tickets and receipts reach you either way.
              </p>
              {resend.isSuccess ? (
                <Alert tone="success" title="Check your mail">
                  A confirmation link is on its way to {me.email}. Nothing there? Check your spam folder, or ask again in a few
                  minutes.
                </Alert>
              ) : (
                <>
                  {resend.isError && <Alert tone="danger">{resend.error.message}</Alert>}
                  <div>
                    <Button variant="secondary" busy={resend.isPending} onClick={() => resend.mutate(me.email)}>
                      Send the confirmation e-mail again
                    </Button>
                  </div>
                </>
              )}
            </div>
          </Card>
        )}
      </div>
    </>
  );
}
