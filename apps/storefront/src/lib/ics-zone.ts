/**
 * Calendar times in the club's zone: a VTIMEZONE (RFC 5545 §3.6.5) made from the browser's own zone data, so a
 * calendar shows the showing at the club's wall-clock time and keeps it there across daylight-saving changes.
 */

const wallFormats = new Map<string, Intl.DateTimeFormat>();

function wallParts(date: Date, timeZone: string): Record<string, string> {
  let f = wallFormats.get(timeZone);
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
      timeZoneName: "short",
    });
    wallFormats.set(timeZone, f);
  }
  return Object.fromEntries(f.formatToParts(date).map((p) => [p.type, p.value]));
}

/** Minutes the zone is ahead of UTC at that instant. */
function offsetAt(ms: number, timeZone: string): number {
  const p = wallParts(new Date(ms), timeZone);
  const wall = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return Math.round((wall - Math.floor(ms / 1000) * 1000) / 60_000);
}

/** 20261205T140000: the wall time in the zone, written with a TZID. */
export function icsLocalDateTime(date: Date, timeZone: string): string {
  const p = wallParts(date, timeZone);
  return `${p.year}${p.month}${p.day}T${p.hour}${p.minute}${p.second}`;
}

function icsOffset(minutes: number): string {
  const abs = Math.abs(minutes);
  return `${minutes < 0 ? "-" : "+"}${String(Math.floor(abs / 60)).padStart(2, "0")}${String(abs % 60).padStart(2, "0")}`;
}

interface Transition {
  at: number;
  from: number;
  to: number;
  name: string;
}

const DAY = 86_400_000;

/** Every offset change between two instants, found day by day (zones change at most twice a year) and narrowed to the minute. */
function transitions(fromMs: number, toMs: number, timeZone: string): Transition[] {
  const found: Transition[] = [];
  let before = offsetAt(fromMs, timeZone);
  for (let t = fromMs + DAY; t <= toMs; t += DAY) {
    const after = offsetAt(t, timeZone);
    if (after === before) continue;
    let lo = t - DAY;
    let hi = t;
    while (hi - lo > 60_000) {
      const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
      if (offsetAt(mid, timeZone) === before) lo = mid;
      else hi = mid;
    }
    found.push({ at: hi, from: before, to: after, name: wallParts(new Date(hi), timeZone).timeZoneName ?? timeZone });
    before = after;
  }
  return found;
}

/** The VTIMEZONE lines for a zone, covering the year before the event through its end. */
export function vtimezone(timeZone: string, start: Date, end: Date): string[] {
  const from = Date.UTC(start.getUTCFullYear() - 1, 0, 1);
  const to = Date.UTC(end.getUTCFullYear() + 1, 0, 1);
  const changes = transitions(from, to, timeZone);
  const lines = ["BEGIN:VTIMEZONE", `TZID:${timeZone}`];
  if (changes.length === 0) {
    const offset = icsOffset(offsetAt(start.getTime(), timeZone));
    lines.push(
      "BEGIN:STANDARD",
      "DTSTART:19700101T000000",
      `TZOFFSETFROM:${offset}`,
      `TZOFFSETTO:${offset}`,
      `TZNAME:${wallParts(start, timeZone).timeZoneName ?? timeZone}`,
      "END:STANDARD",
    );
  }
  const standardOffset = Math.min(...changes.flatMap((c) => [c.from, c.to]));
  for (const change of changes) {
    const kind = change.to > standardOffset ? "DAYLIGHT" : "STANDARD";
    // An observance starts at the wall-clock time of the offset it replaces (TZOFFSETFROM).
    const localStart = new Date(change.at + change.from * 60_000).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}Z$/, "");
    lines.push(
      `BEGIN:${kind}`,
      `DTSTART:${localStart}`,
      `TZOFFSETFROM:${icsOffset(change.from)}`,
      `TZOFFSETTO:${icsOffset(change.to)}`,
      `TZNAME:${change.name}`,
      `END:${kind}`,
    );
  }
  lines.push("END:VTIMEZONE");
  return lines;
}

const dayFormats = new Map<string, { day: Intl.DateTimeFormat; time: Intl.DateTimeFormat; zoned: Intl.DateTimeFormat }>();

/** "Saturday, December 5, 2026, 2:00 PM – 4:00 PM EST": the showing as the club announces it. */
export function showingTimeInZone(start: Date, end: Date, timeZone: string): string {
  let f = dayFormats.get(timeZone);
  if (!f) {
    f = {
      day: new Intl.DateTimeFormat("en-US", { timeZone, weekday: "long", year: "numeric", month: "long", day: "numeric" }),
      time: new Intl.DateTimeFormat("en-US", { timeZone, hour: "numeric", minute: "2-digit" }),
      zoned: new Intl.DateTimeFormat("en-US", { timeZone, hour: "numeric", minute: "2-digit", timeZoneName: "short" }),
    };
    dayFormats.set(timeZone, f);
  }
  const { day, time, zoned } = f;
  if (day.format(start) === day.format(end)) return `${day.format(start)}, ${time.format(start)} – ${zoned.format(end)}`;
  return `${day.format(start)}, ${time.format(start)} – ${day.format(end)}, ${zoned.format(end)}`;
}
