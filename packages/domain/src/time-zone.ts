import type { Prisma, PrismaClient } from "@admit/db";
import type { DomainDeps } from "./deps.ts";
import { notFound } from "./errors.ts";

type Db = PrismaClient | Prisma.TransactionClient;

/** The site's zone when TIME_ZONE is not set. */
export const DEFAULT_SITE_TIME_ZONE = "America/New_York";

/** True for any IANA zone name this runtime's Intl knows (and "UTC"); a bare offset such as "+05:00" is no zone. */
export function isTimeZone(name: string): boolean {
  if (name.trim() === "" || name !== name.trim() || /^[+-]/.test(name)) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/**
 * A zone name as the IANA list spells it ("america/los_angeles" becomes "America/Los_Angeles"); only for names
 * `isTimeZone` accepts. Only the letters' case changes: Intl's own canonical form would turn Asia/Kolkata back into
 * Asia/Calcutta.
 */
export function canonicalTimeZone(name: string): string {
  const wanted = name.toLowerCase();
  if (wanted === "utc") return "UTC";
  return Intl.supportedValuesOf("timeZone").find((zone) => zone.toLowerCase() === wanted) ?? name;
}

/**
 * The one rule for which zone a club's times are written in outside the browser (e-mails, CSV, .ics, finance
 * months): the club's own zone, else the site's TIME_ZONE.
 */
export function zoneOfClub(clubTimeZone: string | null | undefined, siteTimeZone: string | undefined): string {
  return clubTimeZone ?? siteTimeZone ?? DEFAULT_SITE_TIME_ZONE;
}

/** The zone of a club, read from the database (NOT_FOUND for an unknown club). */
export async function clubTimeZone(db: Db, deps: Pick<DomainDeps, "siteTimeZone">, clubId: number): Promise<string> {
  const club = await db.club.findUnique({ where: { id: clubId }, select: { timeZone: true } });
  if (!club) throw notFound("Club");
  return zoneOfClub(club.timeZone, deps.siteTimeZone);
}

/** The zone a showing's times are written in: its event's club's (NOT_FOUND for an unknown showing). */
export async function showingTimeZone(db: Db, deps: Pick<DomainDeps, "siteTimeZone">, showingId: number): Promise<string> {
  const showing = await db.showing.findUnique({
    where: { id: showingId },
    select: { event: { select: { club: { select: { timeZone: true } } } } },
  });
  if (!showing) throw notFound("Showing");
  return zoneOfClub(showing.event.club.timeZone, deps.siteTimeZone);
}

const partFormatters = new Map<string, Intl.DateTimeFormat>();

/** Building a DateTimeFormat is costly, so each zone's is made once. */
function partsIn(date: Date, timeZone: string): Record<string, string> {
  let f = partFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    partFormatters.set(timeZone, f);
  }
  return Object.fromEntries(f.formatToParts(date).map((p) => [p.type, p.value]));
}

/** Minutes the zone is ahead of UTC at that instant (New York in winter: -300). */
export function offsetMinutes(date: Date, timeZone: string): number {
  const p = partsIn(date, timeZone);
  const wall = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return Math.round((wall - Math.floor(date.getTime() / 1000) * 1000) / 60_000);
}

function offsetText(minutes: number): string {
  const sign = minutes < 0 ? "-" : "+";
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

/** "2026-12-05T14:00:00-05:00": the wall time in the zone with its offset, for CSV files a spreadsheet can sort. */
export function isoInZone(date: Date, timeZone: string): string {
  const p = partsIn(date, timeZone);
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}${offsetText(offsetMinutes(date, timeZone))}`;
}

/** "2026-12": the calendar month the instant falls in, in the zone. */
export function monthInZone(date: Date, timeZone: string): string {
  const p = partsIn(date, timeZone);
  return `${p.year}-${p.month}`;
}

const readableFormatters = new Map<string, Intl.DateTimeFormat>();

/** "Dec 5, 2026, 2:00 PM EST": one instant as a person reads it in a message or a file. */
export function formatInZone(date: Date, timeZone: string): string {
  let f = readableFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      year: "numeric",
      month: "short",
      day: "numeric",
      hour: "numeric",
      minute: "2-digit",
      timeZoneName: "short",
    });
    readableFormatters.set(timeZone, f);
  }
  return f.format(date);
}
