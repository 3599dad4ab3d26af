import { createClub, createEvent, createShowing, createTickets } from "@admit/db/factories";
import { testBackends } from "@admit/db/testing";
import { paymentOrderLines, recordOrder } from "@admit/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, trpc, type TestServer } from "./harness.ts";
import { ACCEPT, expireHolds, merchantPost, paidShowing, replyFor, startPaidCheckout } from "./payment-fixtures.ts";
import { person, rest, type Person } from "./tickets-fixture.ts";

const HOUR = 3_600_000;

interface OrderBody {
  id: string;
  reference: string;
  created_at: string;
  status: string;
  total: string;
  currency: string;
  refunded_total: string;
  buyer: { full_name: string; email: string };
  payment: { reference_number: string; transaction_id: string | null } | null;
  lines: Array<{
    event: { id: number; name: string };
    showing: { id: number; start_time: string; end_time: string; location: string | null };
    type: string;
    count: number;
    unit_price: string;
    discount: string;
    amount: string;
  }>;
  tickets: Array<{
    id: string;
    event: { id: number; name: string };
    showing: { id: number; start_time: string };
    type: string;
    amount_paid: string;
    refunded_amount: string;
    voided: boolean;
    voided_at: string | null;
    void_reason: string | null;
    current: boolean;
  }>;
  refunds: Array<{ id: string; amount: string; state: string; reason: string; created_at: string; completed_at: string | null }>;
}

for (const backend of testBackends()) {
  describe(`orders (${backend.kind})`, () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer(backend);
    });
    afterAll(async () => server?.close());

    /** A club (with an officer) and a showing tomorrow with tickets of the given kinds. */
    async function clubShowing(kinds: Array<{ type: string; count: number; price: string; groupDiscount?: string; groupSize?: number }>) {
      const { prisma } = server.db;
      const officer = await person(server, "Ollie Officer");
      const club = await createClub(prisma, { officers: [officer.id], name: "Jazz Ensemble" });
      const event = await createEvent(prisma, club.id, { name: "Winter Concert" });
      const start = new Date(server.clock.now().getTime() + 24 * HOUR);
      const showing = await createShowing(prisma, event.id, {
        startTime: start,
        endTime: new Date(start.getTime() + 2 * HOUR),
        location: "Zellerbach Theatre",
        ticketOrderLimit: 20,
      });
      for (const kind of kinds) {
        await createTickets(prisma, showing.id, {
          type: kind.type,
          count: kind.count,
          price: kind.price,
          groupDiscount: kind.groupDiscount ?? 0,
          groupSize: kind.groupSize ?? null,
        });
      }
      return { officer, club, event, showing };
    }

    /** Adds to the cart and checks out over REST, as the seed API's clients do; returns the answer. */
    async function checkout(who: Person, eventId: number, showingId: number, quantities: Array<{ type: string; count: number }>) {
      const added = await rest(server, "POST", `/api/events/${eventId}/showings/${showingId}/add_to_cart/`, {
        token: who.token,
        body: { quantities },
      });
      expect(added.status).toBe(200);
      const result = await rest(server, "POST", "/api/tickets/initiate_checkout/", { token: who.token, body: {} });
      expect(result.status).toBe(200);
      return result.body as { sold_free_tickets: boolean; order_id: string | null };
    }

    const getOrder = (who: { token: string }, id: string) => rest(server, "GET", `/api/orders/${id}/`, { token: who.token });

    it("a free checkout is an order: lines, tickets, a short reference, no payment, one receipt with every QR code", async () => {
      const { event, showing } = await clubShowing([
        { type: "Student", count: 5, price: "0" },
        { type: "Guest", count: 5, price: "0" },
      ]);
      const student = await person(server, "Sam Student");
      const result = await checkout(student, event.id, showing.id, [
        { type: "Student", count: 2 },
        { type: "Guest", count: 1 },
      ]);
      expect(result.sold_free_tickets).toBe(true);
      expect(result.order_id).toEqual(expect.any(String));

      const answer = await getOrder(student, result.order_id!);
      expect(answer.status).toBe(200);
      const order = answer.body as OrderBody;
      const owned = await server.db.prisma.ticket.findMany({ where: { ownerId: student.id }, orderBy: { id: "asc" } });
      expect(order).toMatchObject({
        id: result.order_id,
        status: "paid",
        total: "0.00",
        currency: "USD",
        refunded_total: "0.00",
        buyer: { full_name: "Sam Student", email: `${student.username}@example.edu` },
        payment: null,
        refunds: [],
      });
      expect(order.reference).toMatch(/^A[0-9A-HJKMNP-TV-Z]{10}$/);
      expect(order.created_at).toBe(server.clock.now().toISOString());
      expect(order.lines).toEqual([
        expect.objectContaining({ type: "Guest", count: 1, amount: "0.00" }),
        {
          event: { id: event.id, name: "Winter Concert" },
          showing: { id: showing.id, start_time: showing.startTime.toISOString(), end_time: showing.endTime.toISOString(), location: "Zellerbach Theatre" },
          type: "Student",
          count: 2,
          unit_price: "0.00",
          discount: "0.00",
          amount: "0.00",
        },
      ]);
      expect(order.tickets.map((t) => t.id).sort()).toEqual(owned.map((t) => t.id));
      for (const ticket of order.tickets) {
        expect(ticket).toMatchObject({
          event: { id: event.id, name: "Winter Concert" },
          showing: { id: showing.id, start_time: showing.startTime.toISOString() },
          amount_paid: "0.00",
          refunded_amount: "0.00",
          voided: false,
          voided_at: null,
          void_reason: null,
          current: true,
        });
      }

      const receipts = await server.db.prisma.outgoingEmail.findMany({ where: { toAddress: `${student.username}@example.edu` } });
      expect(receipts.map((m) => [m.subject, m.dedupeKey])).toEqual([["Your receipt for Winter Concert", `receipt:${order.id}`]]);
      const [receipt] = receipts;
      expect(receipt!.text).toContain("2 × Student at $0.00 = $0.00");
      expect(receipt!.text).toContain("1 × Guest at $0.00 = $0.00");
      expect(receipt!.text).toContain("Total: $0.00");
      expect(receipt!.text).toContain(`Order reference: ${order.reference}`);
      expect(receipt!.text).toContain(`${server.url}/orders/${order.id}`);
      expect(receipt!.text).toContain("Zellerbach Theatre");
      const attachments = receipt!.attachments as Array<{ qrTicketId: string; cid: string }>;
      expect(attachments.map((a) => a.qrTicketId).sort()).toEqual(owned.map((t) => t.id));
      for (const a of attachments) expect(receipt!.html).toContain(`cid:${a.cid}`);
    });

    it("a paid order: the payment's reference and transaction id, group discount per line, each ticket's price", async () => {
      const { event, showing } = await clubShowing([{ type: "General", count: 6, price: "15.00", groupDiscount: "0.2", groupSize: 4 }]);
      const showcase = { eventId: event.id, showingId: showing.id, type: "General" };
      const attempt = await startPaidCheckout(server, showcase, 4);
      const reply = replyFor(server, attempt, ACCEPT);
      expect((await merchantPost(server, reply)).status).toBe(200);

      const list = await rest(server, "GET", "/api/orders/", { token: attempt.token });
      expect(list.status).toBe(200);
      const [order] = list.body as OrderBody[];
      expect(list.body).toHaveLength(1);
      expect(order).toMatchObject({
        reference: attempt.reference,
        status: "paid",
        total: "48.00",
        payment: { reference_number: attempt.reference, transaction_id: reply.transaction_id },
        lines: [{ type: "General", count: 4, unit_price: "15.00", discount: "12.00", amount: "48.00" }],
      });
      expect(order!.tickets.map((t) => t.id).sort()).toEqual([...attempt.ticketIds].sort());
      expect(order!.tickets.every((t) => t.amount_paid === "12.00" && t.current)).toBe(true);

      const receipt = await server.db.prisma.outgoingEmail.findUniqueOrThrow({ where: { dedupeKey: `receipt:${order!.id}` } });
      expect(receipt.text).toContain("4 × General at $15.00 = $48.00 (group discount $12.00)");
      expect(receipt.text).toContain("Total: $48.00");
      expect(receipt.text).toContain(`Reference number: ${attempt.reference}`);
      expect(receipt.text).toContain(`CyberSource transaction id: ${reply.transaction_id}`);
      expect((receipt.attachments as unknown[]).length).toBe(4);
    });

    it("a late payment whose seats were sold gets replacement seats, and its order lists the tickets it really got", async () => {
      const showcase = await paidShowing(server, { count: 4, price: "12.50" });
      const attempt = await startPaidCheckout(server, showcase, 2);
      await expireHolds(server);
      const [taken, kept] = attempt.ticketIds;
      const other = await server.createAccount();
      await server.db.prisma.ticket.update({ where: { id: taken }, data: { ownerId: other.id } });
      expect((await merchantPost(server, replyFor(server, attempt, ACCEPT))).status).toBe(200);

      const order = (await server.db.prisma.order.findUniqueOrThrow({ where: { paymentId: attempt.paymentId }, include: { tickets: true, lines: true } }));
      const owned = await server.db.prisma.ticket.findMany({ where: { ownerId: attempt.userId } });
      expect(order.tickets.map((t) => t.ticketId).sort()).toEqual(owned.map((t) => t.id).sort());
      expect(order.tickets.map((t) => t.ticketId)).toContain(kept);
      expect(order.tickets.map((t) => t.ticketId)).not.toContain(taken);
      expect(order.tickets.map((t) => t.amountPaid.toFixed(2))).toEqual(["12.50", "12.50"]);
      expect(order.lines.map((l) => [l.type, l.count, l.unitPrice.toFixed(2), l.discount.toFixed(2), l.amount.toFixed(2)])).toEqual([
        ["General", 2, "12.50", "0.00", "25.00"],
      ]);
      expect(order.total.toFixed(2)).toBe("25.00");
      const receipt = await server.db.prisma.outgoingEmail.findUniqueOrThrow({ where: { dedupeKey: `receipt:${order.id}` } });
      expect((receipt.attachments as Array<{ qrTicketId: string }>).map((a) => a.qrTicketId).sort()).toEqual(owned.map((t) => t.id).sort());
    });

    it("recordOrder keeps a paid order whose seats were gone: its lines from the payment, no tickets", async () => {
      const showcase = await paidShowing(server, { count: 3, price: "20.00" });
      const attempt = await startPaidCheckout(server, showcase, 3);
      const { prisma } = server.db;
      const order = await prisma.$transaction(async (tx) =>
        recordOrder(tx, { clock: server.clock }, {
          userId: attempt.userId,
          paymentId: attempt.paymentId,
          lines: await paymentOrderLines(tx, attempt.paymentId),
          tickets: [],
        }),
      );
      expect(order).toMatchObject({ reference: attempt.reference, currency: "USD" });
      expect(order.total.toFixed(2)).toBe("60.00");
      const answer = await getOrder({ token: attempt.token }, order.id);
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({
        total: "60.00",
        tickets: [],
        lines: [{ type: "General", count: 3, unit_price: "20.00", discount: "0.00", amount: "60.00" }],
      });
    });

    it("reads refunds and voided tickets: partly refunded, each refund's state in words", async () => {
      const { club, event, showing } = await clubShowing([{ type: "General", count: 4, price: "15.00" }]);
      const attempt = await startPaidCheckout(server, { eventId: event.id, showingId: showing.id, type: "General" }, 2);
      expect((await merchantPost(server, replyFor(server, attempt, ACCEPT))).status).toBe(200);
      const { prisma } = server.db;
      const order = await prisma.order.findUniqueOrThrow({ where: { paymentId: attempt.paymentId } });
      const [refunded] = [...attempt.ticketIds].sort();
      const voidedAt = server.clock.now();
      await prisma.orderTicket.update({
        where: { orderId_ticketId: { orderId: order.id, ticketId: refunded! } },
        data: { voidedAt, voidReason: "refunded", refundedAmount: "15.00" },
      });
      await prisma.refund.create({
        data: { idempotencyKey: `test-${order.id}`, orderId: order.id, clubId: club.id, amount: "15.00", reason: "Cannot come", status: "MANUAL" },
      });
      const body = (await getOrder({ token: attempt.token }, order.id)).body as OrderBody;
      expect(body).toMatchObject({ status: "partly_refunded", refunded_total: "15.00" });
      expect(body.refunds).toEqual([
        { id: expect.any(String), amount: "15.00", state: "waiting_for_club", reason: "Cannot come", created_at: expect.any(String), completed_at: null },
      ]);
      expect(body.tickets.find((t) => t.id === refunded)).toMatchObject({
        voided: true,
        voided_at: voidedAt.toISOString(),
        void_reason: "refunded",
        refunded_amount: "15.00",
        current: false,
      });
    });

    it("only the buyer and the club's officers see an order; anyone else gets 404, a malformed id 400", async () => {
      const { officer, event, showing } = await clubShowing([{ type: "Free", count: 4, price: "0" }]);
      const buyer = await person(server);
      const { order_id } = await checkout(buyer, event.id, showing.id, [{ type: "Free", count: 1 }]);
      const stranger = await person(server);
      const otherOfficer = await person(server);
      await createClub(server.db.prisma, { officers: [otherOfficer.id] });
      const admin = await person(server);
      await server.db.prisma.user.update({ where: { id: admin.id }, data: { isSiteAdmin: true } });

      expect((await getOrder(buyer, order_id!)).status).toBe(200);
      expect((await getOrder(officer, order_id!)).body).toMatchObject({ id: order_id, buyer: { email: `${buyer.username}@example.edu` } });
      expect((await getOrder(admin, order_id!)).status).toBe(200);
      for (const outsider of [stranger, otherOfficer]) {
        const refused = await getOrder(outsider, order_id!);
        expect(refused.status).toBe(404);
        expect(refused.body).toMatchObject({ error: { code: "NOT_FOUND" } });
      }
      expect((await getOrder(buyer, "00000000-0000-4000-8000-000000000000")).status).toBe(404);
      const malformed = await getOrder(buyer, "not-an-order");
      expect(malformed.status).toBe(400);
      expect(malformed.body).toMatchObject({ error: { code: "VALIDATION_FAILED" } });
      expect((await rest(server, "GET", `/api/orders/${order_id}/`)).status).toBe(401);
      expect((await rest(server, "GET", "/api/orders/")).status).toBe(401);
      // An officer's own list holds only what they bought.
      expect((await rest(server, "GET", "/api/orders/", { token: officer.token })).body).toEqual([]);

      // tRPC answers the same.
      const viaTrpc = await trpc(server, "order.get", { token: buyer.token, input: { id: order_id } });
      expect(viaTrpc.status).toBe(200);
      expect(viaTrpc.data).toEqual((await getOrder(buyer, order_id!)).body);
      expect((await trpc(server, "order.get", { token: stranger.token, input: { id: order_id } })).error?.data.appCode).toBe("NOT_FOUND");
      expect((await trpc(server, "order.get", { token: buyer.token, input: { id: "nope" } })).status).toBe(400);
    });

    it("an officer reads only their own club's part of an order that spans two clubs; the buyer reads it all", async () => {
      const jazz = await clubShowing([{ type: "Free", count: 2, price: "0" }]);
      const film = await clubShowing([{ type: "Screening", count: 2, price: "0" }]);
      const buyer = await person(server);
      for (const [club, type] of [[jazz, "Free"], [film, "Screening"]] as const) {
        const added = await rest(server, "POST", `/api/events/${club.event.id}/showings/${club.showing.id}/add_to_cart/`, {
          token: buyer.token,
          body: { quantities: [{ type, count: 1 }] },
        });
        expect(added.status).toBe(200);
      }
      const { order_id } = (await rest(server, "POST", "/api/tickets/initiate_checkout/", { token: buyer.token, body: {} })).body as {
        order_id: string;
      };
      const typesSeenBy = async (who: { token: string }) => {
        const body = (await getOrder(who, order_id)).body as { lines: Array<{ type: string }>; tickets: Array<{ type: string }> };
        return { lines: body.lines.map((l) => l.type).sort(), tickets: body.tickets.map((t) => t.type).sort() };
      };
      expect(await typesSeenBy(buyer)).toEqual({ lines: ["Free", "Screening"], tickets: ["Free", "Screening"] });
      expect(await typesSeenBy(jazz.officer)).toEqual({ lines: ["Free"], tickets: ["Free"] });
      expect(await typesSeenBy(film.officer)).toEqual({ lines: ["Screening"], tickets: ["Screening"] });
    });

    it("lists the buyer's orders newest first, a page at a time; a transferred ticket is no longer current", async () => {
      const { event, showing } = await clubShowing([{ type: "Free", count: 6, price: "0" }]);
      const buyer = await person(server);
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        ids.push((await checkout(buyer, event.id, showing.id, [{ type: "Free", count: 1 }])).order_id!);
        server.clock.advance(60_000);
      }
      const page = await rest(server, "GET", "/api/orders/?limit=2", { token: buyer.token });
      expect((page.body as OrderBody[]).map((o) => o.id)).toEqual([ids[2], ids[1]]);
      const next = await rest(server, "GET", `/api/orders/?limit=2&before=${ids[1]}`, { token: buyer.token });
      expect((next.body as OrderBody[]).map((o) => o.id)).toEqual([ids[0]]);
      expect((await rest(server, "GET", "/api/orders/?limit=0", { token: buyer.token })).status).toBe(400);
      expect((await rest(server, "GET", "/api/orders/?before=x", { token: buyer.token })).status).toBe(400);
      const viaTrpc = await trpc(server, "order.list", { token: buyer.token, input: { limit: 1 } });
      expect((viaTrpc.data as OrderBody[]).map((o) => o.id)).toEqual([ids[2]]);

      const friend = await person(server);
      const ticketId = ((await getOrder(buyer, ids[0]!)).body as OrderBody).tickets[0]!.id;
      const sent = await rest(server, "POST", `/api/tickets/${ticketId}/transfer/`, { token: buyer.token, body: { username: friend.username } });
      expect(sent.status).toBe(200);
      const after = (await getOrder(buyer, ids[0]!)).body as OrderBody;
      expect(after).toMatchObject({ status: "paid", tickets: [{ id: ticketId, current: false, voided: false }] });
    });

    it("documents GET /api/orders/ and GET /api/orders/{id}/ in the OpenAPI document", async () => {
      const document = (await rest(server, "GET", "/api/openapi.json")).body as {
        paths: Record<string, Record<string, { responses: Record<string, unknown>; security: unknown }>>;
      };
      const list = document.paths["/api/orders/"]?.get;
      const one = document.paths["/api/orders/{id}/"]?.get;
      expect(list?.responses).toHaveProperty("200");
      expect(one?.responses).toHaveProperty("200");
      expect(one?.responses).toHaveProperty("404");
      expect(list?.security).toEqual([{ bearerToken: [] }, { sessionCookie: [] }]);
    });
  });
}
