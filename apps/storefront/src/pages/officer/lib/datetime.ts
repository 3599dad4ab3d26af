/**
 * `<input type="datetime-local">` speaks local wall-clock time without a zone ("2026-03-06T19:00"); the server wants
 * ISO 8601 with a zone. These convert between the two in the browser's time zone.
 */

const pad = (n: number) => String(n).padStart(2, "0");

/** "2026-03-06T19:00" for an ISO time, in local time; "" for null. */
export function toLocalInput(iso: string | null | undefined): string {
  if (!iso) return "";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The ISO time for what the input holds; null when it is empty, undefined when it is not a real date. */
export function fromLocalInput(value: string): string | null | undefined {
  if (value.trim() === "") return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** The browser's time zone name, said next to time inputs so nobody wonders which clock they follow. */
export function localZoneName(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}
