import { formatDuration, plural } from "../../lib/format.ts";

/** "About 3 minutes", "Less than a minute", or null while the server cannot tell yet. */
export function waitText(seconds: number | null): string | null {
  if (seconds === null) return null;
  if (seconds < 60) return "Less than a minute";
  // Whole minutes: seconds on an estimate read as a promise.
  const rounded = Math.round(seconds / 60) * 60_000;
  return `About ${formatDuration(rounded)}`;
}

/** "You're #12 in line. 11 people ahead of you.": what the live region reads when the place changes. */
export function placeText(position: number, ahead: number | null): string {
  const before = ahead === null ? "" : ahead === 0 ? " You're next." : ` ${plural(ahead, "person", "people")} ahead of you.`;
  return `You're #${position} in line.${before}`;
}
