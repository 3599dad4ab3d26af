import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { listAccounts, signOut } from "./auth-client.ts";
import { clearCartNotices } from "./cart-notices.ts";
import { httpStatusOf, useTRPC } from "./trpc.ts";

/** Who is signed in: `me` is null when nobody is (a 401 is an answer here, not an error). */
export function useSession() {
  const trpc = useTRPC();
  const query = useQuery({
    ...trpc.account.me.queryOptions(),
    retry: (count, error) => count < 2 && httpStatusOf(error) === undefined,
    staleTime: 60_000,
  });
  const signedOut = query.isError && httpStatusOf(query.error) === 401;
  return {
    me: query.data ?? null,
    isPending: query.isPending && !signedOut,
    isSignedIn: Boolean(query.data),
  };
}

/**
 * Signs out and says where to go next: "/" normally; "/signed-out?campus=open" when a campus identity is linked and
 * its provider has no RP-initiated logout (the campus session stays open in this browser, which the page says). With
 * RP-initiated logout the browser goes to the provider, which ends the campus session and comes back to /signed-out;
 * the promise then never settles, so nothing navigates over that.
 */
export function useSignOut() {
  const queryClient = useQueryClient();
  return useCallback(async (): Promise<string> => {
    const campusLinked = await listAccounts()
      .then((accounts) => accounts.some((a) => a.providerId === "campus"))
      .catch(() => false);
    const { url } = await signOut();
    queryClient.clear();
    clearCartNotices();
    if (url) {
      window.location.assign(url);
      return new Promise<string>(() => {});
    }
    return campusLinked ? "/signed-out?campus=open" : "/";
  }, [queryClient]);
}
