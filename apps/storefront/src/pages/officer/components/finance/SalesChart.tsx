import { formatUsd } from "../../../../lib/format.ts";

export interface SalesDay {
  day: string;
  sales: string;
  refunded: string;
}

const WIDTH = 640;
const HEIGHT = 200;
const PAD = { top: 12, right: 8, bottom: 26, left: 56 };

const dayLabel = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", timeZone: "UTC" });
/** "2026-12-05" is a calendar day in the club's zone already; read it as that day, not as an instant. */
const labelOf = (day: string) => dayLabel.format(new Date(`${day}T00:00:00Z`));

/**
 * Sales per day (bars) and the running net after refunds (line), drawn as plain SVG like the door's arrivals chart.
 * The same numbers are in the tables below it. Amounts come from the server as decimal strings; heights are only
 * drawing, never money, so reading them as numbers here is fine.
 */
export function SalesChart({ days }: { days: SalesDay[] }) {
  let running = 0;
  const points = days.map((d) => {
    running += Number(d.sales) - Number(d.refunded);
    return { ...d, sold: Number(d.sales), net: running };
  });
  const peak = Math.max(1, ...points.map((p) => Math.max(p.sold, p.net)));
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(1, points.length);
  const bar = Math.max(2, slot * 0.6);
  const y = (value: number) => PAD.top + plotH - (Math.max(0, value) / peak) * plotH;
  const labelEvery = Math.max(1, Math.ceil(points.length / 6));
  const line = points.map((p, i) => `${PAD.left + i * slot + slot / 2},${y(p.net)}`).join(" ");
  const best = points.reduce<(typeof points)[number] | null>((top, p) => (p.sold > (top?.sold ?? 0) ? p : top), null);
  const summary = best
    ? `Sales on ${points.length} ${points.length === 1 ? "day" : "days"}; best day ${labelOf(best.day)} with ${formatUsd(best.sales)}.`
    : "No sales yet.";
  return (
    <figure className="sales-chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={`Sales per day and running net. ${summary}`} data-testid="sales-chart">
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line className="chart-grid" x1={PAD.left} x2={WIDTH - PAD.right} y1={y(peak * f)} y2={y(peak * f)} />
            <text className="chart-axis" x={PAD.left - 6} y={y(peak * f) + 4} textAnchor="end">
              {`$${(peak * f).toFixed(peak < 10 || !Number.isInteger(peak * f) ? 2 : 0)}`}
            </text>
          </g>
        ))}
        {points.map((p, i) => {
          const x = PAD.left + i * slot + (slot - bar) / 2;
          return (
            <g key={p.day}>
              <rect className="chart-sales" x={x} y={y(p.sold)} width={bar} height={Math.max(0, PAD.top + plotH - y(p.sold))} data-sales={p.sales}>
                <title>{`${labelOf(p.day)}: ${formatUsd(p.sales)} sold, ${formatUsd(p.refunded)} refunded`}</title>
              </rect>
              {i % labelEvery === 0 && (
                <text className="chart-axis" x={x + bar / 2} y={HEIGHT - 8} textAnchor="middle">
                  {labelOf(p.day)}
                </text>
              )}
            </g>
          );
        })}
        {points.length > 1 && <polyline className="chart-net" points={line} fill="none" />}
      </svg>
      <figcaption className="muted small">
        <span className="chart-key chart-key-sales" aria-hidden="true" /> sales per day
        {/* One day draws no line, so the key names only what is drawn. */}
        {points.length > 1 ? (
          <>
            {" "}
            <span className="chart-key chart-key-net" aria-hidden="true" /> running net after refunds
          </>
        ) : null}
        . {summary}
      </figcaption>
    </figure>
  );
}
