import { randomUUID } from "node:crypto";
import { Prisma } from "@admit/db";
import type { DomainDeps } from "../deps.ts";
import { sqlTime } from "../sql-time.ts";
import { orderTotal, type OrderLineRecord } from "./lines.ts";
import { newOrderReference } from "./reference.ts";

type Tx = Prisma.TransactionClient;

export interface OrderToRecord {
  userId: string;
  /** The payment the order was paid with; null for a free order. */
  paymentId: string | null;
  lines: OrderLineRecord[];
  /** The tickets it sold and what each cost; none for a paid order whose seats were gone (its money goes back). */
  tickets: Array<{ id: string; amountPaid: Prisma.Decimal }>;
}

export interface RecordedOrder {
  id: string;
  /** The payment's reference number, or a new short reference for a free order. */
  reference: string;
  total: Prisma.Decimal;
  currency: string;
  createdAt: Date;
}

/**
 * Records orders with their lines and tickets in one statement, however many there are (checkout sells a batch of
 * free carts at once). A paid order takes its payment's reference number and currency; a payment has at most one
 * order (unique), so recording one twice fails the transaction rather than counting the money twice.
 */
export async function recordOrders(tx: Tx, deps: Pick<DomainDeps, "clock">, orders: OrderToRecord[]): Promise<RecordedOrder[]> {
  if (orders.length === 0) return [];
  const createdAt = deps.clock.now();
  const entries = orders.map((order) => ({ ...order, id: randomUUID(), total: orderTotal(order.lines) }));
  const lines = entries.flatMap((order) => order.lines.map((line) => ({ ...line, orderId: order.id })));
  const tickets = entries.flatMap((order) => order.tickets.map((ticket) => ({ ...ticket, orderId: order.id })));
  const rows = await tx.$queryRaw<Array<{ id: string; reference: string; currency: string }>>`
    WITH wanted AS (
      SELECT * FROM unnest(${entries.map((o) => o.id)}::uuid[], ${entries.map((o) => o.userId)}::text[],
                           ${entries.map((o) => o.paymentId)}::uuid[],
                           ${entries.map((o) => (o.paymentId ? null : newOrderReference()))}::text[],
                           ${entries.map((o) => o.total.toFixed(2))}::numeric(12,2)[])
        AS wanted(id, "userId", "paymentId", reference, total)
    ), orders AS (
      INSERT INTO "Order" (id, reference, "userId", "paymentId", total, currency, "createdAt")
      SELECT wanted.id, COALESCE(wanted.reference, p."referenceNumber"), wanted."userId", wanted."paymentId", wanted.total,
             COALESCE(p.currency, 'USD'), ${sqlTime(createdAt)}
      FROM wanted LEFT JOIN "Payment" p ON p.id = wanted."paymentId"
      RETURNING id, reference, currency
    ), lines AS (
      INSERT INTO "OrderLine" ("orderId", "showingId", type, count, "unitPrice", discount, amount)
      SELECT * FROM unnest(${lines.map((l) => l.orderId)}::uuid[], ${lines.map((l) => l.showingId)}::int[],
                           ${lines.map((l) => l.type)}::text[], ${lines.map((l) => l.count)}::int[],
                           ${lines.map((l) => l.unitPrice.toFixed(2))}::numeric(12,2)[],
                           ${lines.map((l) => l.discount.toFixed(2))}::numeric(12,2)[],
                           ${lines.map((l) => l.amount.toFixed(2))}::numeric(12,2)[])
    ), sold AS (
      INSERT INTO "OrderTicket" ("orderId", "ticketId", "amountPaid")
      SELECT * FROM unnest(${tickets.map((t) => t.orderId)}::uuid[], ${tickets.map((t) => t.id)}::uuid[],
                           ${tickets.map((t) => t.amountPaid.toFixed(2))}::numeric(12,2)[])
    )
    SELECT id::text AS id, reference, currency FROM orders`;
  const recorded = new Map(rows.map((row) => [row.id, row]));
  return entries.map(({ id, total }) => {
    const row = recorded.get(id);
    if (!row) throw new Error(`order ${id} was not recorded`);
    return { id, reference: row.reference, currency: row.currency, total, createdAt };
  });
}

/** One order: a paid checkout whose seats were gone records its lines and no tickets this way. */
export async function recordOrder(tx: Tx, deps: Pick<DomainDeps, "clock">, order: OrderToRecord): Promise<RecordedOrder> {
  const [recorded] = await recordOrders(tx, deps, [order]);
  if (!recorded) throw new Error("the order was not recorded");
  return recorded;
}

/**
 * A payment's lines from what it was for (its items: showing, type, count, amount charged), for an order whose
 * tickets could not be issued. The list price is the lowest price of the type that covers what was charged per
 * ticket, so the discount is never negative.
 */
export async function paymentOrderLines(tx: Tx, paymentId: string): Promise<OrderLineRecord[]> {
  const rows = await tx.$queryRaw<Array<{ showingId: number; type: string; count: number; amount: string; unitPrice: string }>>`
    SELECT i."showingId", i.type, i.count, i.amount::text AS amount,
           COALESCE((SELECT MIN(t.price) FROM "Ticket" t
                     WHERE t."showingId" = i."showingId" AND t.type = i.type AND t.price * i.count >= i.amount),
                    ceil(i.amount * 100 / i.count) / 100)::numeric(12,2)::text AS "unitPrice"
    FROM "PaymentItem" i
    WHERE i."paymentId" = ${paymentId}::uuid AND i.count > 0
    ORDER BY i.id`;
  return rows.map((row) => {
    const unitPrice = new Prisma.Decimal(row.unitPrice);
    const amount = new Prisma.Decimal(row.amount);
    return { showingId: row.showingId, type: row.type, count: row.count, unitPrice, amount, discount: unitPrice.mul(row.count).minus(amount) };
  });
}
