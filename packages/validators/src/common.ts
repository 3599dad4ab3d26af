import { z } from "zod";

/** Dates leave the server as ISO 8601 strings, on tRPC and REST alike. */
export const dateTimeOut = z.date().transform((d) => d.toISOString());

/** Ids are PostgreSQL `integer`s: a larger number names no row, and must be refused here rather than by the database. */
export const MAX_ID = 2_147_483_647;
export const idSchema = z.number().int().positive().max(MAX_ID, `Ids are at most ${MAX_ID}.`);
/** The input of a procedure about one club (its dashboard, payments, door devices). */
export const clubIdInput = z.object({ clubId: idSchema });
/** An id from a URL path (a string there). */
export const pathIdSchema = (name: string) =>
  z.coerce.number({ message: `${name} must be a number` }).int(`${name} must be a whole number`).positive().max(MAX_ID, `${name} is at most ${MAX_ID}.`);

/** How deep a request's JSON may nest; no schema here goes past a handful of levels. */
export const MAX_INPUT_DEPTH = 64;

interface Visit {
  value: unknown;
  key: string | null;
  parent: Visit | null;
  depth: number;
}

const pathOf = (visit: Visit) => {
  const keys: string[] = [];
  for (let at: Visit | null = visit; at?.key != null; at = at.parent) keys.unshift(at.key);
  return keys.join(".") || "input";
};

/**
 * Why a request's input cannot be taken as it is, before any schema sees it, or null: a string or key holding the
 * NUL character, which PostgreSQL text cannot store (named by its path, e.g. "quantities.0.type"), or nesting deeper
 * than MAX_INPUT_DEPTH. Walks the raw input with its own stack, so no input can exhaust the call stack.
 */
export function unstorableInput(input: unknown): string | null {
  const stack: Visit[] = [{ value: input, key: null, parent: null, depth: 0 }];
  while (stack.length > 0) {
    const visit = stack.pop()!;
    const { value, depth } = visit;
    if (visit.key?.includes("\u0000") || (typeof value === "string" && value.includes("\u0000"))) {
      return `${pathOf(visit)}: must not contain the NUL character.`;
    }
    if (!value || typeof value !== "object") continue;
    if (depth >= MAX_INPUT_DEPTH) return `${pathOf(visit)}: nested more than ${MAX_INPUT_DEPTH} levels deep.`;
    const entries: ReadonlyArray<readonly [string, unknown]> = Array.isArray(value) ? value.map((inner, i) => [String(i), inner] as const) : Object.entries(value);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, inner] = entries[i]!;
      stack.push({ value: inner, key, parent: visit, depth: depth + 1 });
    }
  }
  return null;
}
export const uuidSchema = z.uuid();

/** The JSON body of every REST error, and the `data` of every tRPC error. */
export const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
  /** The seed API's field for the same message. */
  detail: z.string(),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;
