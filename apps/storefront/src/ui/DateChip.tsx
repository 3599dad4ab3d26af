import { monthDay } from "../lib/format.ts";

/** A calendar-leaf "MAR 6" for a card; decorative, since the card's text names the full date. */
export function DateChip({ iso }: { iso: string }) {
  const { month, day } = monthDay(iso);
  return (
    <div className="date-chip" aria-hidden="true">
      <span className="date-chip-month">{month}</span>
      <span className="date-chip-day">{day}</span>
    </div>
  );
}
