import type { AppRouter } from "@admit/api/types";
import { QueryClient } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client";
import { createTRPCContext } from "@trpc/tanstack-react-query";

/** HTTP status of a failed call, when the server answered. */
export function httpStatusOf(error: unknown): number | undefined {
  if (error instanceof TRPCClientError) {
    const data = error.data as { httpStatus?: number } | undefined;
    return data?.httpStatus;
  }
  return undefined;
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
