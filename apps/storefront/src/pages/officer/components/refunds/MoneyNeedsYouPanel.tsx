import type { RefundAttention } from "@admit/validators";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router";
import { errorMessage } from "../../../../lib/errors.ts";
import { formatDateTime, formatUsd } from "../../../../lib/format.ts";
import { useTRPC } from "../../../../lib/trpc.ts";
import { Alert, Badge, Button, Card, ErrorState, SkeletonList, useAnnounce } from "../../../../ui/index.ts";
import "./refunds.css";

type Task = RefundAttention["tasks"][number];
type LateRefundStatus = RefundAttention["refundNeeded"][number]["refunds"][number]["status"];

const LATE_REFUND_STATE: Record<LateRefundStatus, string> = {
  PENDING: "on its way back automatically",
  MANUAL: "to do in the Business Center (below)",
  SUCCEEDED: "refunded",
};

/** After a refund changes state, the dashboard's totals (refunded, owed, net) change with it. */
function useRefreshClubMoney(clubId: number) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.refund.attention.queryKey({ clubId }) }),
      queryClient.invalidateQueries({ queryKey: trpc.club.finance.queryKey({ clubId }) }),
    ]);
}

/**
 * The club dashboard's "Money that needs you": manual refunds to do in the Business Center (with exactly what to type)
 * and mark done, automatic refunds that keep failing (with CyberSource's answer), and late payments owed back.
 */
export function MoneyNeedsYouPanel({ clubId }: { clubId: number }) {
  const trpc = useTRPC();
  const attention = useQuery({ ...trpc.refund.attention.queryOptions({ clubId }), enabled: clubId > 0, refetchInterval: 30_000 });
  const data = attention.data;
  const nothing = data && data.tasks.length === 0 && data.failing.length === 0 && data.refundNeeded.length === 0;
  return (
    <section className="stack" aria-labelledby="money-needs-you-title" data-testid="money-needs-you">
      <div className="row-between">
        <h2 id="money-needs-you-title" className="section-title">
          Money that needs you
        </h2>
        <Link to={`/dashboard/${clubId}/orders`}>Orders and refunds</Link>
      </div>
      {attention.isPending ? (
        <SkeletonList count={1} height="4rem" label="Loading refunds that need you" />
      ) : attention.isError ? (
        <ErrorState error={attention.error} onRetry={() => void attention.refetch()} title="Refunds didn't load" />
      ) : nothing ? (
        <p className="muted" data-testid="money-nothing">
          Nothing to do: no refunds are waiting for the club.
        </p>
      ) : (
        <div className="stack-sm">
          {data?.refundNeeded.map((p) => (
            <Card as="article" key={p.paymentId} className="money-item" data-testid="refund-needed-payment">
              <div className="row-between">
                <strong>
                  Late payment {p.referenceNumber}: {formatUsd(p.amount)} owed back to {p.buyerName}
                </strong>
                <Badge tone="warning">Owed back</Badge>
              </div>
              <p className="small">{p.statusReason}</p>
              <p className="small muted">
                {p.buyerEmail}
                {p.transactionId ? ` · CyberSource transaction ${p.transactionId}` : ""}
                {p.refunds.length ? ` · ${p.refunds.map((r) => `${formatUsd(r.amount)} ${LATE_REFUND_STATE[r.status]}`).join(", ")}` : ""}
              </p>
            </Card>
          ))}
          {data?.tasks.map((task) => <ManualTask key={task.id} clubId={clubId} task={task} />)}
          {data?.failing.map((refund) => <FailingRefund key={refund.id} clubId={clubId} refund={refund} />)}
        </div>
      )}
    </section>
  );
}

function ManualTask({ clubId, task }: { clubId: number; task: Task }) {
  const trpc = useTRPC();
  const refreshClubMoney = useRefreshClubMoney(clubId);
  const announce = useAnnounce();
  const [error, setError] = useState<string | null>(null);
  const done = useMutation(
    trpc.refund.markDone.mutationOptions({
      onSuccess: async (refund) => {
        announce(`Marked done: ${formatUsd(refund.amount)} to ${refund.buyer.fullName}. They have been e-mailed.`);
        await refreshClubMoney();
      },
      onError: (e) => setError(errorMessage(e)),
    }),
  );
  return (
    <Card as="article" className="money-item" data-testid="refund-task">
      <div className="row-between">
        <strong>
          Refund {formatUsd(task.amount)} to {task.buyer.fullName}
        </strong>
        <Badge tone="info">To do in the Business Center</Badge>
      </div>
      <p className="money-instruction" data-testid="refund-instruction">
        {task.instruction}
      </p>
      <p className="small muted">
        Order <Link to={`/dashboard/${clubId}/orders/${task.orderId}`}>{task.orderReference}</Link> · {task.reason} · asked{" "}
        {formatDateTime(task.createdAt)}
        {task.requestedBy ? ` by ${task.requestedBy}` : ""}
      </p>
      {error && <Alert tone="danger">{error}</Alert>}
      <div>
        <Button size="sm" busy={done.isPending} onClick={() => done.mutate({ refundId: task.id })}>
          Mark done
        </Button>
      </div>
    </Card>
  );
}

function FailingRefund({ clubId, refund }: { clubId: number; refund: Task }) {
  const trpc = useTRPC();
  const refreshClubMoney = useRefreshClubMoney(clubId);
  const [error, setError] = useState<string | null>(null);
  const retry = useMutation(
    trpc.refund.retryNow.mutationOptions({
      onSuccess: () => refreshClubMoney(),
      onError: (e) => setError(errorMessage(e)),
    }),
  );
  return (
    <Card as="article" className="money-item" data-testid="refund-failing">
      <div className="row-between">
        <strong>
          Automatic refund of {formatUsd(refund.amount)} to {refund.buyer.fullName} is failing
        </strong>
        <Badge tone="danger">{refund.attempts === 1 ? "1 try" : `${refund.attempts} tries`}</Badge>
      </div>
      <p className="small">{refund.lastError}</p>
      <p className="small muted">
        Order <Link to={`/dashboard/${clubId}/orders/${refund.orderId}`}>{refund.orderReference}</Link>
        {refund.nextAttemptAt ? ` · tried again automatically at ${formatDateTime(refund.nextAttemptAt)}` : ""}
      </p>
      {error && <Alert tone="danger">{error}</Alert>}
      <div>
        <Button size="sm" variant="secondary" busy={retry.isPending} onClick={() => retry.mutate({ refundId: refund.id })}>
          Try again now
        </Button>
      </div>
    </Card>
  );
}
