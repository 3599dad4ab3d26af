import type { ReactNode } from "react";
import { Navigate, useLocation } from "react-router";
import { useSession } from "../lib/session.ts";
import { SkeletonList } from "../ui/Skeleton.tsx";

/** Pages for signed-in people: everyone else is sent to sign in and brought back afterwards. */
export function RequireSignIn({ children }: { children: ReactNode }) {
  const { isSignedIn, isPending } = useSession();
  const location = useLocation();
  if (isPending) return <SkeletonList count={2} label="Checking who is signed in" />;
  if (!isSignedIn) {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={`/sign-in?next=${encodeURIComponent(next)}`} replace />;
  }
  return <>{children}</>;
}

/**
 * Only same-site paths are followed after sign-in, never another site's address. Browsers read a backslash as a
 * slash and drop tabs and line breaks in URLs, so "/\\evil.example" and "/\t/evil.example" name another site too.
 */
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith("/")) return "/";
  const normalized = [...next]
    .filter((c) => c.charCodeAt(0) > 0x1f && c.charCodeAt(0) !== 0x7f)
    .join("")
    .replace(/\\/g, "/");
  return normalized.startsWith("//") ? "/" : next;
}
