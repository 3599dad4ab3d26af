import type { Issue } from "./issues.ts";

/** A zod safeParse result, as far as a form reads it; the storefront gets its schemas from @admit/validators, not zod. */
export type Parsed<T> = { success: true; data: T } | { success: false; error: { issues: readonly Issue[] } };
