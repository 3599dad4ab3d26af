import { Prisma, type RefundStatus } from "@admit/db";
import type { Clock } from "../clock.ts";
import { DomainError, notFound } from "../errors.ts";
import { formatMoney } from "../money.ts";
import { queueRefundNotices, type NoticeTicket } from "./notices.ts";
import { leaveOrder, voidTickets, type VoidReason } from "./void.ts";

type Tx = Prisma.TransactionClient;
const ZERO = new Prisma.Decimal(0);

export interface RefundRequest {
  orderId: string;
  /** "all": every ticket of the order of clubId's showings that is not voided or still has money to give back. */
  ticketIds: string[] | "all";
  /** The club whose tickets these are; tickets of other clubs are refused. */
  clubId: number;
  /** "full": what was paid for those tickets minus what was already refunded for them. */
  amount: Prisma.Decimal | "full";
  reason: string;
  /** Same key again: the same outcome, nothing changed. */
  idempotencyKey: string;
  /** null: the system asked (a return, a late payment, a cancelled showing). */
  requestedById: string | null;
  /** Voided tickets go back on sale, or out of circulation for good. */
  returnToSale: boolean;
  voidReason: VoidReason;
  /** Only a cancelled showing voids tickets that were already used at the door. */
  allowCheckedIn?: boolean;
  /**
   * "resale": the tickets were sold on the face-value exchange in the caller's transaction and already belong to
   * their new buyer: they leave this order (voidReason "resold") but are not voided, and nobody holding them is told
   * they stopped working. "void" (the default): they are voided as `returnToSale` says.
   */
  mode?: "void" | "resale";
}

export interface RefundDeps {
  clock: Clock;
  /** The origin e-mail links point at. */
  publicUrl: string;
  /** CyberSource REST keys are configured: money goes back automatically (PENDING), else it is a task for the club (MANUAL). */
  automaticRefunds: boolean;
}

export interface RefundOutcome {
  /** null when nothing is paid back (free tickets). */
  refund: { id: string; amount: Prisma.Decimal; status: RefundStatus } | null;
  voidedTicketIds: string[];
  /** True when the idempotency key had been used already: this is that earlier outcome, and nothing changed. */
  replayed: boolean;
}

interface LockedOrder {
  id: string;
  reference: string;
  userId: string;
  total: Prisma.Decimal;
  currency: string;
  transactionId: string | null;
}

interface OrderTicketFacts {
  ticketId: string;
  clubId: number;
  amountPaid: Prisma.Decimal;
  refundedAmount: Prisma.Decimal;
  voided: boolean;
}

/**
 * The one place money goes back or tickets leave an order: officers' refunds, students' returns, cancelled showings
 * and late payments all come here, inside the caller's transaction.
 *
 * Locks the order row first (every refund, return and cancellation of an order takes turns on it), then the tickets in
 * id order, and only then reads what was paid and refunded, so two requests at once cannot both pay back the same
 * money: the second sees the first's refund and is refused (ALREADY_REFUNDED, REFUND_TOO_LARGE) or, with the same
 * idempotency key, gets the first's outcome back. Never more than was paid per ticket and per order.
 */
export async function requestRefund(tx: Tx, deps: RefundDeps, request: RefundRequest): Promise<RefundOutcome> {
  const order = await lockOrder(tx, request.orderId);
  if (!order) throw notFound("Order");

  const earlier = await tx.refund.findUnique({
    where: { idempotencyKey: request.idempotencyKey },
    select: { id: true, orderId: true, amount: true, status: true, tickets: { select: { ticketId: true } } },
  });
  if (earlier) {
    if (earlier.orderId !== order.id) {
      throw new DomainError("CONFLICT", "This request key was already used for a refund of another order; open the refund dialog again.");
    }
    return {
      refund: { id: earlier.id, amount: earlier.amount, status: earlier.status },
      voidedTicketIds: earlier.tickets.map((t) => t.ticketId),
      replayed: true,
    };
  }

  const orderTickets = await orderTicketFacts(tx, order.id);
  const moneyOnly = orderTickets.length === 0;
  const targets = moneyOnly ? [] : chooseTickets(orderTickets, request);
  const toVoid = targets.filter((t) => !t.voided).map((t) => t.ticketId);
  const resale = request.mode === "resale";
  // A resold ticket was locked and handed over by the sale in this transaction, unused (availability.ts).
  if (!resale) await lockTicketsAndCheckDoor(tx, toVoid, request.allowCheckedIn ?? false);

  const remaining = moneyOnly
    ? await clubShareLeft(tx, order.id, request.clubId)
    : targets.reduce((sum, t) => sum.plus(t.amountPaid.minus(t.refundedAmount)), ZERO);
  const refundedSoFar = await refundedTotal(tx, order.id);
  const amount = request.amount === "full" ? remaining : request.amount;
  if (amount.isNegative() || (request.amount !== "full" && amount.isZero())) {
    throw new DomainError("VALIDATION_FAILED", "The refund amount must be more than $0.00.");
  }
  if (amount.decimalPlaces() > 2) throw new DomainError("VALIDATION_FAILED", "The refund amount must be in whole cents.");
  if (amount.greaterThan(remaining) || refundedSoFar.plus(amount).greaterThan(order.total)) {
    throw new DomainError(
      "REFUND_TOO_LARGE",
      `At most $${formatMoney(Prisma.Decimal.min(remaining, order.total.minus(refundedSoFar)))} can still be refunded for ${moneyOnly ? "this order" : "these tickets"}; $${formatMoney(amount)} was asked.`,
      { details: { refundable: formatMoney(remaining) } },
    );
  }
  if (moneyOnly && amount.isZero()) throw new DomainError("ALREADY_REFUNDED", "Everything paid for this order has already been refunded.");

  const now = deps.clock.now();
  const noticed = await noticeTickets(tx, targets.map((t) => t.ticketId));
  // A resold ticket's holder now is its buyer, whose ticket keeps working: only the seller hears about the refund.
  const described = resale ? noticed.map((t) => ({ ...t, owner: null })) : noticed;
  if (resale) await leaveOrder(tx, { orderId: order.id, ticketIds: toVoid, reason: request.voidReason, now });
  else await voidTickets(tx, { orderId: order.id, ticketIds: toVoid, reason: request.voidReason, returnToSale: request.returnToSale, now });

  let refund: RefundOutcome["refund"] = null;
  if (amount.greaterThan(0)) {
    const status: RefundStatus = deps.automaticRefunds && order.transactionId ? "PENDING" : "MANUAL";
    const shares = allocate(amount, targets);
    const created = await createRefundRow(tx, {
      idempotencyKey: request.idempotencyKey,
      orderId: order.id,
      clubId: request.clubId,
      amount,
      currency: order.currency,
      reason: request.reason,
      status,
      requestedById: request.requestedById,
      nextAttemptAt: status === "PENDING" ? now : null,
      createdAt: now,
      updatedAt: now,
      tickets: { create: shares.map((s) => ({ ticketId: s.ticketId, amount: s.amount })) },
    });
    for (const share of shares) {
      if (share.amount.isZero()) continue;
      await tx.orderTicket.update({
        where: { orderId_ticketId: { orderId: order.id, ticketId: share.ticketId } },
        data: { refundedAmount: { increment: share.amount } },
      });
    }
    refund = created;
  }

  await queueRefundNotices(
    tx,
    {
      key: refund?.id ?? `${order.id}:${request.idempotencyKey}`,
      orderId: order.id,
      orderReference: order.reference,
      clubName: await clubName(tx, request.clubId),
      buyer: await tx.user.findUniqueOrThrow({ where: { id: order.userId }, select: { id: true, email: true, fullName: true } }),
      amount: refund?.amount ?? null,
      mode: refund?.status === "PENDING" ? "automatic" : "manual",
      reason: request.reason,
      voidReason: request.voidReason,
      tickets: described,
    },
    deps.publicUrl,
  );
  return { refund, voidedTicketIds: toVoid, replayed: false };
}

/**
 * The same key used at the same moment for another order (only possible by reusing a key across orders) meets the
 * unique index instead of the order lock: refused like any other key reuse.
 */
async function createRefundRow(tx: Tx, data: Prisma.RefundUncheckedCreateInput) {
  try {
    return await tx.refund.create({ data, select: { id: true, amount: true, status: true } });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new DomainError("CONFLICT", "This request key was already used for another refund; open the refund dialog again.");
    }
    throw error;
  }
}

async function lockOrder(tx: Tx, orderId: string): Promise<LockedOrder | null> {
  const rows = await tx.$queryRaw<Array<Omit<LockedOrder, "total"> & { total: string }>>`
    SELECT o.id::text AS id, o.reference, o."userId", o.total::text AS total, o.currency, p."transactionId"
    FROM "Order" o LEFT JOIN "Payment" p ON p.id = o."paymentId"
    WHERE o.id = ${orderId}::uuid
    FOR UPDATE OF o`;
  const row = rows[0];
  return row ? { ...row, total: new Prisma.Decimal(row.total) } : null;
}

async function orderTicketFacts(tx: Tx, orderId: string): Promise<OrderTicketFacts[]> {
  const rows = await tx.orderTicket.findMany({
    where: { orderId },
    select: {
      ticketId: true,
      amountPaid: true,
      refundedAmount: true,
      voidedAt: true,
      ticket: { select: { showing: { select: { event: { select: { clubId: true } } } } } },
    },
    orderBy: { ticketId: "asc" },
  });
  return rows.map((r) => ({
    ticketId: r.ticketId,
    clubId: r.ticket.showing.event.clubId,
    amountPaid: r.amountPaid,
    refundedAmount: r.refundedAmount,
    voided: r.voidedAt !== null,
  }));
}

/**
 * The order's tickets a request is about. A voided ticket can still have money to give back (a partial refund, then
 * the rest); one with nothing left is refused, so nothing is refunded or voided twice.
 */
function chooseTickets(orderTickets: OrderTicketFacts[], request: RefundRequest): OrderTicketFacts[] {
  const open = (t: OrderTicketFacts) => !t.voided || t.amountPaid.greaterThan(t.refundedAmount);
  if (request.ticketIds === "all") {
    const chosen = orderTickets.filter((t) => t.clubId === request.clubId && open(t));
    if (chosen.length === 0) {
      throw new DomainError("ALREADY_REFUNDED", "Every ticket of this order has already been refunded or cancelled.");
    }
    return chosen;
  }
  // UUIDs in capitals name the same tickets (the database reads them so); the order's ids are lower case.
  const wanted = [...new Set(request.ticketIds.map((id) => id.toLowerCase()))].sort();
  if (wanted.length === 0) throw new DomainError("VALIDATION_FAILED", "Choose at least one ticket to refund.");
  const byId = new Map(orderTickets.map((t) => [t.ticketId, t]));
  return wanted.map((id) => {
    const ticket = byId.get(id);
    if (!ticket) throw notFound(`Ticket ${id} of this order`);
    if (ticket.clubId !== request.clubId) {
      throw new DomainError("FORBIDDEN", `Ticket ${id} is for another club's event; only that club can refund it.`);
    }
    if (!open(ticket)) {
      throw new DomainError("ALREADY_REFUNDED", `Ticket ${id} has already been ${ticket.amountPaid.isZero() ? "cancelled" : "refunded"}.`);
    }
    return ticket;
  });
}

/** Locks the tickets about to be voided in id order (the order every ticket-locking path uses) and refuses used ones. */
async function lockTicketsAndCheckDoor(tx: Tx, ticketIds: string[], allowCheckedIn: boolean) {
  if (ticketIds.length === 0) return;
  const rows = await tx.$queryRaw<Array<{ id: string; attended: boolean }>>`
    SELECT id::text AS id, attended FROM "Ticket" WHERE id = ANY(${ticketIds}::uuid[]) ORDER BY id FOR UPDATE`;
  const used = rows.filter((r) => r.attended).map((r) => r.id);
  if (used.length && !allowCheckedIn) {
    throw new DomainError(
      "TICKET_CHECKED_IN",
      `${used.length === 1 ? `Ticket ${used[0]} was` : `${used.length} of these tickets were`} already used at the door, so ${used.length === 1 ? "it" : "they"} cannot be refunded.`,
      { details: { ticketIds: used } },
    );
  }
}

/** A late payment's order has lines and no tickets: what the club's lines charged, minus the club's refunds so far. */
async function clubShareLeft(tx: Tx, orderId: string, clubId: number): Promise<Prisma.Decimal> {
  const [charged, refunded] = await Promise.all([
    tx.orderLine.aggregate({ where: { orderId, showing: { event: { clubId } } }, _sum: { amount: true } }),
    tx.refund.aggregate({ where: { orderId, clubId }, _sum: { amount: true } }),
  ]);
  return (charged._sum.amount ?? ZERO).minus(refunded._sum.amount ?? ZERO);
}

async function refundedTotal(tx: Tx, orderId: string): Promise<Prisma.Decimal> {
  const sum = await tx.refund.aggregate({ where: { orderId }, _sum: { amount: true } });
  return sum._sum.amount ?? ZERO;
}

/** Spreads a refund over its tickets in id order, each up to what is left of its price; the order is stable and explainable. */
function allocate(amount: Prisma.Decimal, tickets: OrderTicketFacts[]) {
  let left = amount;
  return tickets.map((t) => {
    const share = Prisma.Decimal.min(left, t.amountPaid.minus(t.refundedAmount));
    left = left.minus(share);
    return { ticketId: t.ticketId, amount: share };
  });
}

async function clubName(tx: Tx, clubId: number): Promise<string> {
  const club = await tx.club.findUnique({ where: { id: clubId }, select: { name: true } });
  return club?.name ?? "The club";
}

/** The tickets as the notices describe them, with whoever holds each right now (read before voiding clears the owner). */
async function noticeTickets(tx: Tx, ticketIds: string[]): Promise<NoticeTicket[]> {
  if (ticketIds.length === 0) return [];
  const rows = await tx.ticket.findMany({
    where: { id: { in: ticketIds } },
    select: {
      id: true,
      type: true,
      owner: { select: { id: true, email: true, fullName: true } },
      showing: { select: { event: { select: { name: true } } } },
    },
    orderBy: { id: "asc" },
  });
  return rows.map((r) => ({ id: r.id, type: r.type, eventName: r.showing.event.name, owner: r.owner }));
}
