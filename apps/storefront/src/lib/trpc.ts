import type { AppRouter } from "@admit/api/types";
import { QueryClient } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import { isServerError } from "./errors.ts";

/** HTTP status of a failed call, when the server answered. */
export function httpStatusOf(error: unknown): number | undefined {
  return isServerError(error) ? error.data?.httpStatus : undefined;
}

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 10_000,
      // A 4xx answer will not change on a retry; network hiccups and 5xx might.
      retry: (count, error) => {
        const status = httpStatusOf(error);
        return count < 2 && (status === undefined || status >= 500);
      },
    },
  },
});

export const trpcClient = createTRPCClient<AppRouter>({
  links: [httpBatchLink({ url: "/trpc", fetch: (url, init) => fetch(url, { ...init, credentials: "same-origin" }) })],
});

export const { TRPCProvider, useTRPC } = createTRPCContext<AppRouter>();
