import { Prisma } from "@admit/db";
import { enqueueMail } from "../mail/outbox.ts";
import { sqlTime, UTC_TEXT } from "../sql-time.ts";
import { zoneOfClub } from "../time-zone.ts";
import { reminderMessage } from "./mail.ts";
import { REMIND_MINUTES_BEFORE } from "./rules.ts";

type Tx = Prisma.TransactionClient;

/** Reminders sent per transaction; the job runs again for the rest. */
export const REMINDER_BATCH = 200;

/**
 * `remindAt` (rules.ts) inside a statement, from the showing's drop and lobby as they are now (an officer may have
 * moved the drop since the student asked): aliases `s` (Showing) and `l` (Lobby, left joined).
 */
const remindAtSql = Prisma.sql`(s."ticketDropTime" - make_interval(mins => (CASE WHEN l.enabled THEN l."opensMinutesBefore" ELSE 0 END) + ${REMIND_MINUTES_BEFORE}::int))`;

interface DueRow {
  id: string;
  showingId: number;
  eventId: number;
  eventName: string;
  clubName: string;
  timeZone: string | null;
  startTime: string;
  endTime: string;
  dropTime: string;
  lobbyOpensAt: string | null;
  email: string;
  fullName: string;
}

/**
 * Sends every due "notify me" reminder once: claimed with SKIP LOCKED (several processes share the work), the message
 * queued and `sentAt` set in the same transaction. Reminders of a cancelled or ended showing, or of one without a drop
 * time any more, are not sent.
 */
export async function sendDueReminders(
  tx: Tx,
  settings: { now: Date; publicUrl: string; siteTimeZone: string | undefined },
): Promise<number> {
  const at = sqlTime(settings.now);
  const due = await tx.$queryRaw<DueRow[]>`
    SELECT r.id::text AS id, s.id AS "showingId", e.id AS "eventId", e.name AS "eventName", c.name AS "clubName",
           c."timeZone" AS "timeZone", to_char(s."startTime", ${UTC_TEXT}) AS "startTime", to_char(s."endTime", ${UTC_TEXT}) AS "endTime",
           to_char(s."ticketDropTime", ${UTC_TEXT}) AS "dropTime",
           CASE WHEN l.enabled THEN to_char(s."ticketDropTime" - make_interval(mins => l."opensMinutesBefore"), ${UTC_TEXT}) END AS "lobbyOpensAt",
           u.email, u."fullName" AS "fullName"
    FROM "DropReminder" r
    JOIN "Showing" s ON s.id = r."showingId"
    JOIN "Event" e ON e.id = s."eventId"
    JOIN "Club" c ON c.id = e."clubId"
    JOIN "User" u ON u.id = r."userId"
    LEFT JOIN "Lobby" l ON l."showingId" = s.id
    WHERE r."sentAt" IS NULL AND s."ticketDropTime" IS NOT NULL AND s."cancelledAt" IS NULL AND s."endTime" > ${at}
      AND ${remindAtSql} <= ${at}
    ORDER BY r.id
    LIMIT ${REMINDER_BATCH}
    FOR UPDATE OF r SKIP LOCKED`;
  if (due.length === 0) return 0;
  await enqueueMail(
    tx,
    due.map((r) =>
      reminderMessage(
        { id: r.id, dropTime: new Date(r.dropTime), lobbyOpensAt: r.lobbyOpensAt ? new Date(r.lobbyOpensAt) : null },
        {
          id: Number(r.showingId),
          eventId: Number(r.eventId),
          eventName: r.eventName,
          clubName: r.clubName,
          startTime: new Date(r.startTime),
          endTime: new Date(r.endTime),
          timeZone: zoneOfClub(r.timeZone, settings.siteTimeZone),
        },
        { email: r.email, fullName: r.fullName },
        settings.publicUrl,
      ),
    ),
  );
  await tx.dropReminder.updateMany({ where: { id: { in: due.map((r) => r.id) } }, data: { sentAt: settings.now } });
  return due.length;
}
