import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router";
import { formatDateTime, plural } from "../lib/format.ts";
import { useTRPC } from "../lib/trpc.ts";
import { Badge, Button, ButtonLink, Card, EmptyState, ErrorState, Money, PageHeader, SkeletonList } from "../ui/index.ts";
import "./orders/orders.css";
import { eventsOf, statusWords, type Order } from "./orders/words.ts";

const PAGE = 20;

function OrderRow({ order }: { order: Order }) {
  const status = statusWords(order);
  const tickets = order.tickets.length;
  return (
    <Card as="li" className="order-row">
      <div className="order-row-main">
        <Link to={`/orders/${order.id}`} className="order-row-title">
          {eventsOf(order)}
        </Link>
        <span className="small muted">
          {formatDateTime(order.created_at)} · {plural(tickets, "ticket")} · Reference <span className="mono">{order.reference}</span>
        </span>
      </div>
      <div className="order-row-side">
        <Badge tone={status.tone}>{status.label}</Badge>
        <span className="order-total">
          <Money amount={order.total} free />
        </span>
      </div>
    </Card>
  );
}

/** One page of orders placed before `before` (the newest page when it is undefined); the last page offers the next. */
function OrdersChunk({ before, last, onMore }: { before: string | undefined; last: boolean; onMore: (before: string) => void }) {
  const trpc = useTRPC();
  const orders = useQuery(trpc.order.list.queryOptions({ limit: PAGE, ...(before ? { before } : {}) }));
  if (orders.isPending) return <SkeletonList count={before ? 1 : 3} height="4.5rem" label="Loading your orders" />;
  if (orders.isError) return <ErrorState error={orders.error} onRetry={() => void orders.refetch()} title="Your orders didn't load" />;
  const rows = orders.data;
  if (!before && rows.length === 0) {
    return (
      <EmptyState icon="cart" title="No orders yet" action={<ButtonLink to="/">Find events</ButtonLink>}>
        Every checkout, free or paid, shows up here with its receipt and tickets.
      </EmptyState>
    );
  }
  const oldest = rows.at(-1);
  return (
    <>
      <ul className="plain order-list">
        {rows.map((order) => (
          <OrderRow key={order.id} order={order} />
        ))}
      </ul>
      {last && oldest && rows.length === PAGE && (
        <div className="row">
          <Button variant="secondary" onClick={() => onMore(oldest.id)}>
            Show older orders
          </Button>
        </div>
      )}
    </>
  );
}

export function OrdersPage() {
  const [cursors, setCursors] = useState<Array<string | undefined>>([undefined]);
  return (
    <>
      <PageHeader title="My orders" description="What you bought, with totals, payment references and refunds. Open an order for its tickets." />
      <section className="stack" aria-label="Orders">
        {cursors.map((before, i) => (
          <OrdersChunk
            key={before ?? "newest"}
            before={before}
            last={i === cursors.length - 1}
            onMore={(next) => setCursors((all) => [...all, next])}
          />
        ))}
      </section>
    </>
  );
}
