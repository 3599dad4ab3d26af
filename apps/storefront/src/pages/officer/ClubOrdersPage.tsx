import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useParams, useSearchParams } from "react-router";
import { formatDateTime, formatUsd } from "../../lib/format.ts";
import { useTRPC } from "../../lib/trpc.ts";
import { Badge, Button, EmptyState, ErrorState, Field, Input, PageHeader, SkeletonList, Table } from "../../ui/index.ts";
import { Crumbs } from "./components/Crumbs.tsx";
import { OrderStatusBadge } from "./components/refunds/OrderStatusBadge.tsx";
import { idParam, useManagedClubs } from "./lib/club-events.ts";
import "./components/refunds/refunds.css";
import "./officer.css";

/** The club's orders, newest first, searched by reference or buyer, so an officer can find one to refund. */
export function ClubOrdersPage() {
  const clubId = idParam(useParams().clubId);
  const trpc = useTRPC();
  const clubs = useManagedClubs();
  const club = clubs.data?.find((c) => c.id === clubId);
  const [params, setParams] = useSearchParams();
  const search = params.get("q") ?? "";
  const page = Math.max(1, Number(params.get("page")) || 1);
  const [typed, setTyped] = useState(search);
  const orders = useQuery({
    ...trpc.refund.clubOrders.queryOptions({ clubId, page, ...(search ? { search } : {}) }),
    enabled: clubId > 0,
  });
  const pages = orders.data ? Math.max(1, Math.ceil(orders.data.total / orders.data.pageSize)) : 1;
  const go = (next: { q?: string; page?: number }) => {
    const q = next.q ?? search;
    setParams({ ...(q ? { q } : {}), ...(next.page && next.page > 1 ? { page: String(next.page) } : {}) });
  };

  return (
    <>
      <PageHeader
        eyebrow={<Crumbs items={[{ label: "Club dashboard", to: "/dashboard" }, { label: club?.name ?? "Club", to: `/dashboard/${clubId}` }, { label: "Orders" }]} />}
        title="Orders"
        documentTitle={club ? `${club.name} orders` : "Orders"}
        description="Every checkout with this club's tickets. Open one to refund it or some of its tickets."
      />
      <form
        className="orders-search"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          go({ q: typed.trim(), page: 1 });
        }}
      >
        <Field label="Search orders" hint="Order reference, or the buyer's name, username or e-mail">
          {(c) => <Input {...c} value={typed} onChange={(e) => setTyped(e.target.value)} maxLength={100} type="search" />}
        </Field>
        <Button type="submit" variant="secondary">
          Search
        </Button>
      </form>
      {orders.isPending ? (
        <SkeletonList count={3} height="3rem" label="Loading orders" />
      ) : orders.isError ? (
        <ErrorState error={orders.error} onRetry={() => void orders.refetch()} title="Orders didn't load" />
      ) : orders.data.orders.length === 0 ? (
        <EmptyState icon="search" title={search ? "No orders match" : "No orders yet"}>
          {search ? "Try part of the reference, or the buyer's name, username or e-mail." : "Orders appear here once tickets sell."}
        </EmptyState>
      ) : (
        <>
          <Table caption={`${orders.data.total} order${orders.data.total === 1 ? "" : "s"}`} data-testid="club-orders" stack>
            <thead>
              <tr>
                <th scope="col">Reference</th>
                <th scope="col">Buyer</th>
                <th scope="col">Placed</th>
                <th scope="col" className="num">Total</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {orders.data.orders.map((order) => (
                <tr key={order.id}>
                  <td data-label="Reference">
                    <Link to={`/dashboard/${clubId}/orders/${order.id}`}>{order.reference}</Link>
                  </td>
                  <td data-label="Buyer">
                    {order.buyer.full_name} <span className="muted small">{order.buyer.email}</span>
                  </td>
                  <td data-label="Placed">{formatDateTime(order.created_at)}</td>
                  <td className="num" data-label="Total">{formatUsd(order.total)}</td>
                  <td data-label="Status">
                    <OrderStatusBadge status={order.status} />
                    {order.refunds.some((r) => r.state !== "refunded") && (
                      <>
                        {" "}
                        <Badge tone="warning">refund open</Badge>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </Table>
          <nav className="orders-pager" aria-label="Pages of orders">
            <Button size="sm" variant="secondary" disabled={page <= 1} onClick={() => go({ page: page - 1 })}>
              Newer
            </Button>
            <span className="small muted">
              Page {page} of {pages}
            </span>
            <Button size="sm" variant="secondary" disabled={page >= pages} onClick={() => go({ page: page + 1 })}>
              Older
            </Button>
          </nav>
        </>
      )}
    </>
  );
}
