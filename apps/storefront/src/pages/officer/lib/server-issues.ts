import type { FieldValues, Path, UseFormSetError } from "react-hook-form";
import { isServerError } from "../../../lib/errors.ts";
import type { Issue } from "../../../lib/issues.ts";

/** The field problems a server refusal names (zod issues it found), so they can sit next to the fields too. */
export function serverIssues(error: unknown): Issue[] {
  return (isServerError(error) ? error.data?.issues : undefined) ?? [];
}

/**
 * Puts each problem the server found at the field its path names. Forms name their fields as the server's input
 * does, so no path is translated; a problem about the request as a whole goes to the form's own message.
 */
export function useServerIssues<T extends FieldValues>(setError: UseFormSetError<T>) {
  return (error: unknown) => {
    for (const issue of serverIssues(error)) {
      if (issue.path.length) setError(issue.path.map(String).join(".") as Path<T>, { type: "server", message: issue.message });
    }
  };
}
