import { formatUsd } from "../../../lib/format.ts";

export interface Numbers {
  total: number;
  sold: number;
  held: number;
  available: number;
  revenue: string;
  checkedIn: number;
}

/**
 * Sold, held, available, revenue and checked in, as a grid that wraps on phones. Every number keeps its width
 * (tabular figures), so the refresh every few seconds does not shift anything.
 */
export function LiveNumbers({ numbers, label, compact }: { numbers: Numbers; label: string; compact?: boolean }) {
  const items: Array<[string, string, string?]> = [
    ["Sold", String(numbers.sold), `of ${numbers.total}`],
    ["Held", String(numbers.held)],
    ["Available", String(numbers.available)],
    ["Revenue", formatUsd(numbers.revenue)],
    ["Checked in", String(numbers.checkedIn), numbers.sold ? `of ${numbers.sold}` : undefined],
  ];
  return (
    <div role="group" aria-label={label}>
      <dl className={compact ? "live-numbers live-numbers-compact" : "live-numbers"}>
        {items.map(([name, value, note]) => (
          <div key={name} className="live-number">
            <dt>{name}</dt>
            <dd>
              <span className="live-number-value">{value}</span>
              {note && <span className="live-number-note"> {note}</span>}
            </dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
