/**
 * How money, times and rules read on screen. Money arrives from the server as decimal strings like "15.00", already
 * priced (group discounts, totals, savings): the browser only formats it and never does arithmetic on it.
 */

const LOCALE = "en-US";

const usd = new Intl.NumberFormat(LOCALE, { style: "currency", currency: "USD" });

/** A decimal string as the server writes money: "15.00", "-3.50". */
type Amount = string;

const ZERO = /^-?0*(\.0*)?$/;

export function isFree(amount: Amount): boolean {
  return ZERO.test(amount);
}

/** Intl formats the decimal string exactly as written (no conversion to a binary float). */
export function formatUsd(amount: Amount): string {
  return usd.format(amount as Intl.StringNumericLiteral);
}

export function formatPrice(amount: Amount): string {
  return isFree(amount) ? "Free" : formatUsd(amount);
}

export function formatPriceRange(min: Amount | null, max: Amount | null): string {
  if (min === null || max === null) return "No tickets listed";
  if (min === max) return formatPrice(min);
  return `${formatPrice(min)} – ${formatUsd(max)}`;
}

const dayFormat = new Intl.DateTimeFormat(LOCALE, { weekday: "short", month: "short", day: "numeric" });
const longDayFormat = new Intl.DateTimeFormat(LOCALE, { weekday: "long", month: "long", day: "numeric", year: "numeric" });
const timeFormat = new Intl.DateTimeFormat(LOCALE, { hour: "numeric", minute: "2-digit" });
const dateTimeFormat = new Intl.DateTimeFormat(LOCALE, { month: "short", day: "numeric", hour: "numeric", minute: "2-digit" });

export const formatDay = (iso: string) => dayFormat.format(new Date(iso));
export const formatLongDay = (iso: string) => longDayFormat.format(new Date(iso));
export const formatTime = (iso: string) => timeFormat.format(new Date(iso));
export const formatDateTime = (iso: string) => dateTimeFormat.format(new Date(iso));

/** "Fri, Mar 6 · 7:00 PM – 10:00 PM", with the end's day named only when it differs. */
export function formatShowingTime(startIso: string, endIso: string): string {
  const sameDay = new Date(startIso).toDateString() === new Date(endIso).toDateString();
  const end = sameDay ? formatTime(endIso) : `${formatDay(endIso)} ${formatTime(endIso)}`;
  return `${formatDay(startIso)} · ${formatTime(startIso)} – ${end}`;
}

export function monthDay(iso: string): { month: string; day: string } {
  const date = new Date(iso);
  return {
    month: date.toLocaleString(LOCALE, { month: "short" }),
    day: String(date.getDate()),
  };
}

/** "0.2000" → "20%", "0.125" → "12.5%". */
export function formatPercent(fraction: string): string {
  const percent = Math.round(Number(fraction) * 10_000) / 100;
  return `${percent}%`;
}

/** "20% off each General ticket when you buy 4 or more". */
export function describeGroupDiscount(type: string, rule: { size: number; fraction: string }): string {
  return `${formatPercent(rule.fraction)} off each ${type} ticket when you buy ${rule.size} or more`;
}

/** A quote the server priced: "20% off each General ticket when you buy 4 or more ($12.00 each)". */
export function describeGroupQuote(type: string, quote: { size: number; percentOff: string; unitPrice: Amount }): string {
  return `${quote.percentOff}% off each ${type} ticket when you buy ${quote.size} or more (${formatUsd(quote.unitPrice)} each)`;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** "2 days 4 hours", "3 minutes 5 seconds": the two largest units of a duration. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const units: Array<[number, string]> = [
    [Math.floor(total / 86_400), "day"],
    [Math.floor((total % 86_400) / 3600), "hour"],
    [Math.floor((total % 3600) / 60), "minute"],
    [total % 60, "second"],
  ];
  const first = units.findIndex(([value]) => value > 0);
  if (first === -1) return "0 seconds";
  return units
    .slice(first, first + 2)
    .filter(([value]) => value > 0)
    .map(([value, unit]) => plural(value, unit))
    .join(" ");
}

/** "09:41" or "1:02:03": a clock-style countdown. */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const mm = String(minutes).padStart(hours ? 2 : 1, "0");
  const ss = String(seconds).padStart(2, "0");
  return hours ? `${hours}:${mm}:${ss}` : `${mm}:${ss}`;
}
