import { DomainError } from "@admit/domain";
import { unstorableInput } from "@admit/validators";

/** Refuses, before any schema or query sees it, input no field may hold: NUL characters, absurd nesting. */
export function requireStorableInput(input: unknown): void {
  const problem = unstorableInput(input);
  if (problem) throw new DomainError("VALIDATION_FAILED", problem);
}
