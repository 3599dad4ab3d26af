import { z } from "zod";

/** Dates leave the server as ISO 8601 strings, on tRPC and REST alike. */
export const dateTimeOut = z.date().transform((d) => d.toISOString());

export const idSchema = z.number().int().positive();
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
