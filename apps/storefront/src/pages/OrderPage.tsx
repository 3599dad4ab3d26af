import { useQuery } from "@tanstack/react-query";
import { Link, useParams } from "react-router";
import { appCodeOf } from "../lib/errors.ts";
import { formatDateTime, formatLongDay, formatTime, isFree } from "../lib/format.ts";
import { useTRPC } from "../lib/trpc.ts";
import { Badge, Card, EmptyState, ErrorState, Money, PageHeader, Skeleton, Table } from "../ui/index.ts";
import "./orders/orders.css";
import { eventsOf, refundWords, statusWords, ticketWords, type Order } from "./orders/words.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function Lines({ order }: { order: Order }) {
  const discounted = order.lines.some((line) => !isFree(line.discount));
  return (
    <Table caption="What you bought" stack>
      <thead>
        <tr>
          <th scope="col">Event and showing</th>
          <th scope="col">Type</th>
          <th scope="col" className="num">
            Count
          </th>
          <th scope="col" className="num">
            Price each
          </th>
          {discounted && (
            <th scope="col" className="num">
              Discount
            </th>
          )}
          <th scope="col" className="num">
            Amount
          </th>
        </tr>
      </thead>
      <tbody>
        {order.lines.map((line) => (
          <tr key={`${line.showing.id}-${line.type}-${line.unit_price}`}>
            <td data-label="Event and showing">
              <strong>{line.event.name}</strong>
              <br />
              <span className="small muted">
                {formatLongDay(line.showing.start_time)}, {formatTime(line.showing.start_time)}
                {line.showing.location ? ` · ${line.showing.location}` : ""}
              </span>
            </td>
            <td data-label="Type">{line.type}</td>
            <td className="num" data-label="Count">
              {line.count}
            </td>
            <td className="num" data-label="Price each">
              <Money amount={line.unit_price} free />
            </td>
            {discounted && (
              <td className="num" data-label="Discount">
                {isFree(line.discount) ? "—" : <Money amount={`-${line.discount}`} />}
              </td>
            )}
            <td className="num" data-label="Amount">
              <Money amount={line.amount} />
            </td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row" colSpan={discounted ? 5 : 4}>
            Total
          </th>
          <td className="num">
            <strong>
              <Money amount={order.total} />
            </strong>
          </td>
        </tr>
      </tfoot>
    </Table>
  );
}

function Tickets({ order }: { order: Order }) {
  return (
    <Card aria-labelledby="order-tickets">
      <h2 className="card-title" id="order-tickets">
        Tickets
      </h2>
      {order.tickets.length === 0 ? (
        <p className="muted">No tickets could be issued for this order: the seats were gone when the payment arrived, so it is refunded in full.</p>
      ) : (
        <ul className="plain order-tickets">
          {order.tickets.map((ticket) => {
            const words = ticketWords(ticket);
            const label = `${ticket.event.name}, ${ticket.type}`;
            return (
              <li key={ticket.id} className="row-between">
                <div className="stack-sm">
                  {ticket.current ? <Link to={`/tickets/${ticket.id}`}>{label}</Link> : <span>{label}</span>}
                  <span className="small muted">
                    {formatLongDay(ticket.showing.start_time)}, {formatTime(ticket.showing.start_time)} · paid <Money amount={ticket.amount_paid} free />
                    {!isFree(ticket.refunded_amount) && (
                      <>
                        {" "}
                        · refunded <Money amount={ticket.refunded_amount} />
                      </>
                    )}
                  </span>
                </div>
                <Badge tone={words.tone}>{words.label}</Badge>
              </li>
            );
          })}
        </ul>
      )}
    </Card>
  );
}

function Refunds({ order }: { order: Order }) {
  if (order.refunds.length === 0) return null;
  return (
    <Card aria-labelledby="order-refunds">
      <h2 className="card-title" id="order-refunds">
        Refunds
      </h2>
      <ul className="plain order-refunds">
        {order.refunds.map((refund) => {
          const words = refundWords(refund);
          return (
            <li key={refund.id} className="stack-sm">
              <div className="row-between">
                <strong>
                  <Money amount={refund.amount} />
                </strong>
                <Badge tone={words.tone}>{words.label}</Badge>
              </div>
              <span className="small">{words.detail}</span>
              <span className="small muted">
                Reason: {refund.reason} · asked {formatDateTime(refund.created_at)}
                {refund.completed_at ? ` · done ${formatDateTime(refund.completed_at)}` : ""}
              </span>
            </li>
          );
        })}
      </ul>
    </Card>
  );
}

export function OrderPage() {
  const trpc = useTRPC();
  const id = useParams().orderId ?? "";
  const valid = UUID.test(id);
  const order = useQuery({ ...trpc.order.get.queryOptions({ id }), enabled: valid });

  if (!valid || (order.isError && appCodeOf(order.error) === "NOT_FOUND")) {
    return (
      <>
        <PageHeader title="Order not found" />
        <EmptyState icon="cart" title="This order isn't yours" action={<Link to="/orders">See my orders</Link>}>
          The link may be mistyped, or the order belongs to another account.
        </EmptyState>
      </>
    );
  }
  if (order.isPending || order.isError) {
    return (
      <>
        <PageHeader title={<Skeleton width="min(20rem, 80%)" height="1.2em" />} documentTitle="Order" />
        {order.isError ? (
          <ErrorState error={order.error} onRetry={() => void order.refetch()} title="This order didn't load" />
        ) : (
          <Skeleton height="16rem" radius="var(--radius-lg)" />
        )}
      </>
    );
  }

  const o = order.data;
  const status = statusWords(o);
  return (
    <>
      <PageHeader
        eyebrow={<Link to="/orders">My orders</Link>}
        title={eventsOf(o)}
        documentTitle={`Order ${o.reference}`}
        description={`Ordered ${formatDateTime(o.created_at)}`}
      />
      <div className="stack-lg">
        <Card aria-labelledby="order-summary">
          <h2 className="card-title" id="order-summary">
            Order summary
          </h2>
          <dl className="details">
            <dt>Status</dt>
            <dd>
              <Badge tone={status.tone}>{status.label}</Badge>
            </dd>
            <dt>Total</dt>
            <dd>
              <Money amount={o.total} free />
            </dd>
            {!isFree(o.refunded_total) && (
              <>
                <dt>Refunded</dt>
                <dd>
                  <Money amount={o.refunded_total} />
                </dd>
              </>
            )}
            <dt>{o.payment ? "Reference number" : "Order reference"}</dt>
            <dd className="mono">{o.reference}</dd>
            {o.payment && (
              <>
                <dt>Paid by</dt>
                <dd>Card</dd>
                <dt>Transaction id</dt>
                <dd className="mono">{o.payment.transaction_id ?? "Not reported yet"}</dd>
              </>
            )}
            <dt>Buyer</dt>
            <dd>
              {o.buyer.full_name} ({o.buyer.email})
            </dd>
          </dl>
        </Card>
        <Lines order={o} />
        <Tickets order={o} />
        <Refunds order={o} />
      </div>
    </>
  );
}
