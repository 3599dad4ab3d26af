import { TRPCClientError } from "@trpc/client";
import type { Issue } from "../../../lib/issues.ts";

/** The field problems a server refusal names (zod issues it found), so they can sit next to the fields too. */
export function serverIssues(error: unknown): Issue[] {
  if (!(error instanceof TRPCClientError)) return [];
  const data = error.data as { issues?: Array<{ path: string[]; message: string }> | null } | undefined;
  return data?.issues ?? [];
}
