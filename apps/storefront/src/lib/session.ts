import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { signOut } from "./auth-client.ts";
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

export function useSignOut() {
  const queryClient = useQueryClient();
  return useCallback(async () => {
    await signOut();
    queryClient.clear();
    clearCartNotices();
  }, [queryClient]);
}
