import { isServerError } from "../../../lib/errors.ts";
import type { Issue } from "../../../lib/issues.ts";

/** The field problems a server refusal names (zod issues it found), so they can sit next to the fields too. */
export function serverIssues(error: unknown): Issue[] {
  return (isServerError(error) ? error.data?.issues : undefined) ?? [];
}
