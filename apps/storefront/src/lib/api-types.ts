import type { AppRouter } from "@admit/api/types";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";

/** What each procedure returns and takes, as the browser sees it (dates are ISO strings). */
export type Outputs = inferRouterOutputs<AppRouter>;
export type Inputs = inferRouterInputs<AppRouter>;
