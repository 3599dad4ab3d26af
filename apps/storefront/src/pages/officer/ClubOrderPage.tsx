import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useParams } from "react-router";
import { appCodeOf } from "../../lib/errors.ts";
import { formatDateTime, formatUsd } from "../../lib/format.ts";
import { useTRPC } from "../../lib/trpc.ts";
import { Alert, Badge, Button, Card, EmptyState, ErrorState, PageHeader, SkeletonList, Table } from "../../ui/index.ts";
import { Crumbs } from "./components/Crumbs.tsx";
import { OrderStatusBadge } from "./components/refunds/OrderStatusBadge.tsx";
import { RefundDialog, type RefundableTicket } from "./components/refunds/RefundDialog.tsx";
import { idParam, useManagedClubs } from "./lib/club-events.ts";
import { useDisclosure } from "./lib/use-disclosure.ts";
import "./components/refunds/refunds.css";
import "./officer.css";

const REFUND_STATE: Record<string, string> = {
  pending: "on its way (automatic)",
  failing: "failing, retried automatically",
  waiting_for_club: "waiting for the club (manual)",
  refunded: "refunded",
};

/** One order for an officer: lines, tickets, refunds, and the refund dialog. */
export function ClubOrderPage() {
  const { clubId: clubParam, orderId = "" } = useParams();
  const clubId = idParam(clubParam);
  const trpc = useTRPC();
  const clubs = useManagedClubs();
  const club = clubs.data?.find((c) => c.id === clubId);
  const found = useQuery({ ...trpc.refund.clubOrder.queryOptions({ clubId, orderId }), enabled: clubId > 0 && orderId !== "" });
  const dialog = useDisclosure();
  const [chosen, setChosen] = useState<string[]>([]);
  const [done, setDone] = useState<string | null>(null);

  if (found.isError && appCodeOf(found.error) === "NOT_FOUND") {
    return (
      <>
        <PageHeader title="Order not found" />
        <EmptyState icon="search" title="No such order for this club" action={<Link to={`/dashboard/${clubId}/orders`}>All orders</Link>}>
          It may belong to another club, or the link is wrong.
        </EmptyState>
      </>
    );
  }

  const data = found.data;
  const order = data?.order;
  const facts = new Map((data?.tickets ?? []).map((t) => [t.id, t]));
  const refundable: RefundableTicket[] = (order?.tickets ?? []).flatMap((t) => {
    const f = facts.get(t.id);
    if (!f?.ours) return [];
    return [{ id: t.id, label: `${t.event.name}, ${formatDateTime(t.showing.start_time)}, ${t.type}`, refundable: f.refundable, checkedIn: f.checkedIn, voided: t.voided }];
  });
  const open = (ids: string[]) => {
    setDone(null);
    setChosen(ids);
    dialog.show();
  };
  const openTickets = refundable.filter((t) => !t.checkedIn && (!t.voided || t.refundable !== "0.00")).map((t) => t.id);

  return (
    <>
      <PageHeader
        eyebrow={
          <Crumbs
            items={[
              { label: "Club dashboard", to: "/dashboard" },
              { label: club?.name ?? "Club", to: `/dashboard/${clubId}` },
              { label: "Orders", to: `/dashboard/${clubId}/orders` },
              { label: order?.reference ?? "Order" },
            ]}
          />
        }
        title={order ? `Order ${order.reference}` : "Order"}
        documentTitle={order ? `Order ${order.reference}` : "Order"}
        actions={
          openTickets.length > 0 ? (
            <Button onClick={() => open(openTickets)} data-testid="refund-order">
              Refund…
            </Button>
          ) : undefined
        }
      />
      {done && <Alert tone="success">{done}</Alert>}
      {found.isPending ? (
        <SkeletonList count={2} height="6rem" label="Loading the order" />
      ) : found.isError || !order || !data ? (
        <ErrorState error={found.error} onRetry={() => void found.refetch()} title="The order didn't load" />
      ) : (
        <div className="stack">
          <Card as="section" className="stack-sm" aria-label="Order summary">
            <p>
              <OrderStatusBadge status={order.status} /> {formatUsd(order.total)} paid by {order.buyer.full_name} ({order.buyer.email}) on{" "}
              {formatDateTime(order.created_at)}
            </p>
            <p className="small muted">
              {order.payment
                ? `CyberSource transaction ${order.payment.transaction_id ?? "(none)"}, reference ${order.payment.reference_number}`
                : "Free order: no payment"}
              {order.refunded_total !== "0.00" ? ` · ${formatUsd(order.refunded_total)} refunded or on its way back` : ""}
            </p>
          </Card>
          <Table caption="Lines" stack>
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Type</th>
                <th scope="col" className="num">Count</th>
                <th scope="col" className="num">Unit price</th>
                <th scope="col" className="num">Discount</th>
                <th scope="col" className="num">Amount</th>
              </tr>
            </thead>
            <tbody>
              {order.lines.map((line, i) => (
                <tr key={i}>
                  <td data-label="Event">
                    {line.event.name} <span className="muted small">{formatDateTime(line.showing.start_time)}</span>
                  </td>
                  <td data-label="Type">{line.type}</td>
                  <td className="num" data-label="Count">{line.count}</td>
                  <td className="num" data-label="Unit price">{formatUsd(line.unit_price)}</td>
                  <td className="num" data-label="Discount">{formatUsd(line.discount)}</td>
                  <td className="num" data-label="Amount">{formatUsd(line.amount)}</td>
                </tr>
              ))}
            </tbody>
          </Table>
          {order.tickets.length > 0 && (
            <Table caption="Tickets" data-testid="order-tickets" stack>
              <thead>
                <tr>
                  <th scope="col">Ticket</th>
                  <th scope="col" className="num">Paid</th>
                  <th scope="col" className="num">Refunded</th>
                  <th scope="col">State</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {order.tickets.map((t) => {
                  const f = facts.get(t.id);
                  const canRefund = f?.ours && !f.checkedIn && (!t.voided || f.refundable !== "0.00");
                  return (
                    <tr key={t.id} data-ticket-id={t.id}>
                      <td data-label="Ticket">
                        {t.event.name}, {t.type} <span className="muted small">{t.id.slice(0, 8)}</span>
                      </td>
                      <td className="num" data-label="Paid">{formatUsd(t.amount_paid)}</td>
                      <td className="num" data-label="Refunded">{formatUsd(t.refunded_amount)}</td>
                      <td data-label="State">
                        {t.voided ? <Badge tone="neutral">void ({t.void_reason})</Badge> : f?.checkedIn ? <Badge tone="info">checked in</Badge> : <Badge tone="success">valid</Badge>}
                        {!f?.ours && <span className="small muted"> another club's</span>}
                      </td>
                      <td>
                        {canRefund && (
                          <Button size="sm" variant="secondary" onClick={() => open([t.id])} aria-label={`Refund ticket ${t.id.slice(0, 8)}`}>
                            Refund
                          </Button>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </Table>
          )}
          {order.refunds.length > 0 && (
            <Table caption="Refunds" data-testid="order-refunds" stack>
              <thead>
                <tr>
                  <th scope="col">Asked</th>
                  <th scope="col" className="num">Amount</th>
                  <th scope="col">Reason</th>
                  <th scope="col">State</th>
                </tr>
              </thead>
              <tbody>
                {order.refunds.map((r) => (
                  <tr key={r.id}>
                    <td data-label="Asked">{formatDateTime(r.created_at)}</td>
                    <td className="num" data-label="Amount">{formatUsd(r.amount)}</td>
                    <td data-label="Reason">{r.reason}</td>
                    <td data-label="State">{REFUND_STATE[r.state] ?? r.state}</td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
          <RefundDialog
            key={dialog.key}
            open={dialog.open}
            onClose={dialog.hide}
            clubId={clubId}
            orderId={order.id}
            orderReference={order.reference}
            mode={data.mode}
            tickets={refundable}
            chosen={chosen}
            onDone={(message) => {
              dialog.hide();
              setDone(message);
            }}
          />
        </div>
      )}
    </>
  );
}
