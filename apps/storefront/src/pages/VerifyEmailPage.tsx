import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { useSearchParams } from "react-router";
import { verifyEmail } from "../lib/auth-client.ts";
import { useSession } from "../lib/session.ts";
import { useTRPC } from "../lib/trpc.ts";
import { Alert, ButtonLink, Card, PageHeader, SkeletonList } from "../ui/index.ts";

/** Where a verification link lands: confirms the address and says so (or that the link has expired). */
export function VerifyEmailPage() {
  const token = useSearchParams()[0].get("token");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { isSignedIn } = useSession();
  // Confirming twice is harmless (the second answer is "already confirmed"), so a query that runs once per token is enough.
  const verification = useQuery({
    queryKey: ["verify-email", token],
    queryFn: () => verifyEmail(token!),
    enabled: Boolean(token),
    retry: false,
    staleTime: Infinity,
    gcTime: Infinity,
  });
  useEffect(() => {
    if (verification.isSuccess) void queryClient.invalidateQueries({ queryKey: trpc.account.me.queryKey() });
  }, [verification.isSuccess, queryClient, trpc]);

  const next = isSignedIn ? { to: "/account", label: "Go to your account" } : { to: "/sign-in", label: "Sign in" };

  return (
    <div className="auth-page">
      <PageHeader title="Confirm your e-mail address" />
      <Card>
        {!token ? (
          <Alert tone="danger" title="This link is incomplete">
            Open the link from the e-mail exactly as it is, or send yourself a new one from your account page.
          </Alert>
        ) : verification.isPending ? (
          <SkeletonList count={1} label="Confirming your address" />
        ) : verification.isSuccess ? (
          <Alert tone="success" title="Your address is confirmed" actions={<ButtonLink to={next.to}>{next.label}</ButtonLink>}>
            Thank you. Club officers can now write to you about the events you have tickets for.
          </Alert>
        ) : (
          <Alert
            tone="danger"
            title="We couldn't confirm your address"
            actions={<ButtonLink to={isSignedIn ? "/account" : "/sign-in?next=%2Faccount"}>{isSignedIn ? "Go to your account" : "Sign in"}</ButtonLink>}
          >
            {verification.error instanceof Error ? verification.error.message : "This link does not work."}
          </Alert>
        )}
      </Card>
    </div>
  );
}
