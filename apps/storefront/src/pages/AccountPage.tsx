import { useMutation, useQuery } from "@tanstack/react-query";
import { useSearchParams } from "react-router";
import { linkCampusAccount, listAccounts, sendVerificationEmail } from "../lib/auth-client.ts";
import { useSession } from "../lib/session.ts";
import { useTRPC } from "../lib/trpc.ts";
import { Alert, Badge, Button, Card, CardTitle, PageHeader } from "../ui/index.ts";

/**
 * Campus sign-in for this account: linked, or a button to link it. Linking is explicit: the student is signed in
 * (with the password, recently) and then signs in at the campus provider, so both are proven; after that the campus
 * button signs in to this account.
 */
function CampusAccountCard() {
  const trpc = useTRPC();
  const options = useQuery(trpc.account.signInOptions.queryOptions());
  const accounts = useQuery({ queryKey: ["auth", "accounts"], queryFn: listAccounts });
  const link = useMutation({ mutationFn: (provider: string) => linkCampusAccount(provider) });
  const justLinked = useSearchParams()[0].get("campus") === "linked";
  if (!options.data?.campusSignOn || !accounts.data) return null;
  const linked = accounts.data.some((a) => a.providerId === options.data.campusProviderId);

  return (
    <Card>
      <CardTitle>Campus account</CardTitle>
      <div className="stack">
        {linked ? (
          <>
            {justLinked && (
              <Alert tone="success" title="Your campus account is linked">
                From now on "Sign in with your campus account" signs you in here.
              </Alert>
            )}
            <p>
              <Badge tone="success">Linked</Badge> You can sign in with your campus account or with your username and password.
            </p>
          </>
        ) : (
          <>
            <p>
              Link your campus account to sign in with it instead of your password. You'll sign in at the campus page once to
              prove it's yours.
            </p>
            {link.isError && <Alert tone="danger">{link.error.message}</Alert>}
            {options.data.campusSignOnAvailable ? (
              <div>
                <Button variant="secondary" busy={link.isPending} onClick={() => link.mutate(options.data.campusProviderId)}>
                  Link your campus account
                </Button>
              </div>
            ) : (
              <Alert tone="warning" title="Campus sign-in is unavailable right now">
                Try linking again in a few minutes.
              </Alert>
            )}
          </>
        )}
      </div>
    </Card>
  );
}

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
        <CampusAccountCard />
      </div>
    </>
  );
}
