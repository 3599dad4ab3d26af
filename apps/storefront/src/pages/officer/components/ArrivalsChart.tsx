import { formatTime } from "../../../lib/format.ts";

export interface ArrivalBucket {
  start: string;
  arrivals: number;
  exits: number;
}

const WIDTH = 640;
const HEIGHT = 180;
const PAD = { top: 12, right: 8, bottom: 26, left: 32 };

/**
 * Arrivals (bars) and exits (thin bars below the baseline's colour) per time slot, drawn as plain SVG: one chart
 * does not justify a charting library in the dashboard's bundle. The numbers are also in the table that follows.
 */
export function ArrivalsChart({ buckets, bucketMinutes }: { buckets: ArrivalBucket[]; bucketMinutes: number }) {
  const peak = Math.max(1, ...buckets.map((b) => Math.max(b.arrivals, b.exits)));
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(1, buckets.length);
  const bar = Math.max(2, slot * 0.6);
  const y = (value: number) => PAD.top + plotH - (value / peak) * plotH;
  const labelEvery = Math.max(1, Math.ceil(buckets.length / 6));
  const total = buckets.reduce((n, b) => n + b.arrivals, 0);
  const busiest = buckets.reduce<ArrivalBucket | null>((best, b) => (b.arrivals > (best?.arrivals ?? 0) ? b : best), null);
  const summary = busiest
    ? `${total} arrivals in ${buckets.length} slots of ${bucketMinutes} minutes; busiest ${formatTime(busiest.start)} with ${busiest.arrivals}.`
    : `No arrivals yet.`;
  return (
    <figure className="arrivals-chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={`Arrivals per ${bucketMinutes} minutes. ${summary}`} data-testid="arrivals-chart" data-total={total}>
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line className="chart-grid" x1={PAD.left} x2={WIDTH - PAD.right} y1={y(peak * f)} y2={y(peak * f)} />
            <text className="chart-axis" x={PAD.left - 6} y={y(peak * f) + 4} textAnchor="end">
              {Math.round(peak * f)}
            </text>
          </g>
        ))}
        {buckets.map((b, i) => {
          const x = PAD.left + i * slot + (slot - bar) / 2;
          return (
            <g key={b.start}>
              <rect className="chart-arrivals" x={x} y={y(b.arrivals)} width={bar * 0.7} height={Math.max(0, PAD.top + plotH - y(b.arrivals))} data-arrivals={b.arrivals}>
                <title>{`${formatTime(b.start)}: ${b.arrivals} in, ${b.exits} out`}</title>
              </rect>
              <rect className="chart-exits" x={x + bar * 0.7} y={y(b.exits)} width={bar * 0.3} height={Math.max(0, PAD.top + plotH - y(b.exits))} />
              {i % labelEvery === 0 && (
                <text className="chart-axis" x={x + bar / 2} y={HEIGHT - 8} textAnchor="middle">
                  {formatTime(b.start)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <figcaption className="muted small">
        <span className="chart-key chart-key-arrivals" aria-hidden="true" /> arrivals{" "}
        <span className="chart-key chart-key-exits" aria-hidden="true" /> exits, per {bucketMinutes} minutes. {summary}
      </figcaption>
    </figure>
  );
}
