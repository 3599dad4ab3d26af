import { Prisma } from "@admit/db";

/**
 * Prisma keeps DateTime columns as UTC `timestamp(3)`; an instant goes to raw SQL as UTC text so that comparisons
 * and inserts do not depend on the database session's time zone.
 */
export const sqlTime = (at: Date): Prisma.Sql => Prisma.sql`${at.toISOString()}::timestamp(3)`;

/** The `to_char` format that reads a `timestamp(3)` column back as the ISO 8601 UTC text `new Date()` parses. */
export const UTC_TEXT = 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"';
