import { randomUUID } from "node:crypto";
import { Prisma } from "@admit/db";
import { createClub, createEvent, createShowing, createTickets, unique } from "@admit/db/factories";
import type { UserActor } from "@admit/domain";
import type { TestServer } from "./harness.ts";

export interface ClubWorld {
  clubId: number;
  eventId: number;
  showingId: number;
  officer: { id: string; username: string; token: string; actor: UserActor };
}

export interface SoldOrder {
  orderId: string;
  reference: string;
  paymentId: string | null;
  transactionId: string | null;
  buyer: { id: string; username: string; email: string };
  ticketIds: string[];
}

export async function actorOf(server: TestServer, userId: string): Promise<UserActor> {
  const user = await server.db.prisma.user.findUniqueOrThrow({ where: { id: userId } });
  return { kind: "user", userId: user.id, username: user.username ?? "", fullName: user.fullName, email: user.email, isSiteAdmin: false, sessionId: "test" };
}

/** A club with an officer who can sign in, one showing two days ahead and `count` tickets of one type. */
export async function clubWorld(server: TestServer, opts: { count?: number; price?: string } = {}): Promise<ClubWorld> {
  const prisma = server.db.prisma;
  const officer = await server.createAccount({ fullName: "Olive Officer" });
  const club = await createClub(prisma, { officers: [officer.id] });
  const event = await createEvent(prisma, club.id, { name: unique("Concert") });
  const start = new Date(server.clock.now().getTime() + 48 * 3_600_000);
  const showing = await createShowing(prisma, event.id, { startTime: start, endTime: new Date(start.getTime() + 3 * 3_600_000) });
  await createTickets(prisma, showing.id, { type: "General", count: opts.count ?? 6, price: opts.price ?? "15.00" });
  return {
    clubId: club.id,
    eventId: event.id,
    showingId: showing.id,
    officer: { ...officer, token: await server.tokenFor(officer.username), actor: await actorOf(server, officer.id) },
  };
}

/**
 * An order as fulfilment leaves it: `count` unowned tickets of each listed showing sold to a new buyer, paid through
 * a CyberSource payment (or free when every price is 0), with its lines and order tickets.
 */
export async function soldOrder(server: TestServer, showings: Array<{ showingId: number; count: number }>): Promise<SoldOrder> {
  const prisma = server.db.prisma;
  const buyer = await server.createAccount({ fullName: "Bea Buyer" });
  const email = `${buyer.username}@example.edu`;
  const picked = [];
  for (const { showingId, count } of showings) {
    const tickets = await prisma.ticket.findMany({
      where: { showingId, ownerId: null, holderId: null, voidedAt: null },
      orderBy: { id: "asc" },
      take: count,
    });
    picked.push(...tickets);
  }
  const total = picked.reduce((sum, t) => sum.plus(t.price), new Prisma.Decimal(0));
  const reference = unique("ref").slice(0, 20);
  const transactionId = total.isZero() ? null : String(Date.now()) + String(Math.floor(Math.random() * 1e8)).padStart(8, "0");
  const payment = total.isZero()
    ? null
    : await prisma.payment.create({
        data: {
          userId: buyer.id,
          referenceNumber: reference,
          transactionUuid: randomUUID(),
          amount: total,
          status: "PAID",
          decision: "ACCEPT",
          transactionId,
          buyerName: "Bea Buyer",
          buyerEmail: email,
          processedAt: server.clock.now(),
        },
      });
  for (const t of picked) {
    await prisma.ticket.update({ where: { id: t.id }, data: { ownerId: buyer.id, paymentId: payment?.id ?? null, amountPaid: t.price } });
  }
  const lines = new Map<string, { showingId: number; type: string; count: number; unitPrice: Prisma.Decimal; amount: Prisma.Decimal }>();
  for (const t of picked) {
    const key = `${t.showingId}:${t.type}:${t.price.toFixed(2)}`;
    const line = lines.get(key) ?? { showingId: t.showingId, type: t.type, count: 0, unitPrice: t.price, amount: new Prisma.Decimal(0) };
    line.count += 1;
    line.amount = line.amount.plus(t.price);
    lines.set(key, line);
  }
  const order = await prisma.order.create({
    data: {
      reference,
      userId: buyer.id,
      paymentId: payment?.id ?? null,
      total,
      createdAt: server.clock.now(),
      lines: { create: [...lines.values()].map((l) => ({ ...l, discount: new Prisma.Decimal(0) })) },
      tickets: { create: picked.map((t) => ({ ticketId: t.id, amountPaid: t.price })) },
    },
  });
  return {
    orderId: order.id,
    reference,
    paymentId: payment?.id ?? null,
    transactionId,
    buyer: { id: buyer.id, username: buyer.username, email },
    ticketIds: picked.map((t) => t.id).sort(),
  };
}

export function refundKey(): string {
  return randomUUID();
}

/** What a refund left behind for an order, for assertions that nothing else changed. */
export async function orderState(server: TestServer, orderId: string) {
  const prisma = server.db.prisma;
  const order = await prisma.order.findUniqueOrThrow({
    where: { id: orderId },
    select: {
      tickets: { select: { ticketId: true, refundedAmount: true, voidedAt: true, voidReason: true }, orderBy: { ticketId: "asc" } },
      refunds: { select: { id: true, amount: true, status: true, idempotencyKey: true, tickets: true }, orderBy: { id: "asc" } },
    },
  });
  const tickets = await prisma.ticket.findMany({
    where: { id: { in: order.tickets.map((t) => t.ticketId) } },
    select: { id: true, ownerId: true, paymentId: true, amountPaid: true, voidedAt: true, qrGeneration: true },
    orderBy: { id: "asc" },
  });
  return { orderTickets: order.tickets, refunds: order.refunds, tickets };
}
