import { Prisma } from "@admit/db";
import type { ShowingSaleFacts } from "../availability.ts";
import { enqueueMail } from "../mail/outbox.ts";
import { sqlTime, UTC_TEXT } from "../sql-time.ts";
import { zoneOfClub } from "../time-zone.ts";
import { reminderMessage } from "./mail.ts";
import { hasDropAhead, REMIND_MINUTES_BEFORE } from "./rules.ts";

type Tx = Prisma.TransactionClient;

/** Reminders sent per transaction; the job runs again for the rest. */
export const REMINDER_BATCH = 200;

/**
 * `remindAt` (rules.ts) inside a statement, from the showing's drop and lobby as they are now (an officer may have
 * moved the drop since the student asked): aliases `s` (Showing) and `l` (Lobby, left joined).
 */
const remindAtSql = Prisma.sql`(s."ticketDropTime" - make_interval(mins => (CASE WHEN l.enabled THEN l."opensMinutesBefore" ELSE 0 END) + ${REMIND_MINUTES_BEFORE}::int))`;

interface ShowingSaleRow {
  endTime: string;
  ticketDropTime: string | null;
  salesPaused: boolean;
  cancelledAt: string | null;
  approved: boolean;
  archived: boolean;
}

const saleFacts = (s: ShowingSaleRow): ShowingSaleFacts => ({
  endTime: new Date(s.endTime),
  ticketDropTime: s.ticketDropTime === null ? null : new Date(s.ticketDropTime),
  salesPaused: s.salesPaused,
  cancelledAt: s.cancelledAt === null ? null : new Date(s.cancelledAt),
  event: { club: { approved: s.approved, archived: s.archived } },
});

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
 * queued and `sentAt` set in the same transaction. Only showings with their drop ahead get them (`hasDropAhead`, from
 * the showing's sale state): none for a paused, cancelled or ended showing, or one already on sale or without a drop
 * time any more.
 */
export async function sendDueReminders(
  tx: Tx,
  settings: { now: Date; publicUrl: string; siteTimeZone: string | undefined },
): Promise<number> {
  const at = sqlTime(settings.now);
  // The showings with reminders due by the clock, with their sale facts; `hasDropAhead` decides which get them.
  const showings = await tx.$queryRaw<Array<ShowingSaleRow & { id: number }>>`
    SELECT s.id, to_char(s."endTime", ${UTC_TEXT}) AS "endTime", to_char(s."ticketDropTime", ${UTC_TEXT}) AS "ticketDropTime",
           s."salesPaused", to_char(s."cancelledAt", ${UTC_TEXT}) AS "cancelledAt", c.approved, c.archived
    FROM "Showing" s JOIN "Event" e ON e.id = s."eventId" JOIN "Club" c ON c.id = e."clubId"
    LEFT JOIN "Lobby" l ON l."showingId" = s.id
    WHERE s."endTime" > ${at} AND s."ticketDropTime" IS NOT NULL AND ${remindAtSql} <= ${at}
      AND EXISTS (SELECT 1 FROM "DropReminder" r WHERE r."showingId" = s.id AND r."sentAt" IS NULL)`;
  const ahead = showings.filter((s) => hasDropAhead(saleFacts(s), settings.now)).map((s) => Number(s.id));
  if (ahead.length === 0) return 0;
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
    WHERE r."sentAt" IS NULL AND s.id = ANY(${ahead}::int[]) AND ${remindAtSql} <= ${at}
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
