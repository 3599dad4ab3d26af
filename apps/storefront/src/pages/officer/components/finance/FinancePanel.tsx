import { useQuery } from "@tanstack/react-query";
import { formatUsd } from "../../../../lib/format.ts";
import { useTRPC } from "../../../../lib/trpc.ts";
import { Card, EmptyState, ErrorState, SkeletonList } from "../../../../ui/index.ts";
import { FinanceTable } from "./FinanceTable.tsx";
import { SalesChart } from "./SalesChart.tsx";
import "./finance.css";

const monthLabel = new Intl.DateTimeFormat("en-US", { month: "long", year: "numeric", timeZone: "UTC" });
/** "2026-12" is a month in the club's zone already; read it as that month, not as an instant. */
const labelOfMonth = (month: string) => monthLabel.format(new Date(`${month}-01T00:00:00Z`));

/** The club's money: totals, sales over time, and the figures per month and per event, with the reconciliation CSV. */
export function FinancePanel({ clubId, clubCode }: { clubId: number; clubCode: string | undefined }) {
  const trpc = useTRPC();
  const report = useQuery({ ...trpc.club.finance.queryOptions({ clubId }), enabled: clubId > 0, staleTime: 30_000 });
  return (
    <section className="stack finance-panel" aria-labelledby="finance-title" data-testid="finance-panel">
      <div className="row-between">
        <h2 id="finance-title" className="section-title">
          Money
        </h2>
        {clubCode && (
          <a className="btn btn-secondary btn-sm" href={`/api/clubs/${encodeURIComponent(clubCode)}/finance.csv`} download data-testid="finance-csv">
            Download payments and refunds (CSV)
          </a>
        )}
      </div>
      {report.isPending ? (
        <SkeletonList count={2} height="6rem" label="Loading the club's money" />
      ) : report.isError ? (
        <ErrorState error={report.error} onRetry={() => void report.refetch()} title="The club's money didn't load" />
      ) : report.data.totals.orders === 0 && report.data.months.length === 0 ? (
        <EmptyState icon="calendar" title="No sales yet">
          Sales, refunds and the reconciliation file appear here once tickets sell.
        </EmptyState>
      ) : (
        <Card as="div" className="stack">
          <dl className="finance-totals" data-testid="finance-totals">
            <div>
              <dt>Sales</dt>
              <dd data-testid="finance-sales">{formatUsd(report.data.totals.sales)}</dd>
            </div>
            <div>
              <dt>Refunded</dt>
              <dd data-testid="finance-refunded">{formatUsd(report.data.totals.refunded)}</dd>
            </div>
            <div>
              <dt>Net</dt>
              <dd data-testid="finance-net">{formatUsd(report.data.totals.net)}</dd>
            </div>
            <div>
              <dt>Refunds owed</dt>
              <dd data-testid="finance-owed">{formatUsd(report.data.totals.owed)}</dd>
            </div>
          </dl>
          {report.data.days.some((d) => d.sales !== "0.00" || d.refunded !== "0.00") ? (
            <SalesChart days={report.data.days} />
          ) : (
            <p className="muted">Only free tickets so far: nothing to chart.</p>
          )}
          <p className="muted small">
            Months and days are in the club's time zone, {report.data.timeZone}. Refunds owed are on their way back
            automatically or waiting for an officer in the Business Center; net counts only refunds already made.
          </p>
          <FinanceTable
            caption="Per month"
            heading="Month"
            testId="finance-months"
            rows={report.data.months.map((m) => ({ ...m, key: m.month, label: labelOfMonth(m.month) }))}
          />
          <FinanceTable
            caption="Per event"
            heading="Event"
            testId="finance-events"
            rows={report.data.events.map((e) => ({ ...e, key: String(e.eventId), label: e.eventName }))}
          />
        </Card>
      )}
    </section>
  );
}
