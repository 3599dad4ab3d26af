/** An iCalendar (RFC 5545) file for one showing, built in the browser and downloaded as a Blob. */
import { icsLocalDateTime, showingTimeInZone, vtimezone } from "./ics-zone.ts";

export interface CalendarEvent {
  uid: string;
  title: string;
  start: string;
  end: string;
  location?: string | null;
  description?: string;
  url?: string;
  /** The club's IANA zone: times are written as its wall-clock times with a VTIMEZONE, and named in the description. */
  timeZone?: string;
}

/** TEXT values escape backslash, semicolon, comma and line breaks (RFC 5545 §3.3.11). */
export function escapeText(value: string): string {
  return value
    .replace(/\\/g, "\\\\")
    .replace(/;/g, "\\;")
    .replace(/,/g, "\\,")
    .replace(/\r\n|\r|\n/g, "\\n");
}

/** UTC date-time form: 20260306T000000Z. */
export function icsDateTime(iso: string | Date): string {
  return new Date(iso).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

/** Lines longer than 75 octets continue on the next line after a space, never inside a UTF-8 character. */
export function foldLine(line: string): string {
  const encoder = new TextEncoder();
  const parts: string[] = [];
  let current = "";
  let size = 0;
  for (const char of line) {
    const bytes = encoder.encode(char).length;
    const limit = parts.length === 0 ? 75 : 74;
    if (size + bytes > limit) {
      parts.push(current);
      current = "";
      size = 0;
    }
    current += char;
    size += bytes;
  }
  parts.push(current);
  return parts.join("\r\n ");
}

/** DTSTART/DTEND in the zone (TZID) when one is given, else in UTC. */
function timeProperty(name: "DTSTART" | "DTEND", iso: string, timeZone: string | undefined): string {
  return timeZone ? `${name};TZID=${timeZone}:${icsLocalDateTime(new Date(iso), timeZone)}` : `${name}:${icsDateTime(iso)}`;
}

export function buildIcs(event: CalendarEvent, stamp: Date): string {
  const zone = event.timeZone;
  const start = new Date(event.start);
  const end = new Date(event.end);
  const when = zone ? `When: ${showingTimeInZone(start, end, zone)}` : "";
  const description = [when, event.description].filter(Boolean).join("\n");
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Admit//Club tickets//EN",
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    ...(zone ? [`X-WR-TIMEZONE:${zone}`, ...vtimezone(zone, start, end)] : []),
    "BEGIN:VEVENT",
    `UID:${escapeText(event.uid)}`,
    `DTSTAMP:${icsDateTime(stamp)}`,
    timeProperty("DTSTART", event.start, zone),
    timeProperty("DTEND", event.end, zone),
    `SUMMARY:${escapeText(event.title)}`,
    ...(event.location ? [`LOCATION:${escapeText(event.location)}`] : []),
    ...(description ? [`DESCRIPTION:${escapeText(description)}`] : []),
    ...(event.url ? [`URL:${event.url}`] : []),
    "END:VEVENT",
    "END:VCALENDAR",
  ];
  return lines.map(foldLine).join("\r\n") + "\r\n";
}

/** A file name made of letters, digits and dashes. */
export function icsFileName(title: string): string {
  const slug = title
    .normalize("NFKD")
    .replace(/[^\w\s-]/g, "")
    .trim()
    .replace(/[\s_]+/g, "-")
    .toLowerCase()
    .slice(0, 60);
  return `${slug || "event"}.ics`;
}

export function downloadIcs(event: CalendarEvent): void {
  const blob = new Blob([buildIcs(event, new Date())], { type: "text/calendar;charset=utf-8" });
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = icsFileName(event.title);
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
