const formatters = new Map<string, { day: Intl.DateTimeFormat; time: Intl.DateTimeFormat; zoned: Intl.DateTimeFormat }>();

/** Building a DateTimeFormat is costly (it showed in on-sale profiles), so each zone's are made once. */
function formattersFor(timeZone: string) {
  let f = formatters.get(timeZone);
  if (!f) {
    f = {
      day: new Intl.DateTimeFormat("en-US", { timeZone, weekday: "long", year: "numeric", month: "long", day: "numeric" }),
      time: new Intl.DateTimeFormat("en-US", { timeZone, hour: "numeric", minute: "2-digit" }),
      zoned: new Intl.DateTimeFormat("en-US", { timeZone, hour: "numeric", minute: "2-digit", timeZoneName: "short" }),
    };
    formatters.set(timeZone, f);
  }
  return f;
}

/**
 * "Friday, March 20, 2026, 2:00 PM – 5:00 PM EDT": how a showing's time reads in an e-mail, in its club's zone
 * (`zoneOfClub`, time-zone.ts), which every caller must name.
 */
export function formatShowingTime(start: Date, end: Date, timeZone: string): string {
  const { day, time, zoned } = formattersFor(timeZone);
  if (day.format(start) === day.format(end)) {
    return `${day.format(start)}, ${time.format(start)} – ${zoned.format(end)}`;
  }
  return `${day.format(start)}, ${time.format(start)} – ${day.format(end)}, ${zoned.format(end)}`;
}
