import { z } from "zod";

/** Dates leave the server as ISO 8601 strings, on tRPC and REST alike. */
export const dateTimeOut = z.date().transform((d) => d.toISOString());

/** Ids are PostgreSQL `integer`s: a larger number names no row, and must be refused here rather than by the database. */
export const MAX_ID = 2_147_483_647;
export const idSchema = z.number().int().positive().max(MAX_ID, `Ids are at most ${MAX_ID}.`);
/** An id from a URL path (a string there). */
export const pathIdSchema = (name: string) =>
  z.coerce.number({ message: `${name} must be a number` }).int(`${name} must be a whole number`).positive().max(MAX_ID, `${name} is at most ${MAX_ID}.`);

/**
 * Where a request carries the NUL character, which PostgreSQL text cannot store: the path of the first string that
 * holds one (e.g. "quantities.0.type"), or null. Every request is checked before its schema, so no field can forget.
 */
export function nulCharacterPath(value: unknown, path: string[] = []): string | null {
  if (typeof value === "string") return value.includes("\u0000") ? path.join(".") || "input" : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nulCharacterPath(value[i], [...path, String(i)]);
      if (found) return found;
    }
  } else if (value && typeof value === "object") {
    for (const [key, inner] of Object.entries(value)) {
      const found = nulCharacterPath(inner, [...path, key]) ?? (key.includes("\u0000") ? [...path, key].join(".") : null);
      if (found) return found;
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
