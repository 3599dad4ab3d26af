import { testBackends } from "@admit/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api } from "./cart-helpers.ts";
import { startTestServer, trpc, type TestServer } from "./harness.ts";
import { clubWorld, orderState, soldOrder, type ClubWorld } from "./refund-fixtures.ts";

const HOUR = 3_600_000;

interface Quote {
  allowed: boolean;
  deadline: string | null;
  refundAmount: string;
  refundMode: string;
  reason: string | null;
  code: string | null;
}

for (const backend of testBackends()) {
  describe(`students return tickets (${backend.kind})`, () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer(backend);
    });
    afterAll(async () => server?.close());

    /** A showing 48 hours ahead whose General tickets are returnable until `hours` before it starts. */
    async function returnable(hours: number | null, price = "15.00"): Promise<ClubWorld & { startTime: Date }> {
      const world = await clubWorld(server, { price });
      if (hours !== null) {
        const set = await trpc(server, "showing.updateType", {
          token: world.officer.token,
          mutation: true,
          input: { showingId: world.showingId, type: "General", returnHoursBefore: hours },
        });
        expect(set.status).toBe(200);
      }
      const showing = await server.db.prisma.showing.findUniqueOrThrow({ where: { id: world.showingId } });
      return { ...world, startTime: showing.startTime };
    }

    const quote = async (token: string, id: string) => {
      const res = await trpc(server, "ticket.returnQuote", { token, input: { id } });
      return { status: res.status, data: res.data as Quote, error: res.error };
    };
    const returnRest = (token: string, id: string) => api(server, "POST", `/api/tickets/${id}/return/`, { token, body: {} });

    it("the buyer returns a paid ticket: refunded in full, voided from the order, back on sale with a new QR generation", async () => {
      const world = await returnable(24);
      const order = await soldOrder(server, [{ showingId: world.showingId, count: 2 }]);
      const token = await server.tokenFor(order.buyer.username);
      const [ticketId, kept] = order.ticketIds as [string, string];
      const before = await server.db.prisma.ticket.findUniqueOrThrow({ where: { id: ticketId } });

      const offer = await quote(token, ticketId);
      expect(offer.data).toEqual({
        ticketId,
        allowed: true,
        deadline: new Date(world.startTime.getTime() - 24 * HOUR).toISOString(),
        refundAmount: "15.00",
        refundMode: "manual",
        reason: null,
        code: null,
      });

      const returned = await returnRest(token, ticketId);
      expect(returned.status).toBe(200);
      expect(returned.body).toMatchObject({ ticketId, refund: { amount: "15.00", status: "MANUAL" }, refundMode: "manual" });

      const state = await orderState(server, order.orderId);
      expect(state.refunds).toHaveLength(1);
      expect(state.refunds[0]).toMatchObject({ idempotencyKey: `return:${order.orderId}:${ticketId}` });
      expect(state.refunds[0]!.amount.toFixed(2)).toBe("15.00");
      expect(state.orderTickets.find((t) => t.ticketId === ticketId)).toMatchObject({ voidReason: "returned" });
      expect(state.orderTickets.find((t) => t.ticketId === kept)).toMatchObject({ voidedAt: null });
      const after = state.tickets.find((t) => t.id === ticketId)!;
      expect(after).toMatchObject({ ownerId: null, paymentId: null, amountPaid: null, voidedAt: null, qrGeneration: before.qrGeneration + 1 });
      expect(state.tickets.find((t) => t.id === kept)).toMatchObject({ ownerId: order.buyer.id });
      const mail = await server.db.prisma.outgoingEmail.findMany({ where: { toAddress: order.buyer.email, dedupeKey: { startsWith: "refund-requested:" } } });
      expect(mail).toHaveLength(1);

      // Back on sale: a student can put the returned seat in a cart.
      const counts = await api(server, "GET", `/api/events/${(await eventOf(world.showingId))}/showings/${world.showingId}/tickets/`);
      expect(counts.body).toMatchObject({ available: [{ type: "General", count: 5 }] });

      const again = await returnRest(token, ticketId);
      expect(again).toMatchObject({ status: 409, body: { error: { code: "ALREADY_REFUNDED" } } });
      expect((await orderState(server, order.orderId)).refunds).toHaveLength(1);
    });

    async function eventOf(showingId: number): Promise<number> {
      return (await server.db.prisma.showing.findUniqueOrThrow({ where: { id: showingId } })).eventId;
    }

    it("a free ticket is released over tRPC with nothing to pay back", async () => {
      const world = await returnable(0, "0.00");
      const order = await soldOrder(server, [{ showingId: world.showingId, count: 1 }]);
      const token = await server.tokenFor(order.buyer.username);
      const ticketId = order.ticketIds[0]!;
      expect((await quote(token, ticketId)).data).toMatchObject({ allowed: true, refundAmount: "0.00" });
      const res = await trpc(server, "ticket.return", { token, mutation: true, input: { id: ticketId } });
      expect(res.status).toBe(200);
      expect(res.data).toMatchObject({ ticketId, refund: null });
      const state = await orderState(server, order.orderId);
      expect(state.refunds).toHaveLength(0);
      expect(state.orderTickets[0]).toMatchObject({ voidReason: "returned" });
      expect(state.tickets[0]).toMatchObject({ ownerId: null, voidedAt: null });
    });

    it("returns close at the deadline to the millisecond; the refusal changes nothing", async () => {
      const world = await returnable(48 - 1);
      const order = await soldOrder(server, [{ showingId: world.showingId, count: 1 }]);
      const token = await server.tokenFor(order.buyer.username);
      const ticketId = order.ticketIds[0]!;
      const deadline = world.startTime.getTime() - 47 * HOUR;
      try {
        server.clock.set(deadline - 1);
        expect((await quote(token, ticketId)).data.allowed).toBe(true);
        server.clock.set(deadline);
        const offer = await quote(token, ticketId);
        expect(offer.data).toMatchObject({ allowed: false, code: "RETURN_DEADLINE_PASSED", deadline: new Date(deadline).toISOString() });
        const refused = await returnRest(token, ticketId);
        expect(refused).toMatchObject({ status: 403, body: { error: { code: "RETURN_DEADLINE_PASSED" } } });
        const state = await orderState(server, order.orderId);
        expect(state.refunds).toHaveLength(0);
        expect(state.tickets[0]).toMatchObject({ ownerId: order.buyer.id });
      } finally {
        server.clock.set(Date.now());
      }
    });

    it("refuses types without returns, used tickets, transferred tickets (both people), comps, cancelled showings and strangers", async () => {
      const prisma = server.db.prisma;
      const closed = await returnable(null);
      const noReturns = await soldOrder(server, [{ showingId: closed.showingId, count: 1 }]);
      const noReturnsToken = await server.tokenFor(noReturns.buyer.username);
      expect((await quote(noReturnsToken, noReturns.ticketIds[0]!)).data).toMatchObject({ allowed: false, code: "RETURN_NOT_ALLOWED", deadline: null });
      expect(await returnRest(noReturnsToken, noReturns.ticketIds[0]!)).toMatchObject({ status: 403, body: { error: { code: "RETURN_NOT_ALLOWED" } } });

      const world = await returnable(24);
      const order = await soldOrder(server, [{ showingId: world.showingId, count: 3 }]);
      const token = await server.tokenFor(order.buyer.username);
      const [used, given, cancelledLater] = order.ticketIds as [string, string, string];

      await prisma.ticket.update({ where: { id: used }, data: { attended: true, attendedAt: server.clock.now() } });
      expect(await returnRest(token, used)).toMatchObject({ status: 409, body: { error: { code: "TICKET_CHECKED_IN" } } });

      const friend = await server.createAccount();
      const friendToken = await server.tokenFor(friend.username);
      const transfer = await api(server, "POST", `/api/tickets/${given}/transfer/`, { token, body: { username: friend.username } });
      expect(transfer.status).toBe(200);
      expect(await returnRest(friendToken, given)).toMatchObject({ status: 403, body: { error: { code: "RETURN_NOT_ALLOWED" } } });
      expect((await returnRest(friendToken, given)).body.detail).toMatch(/transferred/);
      expect(await returnRest(token, given)).toMatchObject({ status: 403, body: { error: { code: "RETURN_NOT_ALLOWED" } } });

      const stranger = await server.createAccount();
      const strangerToken = await server.tokenFor(stranger.username);
      expect(await returnRest(strangerToken, cancelledLater)).toMatchObject({ status: 404, body: { error: { code: "NOT_FOUND" } } });
      expect((await quote(strangerToken, cancelledLater)).status).toBe(404);

      const comp = await prisma.ticket.create({
        data: { showingId: world.showingId, type: "General", price: "15.00", ownerId: friend.id, complimentary: true, amountPaid: "0", returnHoursBefore: 24 },
      });
      expect(await returnRest(friendToken, comp.id)).toMatchObject({ status: 403, body: { error: { code: "RETURN_NOT_ALLOWED" } } });

      await prisma.showing.update({ where: { id: world.showingId }, data: { cancelledAt: server.clock.now(), cancelReason: "Storm" } });
      expect(await returnRest(token, cancelledLater)).toMatchObject({ status: 409, body: { error: { code: "SHOWING_CANCELLED" } } });

      for (const [id, owner] of [[used, order.buyer.id], [given, friend.id], [cancelledLater, order.buyer.id]] as const) {
        expect((await prisma.ticket.findUniqueOrThrow({ where: { id } })).ownerId, id === used ? "used" : id === given ? "given" : "cancelled").toBe(owner);
      }
      expect(await prisma.refund.count({ where: { orderId: { in: [order.orderId, noReturns.orderId] } } })).toBe(0);
      expect(await returnRest(token, "not-a-uuid")).toMatchObject({ status: 400 });
    });
  });
}
