import { z } from "zod";
import { idSchema } from "./common.ts";

/** An officer sets the club's IANA time zone, or null for the site's (the server checks the name). */
export const clubSettingsInput = z.object({
  clubId: idSchema,
  timeZone: z.string().trim().min(1, "Choose a time zone.").max(64, "Time zone names are at most 64 characters.").nullable(),
});

export const clubSettingsSchema = z.object({
  clubId: idSchema,
  /** The club's own zone; null: the site's. */
  timeZone: z.string().nullable(),
  /** The zone e-mails, CSV files, calendar files and finance months use for this club. */
  effectiveTimeZone: z.string(),
  siteTimeZone: z.string(),
});
export type ClubSettings = z.output<typeof clubSettingsSchema>;
