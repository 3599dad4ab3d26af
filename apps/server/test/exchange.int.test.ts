import { testBackends } from "@admit/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allowExchange, buyPaid, call, offer, pairedDoor, takeFree, withdraw } from "./exchange-fixtures.ts";
import { startTestServer, trpc, type TestServer } from "./harness.ts";
import { ACCEPT, browserPost, expireHolds, merchantPost, replyFor, resultOf, startPaidCheckout, type Attempt } from "./payment-fixtures.ts";
import { clubWorld, soldOrder, type ClubWorld } from "./refund-fixtures.ts";

/** What the exchange left behind for one ticket: who owns it, its generation, the seller's order and its refunds. */
async function resaleFacts(server: TestServer, ticketId: string, sellerOrderId: string) {
  const prisma = server.db.prisma;
  const ticket = await prisma.ticket.findUniqueOrThrow({
    where: { id: ticketId },
    select: { ownerId: true, qrGeneration: true, exchangeListedAt: true, amountPaid: true, holderId: true },
  });
  const sellerLine = await prisma.orderTicket.findUniqueOrThrow({
    where: { orderId_ticketId: { orderId: sellerOrderId, ticketId } },
    select: { voidReason: true, refundedAmount: true },
  });
  const refunds = await prisma.refund.findMany({
    where: { orderId: sellerOrderId },
    select: { id: true, amount: true, status: true, idempotencyKey: true, reason: true },
  });
  return { ticket, sellerLine, refunds };
}

/** The officers' dashboard numbers (club.events) of the world's showing and of its General type. */
async function dashboardNumbers(server: TestServer, world: ClubWorld) {
  type Numbers = { total: number; sold: number; onExchange: number; held: number; available: number };
  type Showing = Numbers & { id: number; types: Array<Numbers & { type: string }> };
  const answer = await trpc(server, "club.events", { token: world.officer.token, input: { clubId: world.clubId } });
  expect(answer.status).toBe(200);
  const showing = (answer.data as Array<{ showings: Showing[] }>).flatMap((e) => e.showings).find((s) => s.id === world.showingId)!;
  const pick = ({ total, sold, onExchange, held, available }: Numbers) => ({ total, sold, onExchange, held, available });
  return { showing: pick(showing), general: pick(showing.types.find((t) => t.type === "General")!) };
}

const orderOfPayment = (server: TestServer, paymentId: string) =>
  server.db.prisma.order.findUniqueOrThrow({ where: { paymentId }, select: { id: true } });

const mailsTo = (server: TestServer, username: string) =>
  server.db.prisma.outgoingEmail.findMany({ where: { toAddress: `${username}@example.edu` }, select: { subject: true, text: true, dedupeKey: true } });

for (const backend of testBackends()) {
  describe(`the face-value exchange: offering and withdrawing (${backend.kind})`, () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer(backend);
    });
    afterAll(async () => server?.close());

    async function ownedTicket(world: ClubWorld) {
      const order = await soldOrder(server, [{ showingId: world.showingId, count: 1 }]);
      return { order, ticketId: order.ticketIds[0]!, token: await server.tokenFor(order.buyer.username) };
    }

    it("only the owner offers a ticket of a type that allows it; bad ids, strangers and officers change nothing", async () => {
      const world = await clubWorld(server);
      const { ticketId, token, order } = await ownedTicket(world);

      const notAllowed = await offer(server, token, ticketId);
      expect(notAllowed).toMatchObject({ status: 409, body: { error: { code: "EXCHANGE_NOT_ALLOWED" } } });
      await allowExchange(server, world, "General");

      const stranger = await server.tokenFor((await server.createAccount()).username);
      expect((await offer(server, stranger, ticketId)).status).toBe(404);
      expect((await offer(server, world.officer.token, ticketId)).status).toBe(404);
      expect((await offer(server, undefined, ticketId)).status).toBe(401);
      expect((await offer(server, token, "not-a-ticket")).status).toBe(400);
      expect((await offer(server, token, "6b1f0c3e-2f44-4f39-9d1a-3f0d6f7b9a01")).status).toBe(404);
      expect((await withdraw(server, stranger, ticketId)).status).toBe(404);
      expect((await server.db.prisma.ticket.findUniqueOrThrow({ where: { id: ticketId } })).exchangeListedAt).toBeNull();

      const listed = await offer(server, token, ticketId);
      expect(listed.status).toBe(200);
      expect(listed.body).toMatchObject({ id: ticketId, owner: "Bea Buyer", exchange: { allowed: true, listed_at: server.clock.now().toISOString() } });
      // Offering again changes nothing; tRPC answers the same.
      server.clock.advance(1_000);
      const again = await trpc(server, "ticket.listForExchange", { token, mutation: true, input: { id: ticketId } });
      expect(again.data).toMatchObject({ exchange: { listed_at: listed.body.exchange && (listed.body.exchange as { listed_at: string }).listed_at } });
      const mine = await call(server, "GET", `/api/tickets/${ticketId}/`, token);
      expect(mine.body).toMatchObject({ owner: "Bea Buyer", exchange: { allowed: true } });

      // An offered ticket counts as available, and is neither transferred nor returned.
      const counts = await call(server, "GET", `/api/events/${world.eventId}/showings/${world.showingId}/tickets/`);
      expect(counts.body).toMatchObject({ available: [{ type: "General", count: 6 }] });
      const friend = await server.createAccount();
      const transfer = await call(server, "POST", `/api/tickets/${ticketId}/transfer/`, token, { username: friend.username });
      expect(transfer).toMatchObject({ status: 409, body: { error: { code: "EXCHANGE_LISTED" } } });
      expect(transfer.body.error?.message).toContain("withdraw it from the exchange first");
      await server.db.prisma.ticket.updateMany({ where: { showingId: world.showingId }, data: { returnHoursBefore: 1 } });
      const returned = await call(server, "POST", `/api/tickets/${ticketId}/return/`, token);
      expect(returned).toMatchObject({ status: 409, body: { error: { code: "EXCHANGE_LISTED" } } });

      const back = await withdraw(server, token, ticketId);
      expect(back).toMatchObject({ status: 200, body: { exchange: { allowed: true, listed_at: null } } });
      expect((await withdraw(server, token, ticketId)).status).toBe(200);
      const after = await call(server, "GET", `/api/events/${world.eventId}/showings/${world.showingId}/tickets/`);
      expect(after.body).toMatchObject({ available: [{ type: "General", count: 5 }] });
      const withdrawnByTrpc = await trpc(server, "ticket.withdrawFromExchange", { token, mutation: true, input: { id: ticketId } });
      expect(withdrawnByTrpc.status).toBe(200);
      expect(order.ticketIds).toEqual([ticketId]);
    });

    it("refuses tickets used at the door and showings cancelled or over", async () => {
      const world = await clubWorld(server);
      await allowExchange(server, world, "General");
      const used = await ownedTicket(world);
      await server.db.prisma.ticket.update({ where: { id: used.ticketId }, data: { attended: true, attendedAt: server.clock.now() } });
      expect(await offer(server, used.token, used.ticketId)).toMatchObject({ status: 409, body: { error: { code: "TICKET_CHECKED_IN" } } });

      const cancelled = await ownedTicket(world);
      await server.db.prisma.showing.update({ where: { id: world.showingId }, data: { cancelledAt: server.clock.now() } });
      expect(await offer(server, cancelled.token, cancelled.ticketId)).toMatchObject({ status: 409, body: { error: { code: "SHOWING_CANCELLED" } } });

      const other = await clubWorld(server);
      await allowExchange(server, other, "General");
      const late = await ownedTicket(other);
      server.clock.advance(60 * 3_600_000);
      try {
        expect(await offer(server, late.token, late.ticketId)).toMatchObject({ status: 403, body: { error: { code: "SHOWING_ENDED" } } });
      } finally {
        server.clock.advance(-60 * 3_600_000);
      }
      const untouched = await server.db.prisma.ticket.count({
        where: { id: { in: [used.ticketId, cancelled.ticketId, late.ticketId] }, exchangeListedAt: { not: null } },
      });
      expect(untouched).toBe(0);
    });
  });

  describe(`the face-value exchange: a resale paid through checkout, refunds by hand (${backend.kind})`, () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer(backend);
    });
    afterAll(async () => server?.close());

    it("the buyer owns it with a new QR generation, the seller's code is refused at the door, the seller is refunded once and both are e-mailed", async () => {
      const world = await clubWorld(server, { count: 1, price: "15.00" });
      await allowExchange(server, world, "General");
      const seller = await buyPaid(server, world);
      const [ticketId] = seller.ticketIds;
      const sellerOrder = await orderOfPayment(server, seller.paymentId);
      const door = await pairedDoor(server, world);
      const sellersCode = await server.runtime.services.tickets.qrCode(ticketId!);
      expect(door.scan(sellersCode)).toBe("ADMIT");
      const owned = { total: 1, sold: 1, onExchange: 0, held: 0, available: 0 };
      expect(await dashboardNumbers(server, world)).toEqual({ showing: owned, general: owned });

      // Offered on the exchange, the ticket is still sold (it has an owner), on the exchange, not available again.
      expect((await offer(server, seller.token, ticketId!)).status).toBe(200);
      const offered = { ...owned, onExchange: 1 };
      expect(await dashboardNumbers(server, world)).toEqual({ showing: offered, general: offered });
      const buyer = await startPaidCheckout(server, { showingId: world.showingId, eventId: world.eventId, type: "General" }, 1);
      expect(buyer.ticketIds).toEqual([ticketId]);
      // A buyer's hold on it does not make it an unsold held ticket.
      expect(await dashboardNumbers(server, world)).toEqual({ showing: offered, general: offered });
      // The seller's page still shows their ticket; nothing is refunded before the resale is paid.
      expect((await call(server, "GET", `/api/tickets/${ticketId}/`, seller.token)).body).toMatchObject({ owner: expect.any(String) });
      expect((await resaleFacts(server, ticketId!, sellerOrder.id)).refunds).toEqual([]);
      // While the buyer is on the payment page, the seller cannot take the offer back.
      const busy = await withdraw(server, seller.token, ticketId!);
      expect(busy).toMatchObject({ status: 409, body: { error: { code: "EXCHANGE_IN_PROGRESS" } } });

      const reply = replyFor(server, buyer, ACCEPT);
      expect((await merchantPost(server, reply)).status).toBe(200);
      const buyerOrder = await orderOfPayment(server, buyer.paymentId);
      const facts = await resaleFacts(server, ticketId!, sellerOrder.id);
      expect(facts.ticket).toMatchObject({ ownerId: buyer.userId, qrGeneration: 1, exchangeListedAt: null, holderId: null });
      expect(facts.ticket.amountPaid?.toFixed(2)).toBe("15.00");
      expect(facts.sellerLine.voidReason).toBe("resold");
      expect(facts.sellerLine.refundedAmount.toFixed(2)).toBe("15.00");
      expect(facts.refunds).toHaveLength(1);
      expect(facts.refunds[0]).toMatchObject({ status: "MANUAL", idempotencyKey: `resale:${ticketId}:${buyerOrder.id}`, reason: "Resold on the exchange" });
      expect(facts.refunds[0]!.amount.toFixed(2)).toBe("15.00");
      // Resold: the buyer owns it and nothing is on the exchange any more.
      expect(await dashboardNumbers(server, world)).toEqual({ showing: owned, general: owned });

      // The second delivery of the same result (the browser's) refunds nothing more and mails nobody again.
      const mails = await server.db.prisma.outgoingEmail.count();
      expect(resultOf(server, await browserPost(server, reply)).outcome).toBe("paid");
      expect(await resaleFacts(server, ticketId!, sellerOrder.id)).toEqual(facts);
      expect(await server.db.prisma.outgoingEmail.count()).toBe(mails);

      // The door learns the new generation from the change feed: the seller's code is refused, the buyer's admits.
      const changed = await door.sync();
      expect(changed.find((t) => t.id === ticketId)).toMatchObject({ qrGeneration: 1, valid: true });
      expect(door.scan(sellersCode)).toBe("OLD_QR");
      expect(door.scan(await server.runtime.services.tickets.qrCode(ticketId!))).toBe("ADMIT");

      const sellerMail = await mailsTo(server, seller.username);
      const sold = sellerMail.filter((m) => m.dedupeKey === `refund-requested:${facts.refunds[0]!.id}`);
      expect(sold).toHaveLength(1);
      expect(sold[0]!.subject).toBe("Your ticket sold on the exchange: refund of $15.00");
      expect(sold[0]!.text).toContain("by hand");
      expect(sold[0]!.text).not.toContain("on its way");
      const buyerMail = await mailsTo(server, buyer.username);
      expect(buyerMail.filter((m) => m.dedupeKey === `receipt:${buyerOrder.id}`)).toHaveLength(1);
      // The seller no longer sees the ticket; the buyer does.
      expect((await call(server, "GET", `/api/tickets/${ticketId}/`, seller.token)).status).toBe(404);
      expect((await call(server, "GET", `/api/tickets/${ticketId}/`, buyer.token)).body).toMatchObject({ exchange: { listed_at: null } });
    });

    it("a free ticket changes hands with nothing to refund; the seller is told", async () => {
      const world = await clubWorld(server, { count: 1 });
      await server.db.prisma.ticket.createMany({ data: [{ showingId: world.showingId, type: "Free", price: "0" }] });
      await allowExchange(server, world, "Free");
      const seller = await takeFree(server, world, "Free");
      const [ticketId] = seller.ticketIds;
      const sellerOrder = await server.db.prisma.orderTicket.findFirstOrThrow({ where: { ticketId }, select: { orderId: true } });
      expect((await offer(server, seller.token, ticketId!)).status).toBe(200);

      const buyer = await takeFree(server, world, "Free");
      expect(buyer.ticketIds).toEqual([ticketId]);
      const facts = await resaleFacts(server, ticketId!, sellerOrder.orderId);
      expect(facts.ticket).toMatchObject({ ownerId: buyer.userId, qrGeneration: 1, exchangeListedAt: null });
      expect(facts.sellerLine.voidReason).toBe("resold");
      expect(facts.refunds).toEqual([]);
      const told = (await mailsTo(server, seller.username)).filter((m) => m.subject === "Your ticket sold on the exchange");
      expect(told).toHaveLength(1);
      expect(told[0]!.text).toContain("nothing to pay back");
    });

    it("an offered ticket goes to the showing's waitlist first: held in the waiting student's cart, the seller cannot withdraw it meanwhile", async () => {
      const world = await clubWorld(server, { count: 1 });
      await allowExchange(server, world, "General");
      const seller = await buyPaid(server, world);
      const [ticketId] = seller.ticketIds;
      const waiting = await server.createAccount();
      const waitingToken = await server.tokenFor(waiting.username);
      const joined = await call(server, "POST", `/api/showings/${world.showingId}/waitlist/`, waitingToken, { count: 1 });
      expect(joined.status, JSON.stringify(joined.body)).toBe(200);

      expect((await offer(server, seller.token, ticketId!)).status).toBe(200);
      const ticket = await server.db.prisma.ticket.findUniqueOrThrow({ where: { id: ticketId }, select: { ownerId: true, holderId: true } });
      expect(ticket).toEqual({ ownerId: seller.userId, holderId: waiting.id });
      expect(await server.db.prisma.cartTicket.count({ where: { ticketId, cart: { userId: waiting.id } } })).toBe(1);
      expect(await withdraw(server, seller.token, ticketId!)).toMatchObject({ status: 409, body: { error: { code: "EXCHANGE_IN_PROGRESS" } } });
      // Another student finds nothing to buy while the offer lasts.
      const other = await server.tokenFor((await server.createAccount()).username);
      const add = await call(server, "POST", `/api/events/${world.eventId}/showings/${world.showingId}/add_to_cart/`, other, {
        quantities: [{ type: "General", count: 1 }],
      });
      expect(add.status).toBe(403);
    });

    it("the owner never buys their own offered ticket", async () => {
      const world = await clubWorld(server, { count: 1 });
      await allowExchange(server, world, "General");
      const seller = await buyPaid(server, world);
      expect((await offer(server, seller.token, seller.ticketIds[0]!)).status).toBe(200);
      const add = await call(server, "POST", `/api/events/${world.eventId}/showings/${world.showingId}/add_to_cart/`, seller.token, {
        quantities: [{ type: "General", count: 1 }],
      });
      expect(add.status).toBe(403);
      expect(await server.db.prisma.cartTicket.count({ where: { ticketId: seller.ticketIds[0]! } })).toBe(0);
    });

    it("a late payment never takes the payer's own offered ticket in place of the seat its lapsed hold lost", async () => {
      const world = await clubWorld(server, { count: 2 });
      await allowExchange(server, world, "General");
      const seller = await buyPaid(server, world);
      // The seller starts paying for a second seat; the hold lapses and someone else buys that seat.
      const add = await call(server, "POST", `/api/events/${world.eventId}/showings/${world.showingId}/add_to_cart/`, seller.token, {
        quantities: [{ type: "General", count: 1 }],
      });
      expect(add.status, JSON.stringify(add.body)).toBe(200);
      const second = await call(server, "POST", "/api/tickets/initiate_checkout/", seller.token, {});
      expect(second.status, JSON.stringify(second.body)).toBe(200);
      const params = (second.body as { payment_params: Record<string, string> }).payment_params;
      const payment = await server.db.prisma.payment.findUniqueOrThrow({ where: { transactionUuid: params.transaction_uuid! }, select: { id: true } });
      await expireHolds(server);
      await buyPaid(server, world);
      // Their first seat is now on the exchange, the only General ticket anyone could buy; their payment arrives.
      expect((await offer(server, seller.token, seller.ticketIds[0]!)).status).toBe(200);
      const late = { ...seller, params, paymentId: payment.id } as Attempt;
      const delivered = await browserPost(server, replyFor(server, late, ACCEPT));
      expect(resultOf(server, delivered).outcome).toBe("refund");
      const ticket = await server.db.prisma.ticket.findUniqueOrThrow({ where: { id: seller.ticketIds[0]! }, select: { ownerId: true, exchangeListedAt: true } });
      expect(ticket.ownerId).toBe(seller.userId);
      expect(ticket.exchangeListedAt).not.toBeNull();
    });

    it("the waitlist never offers a seller their own ticket: waiting for another seat, they offer theirs and it stays free", async () => {
      const world = await clubWorld(server, { count: 1 });
      await allowExchange(server, world, "General");
      const seller = await buyPaid(server, world);
      const joined = await call(server, "POST", `/api/showings/${world.showingId}/waitlist/`, seller.token, { count: 1 });
      expect(joined.status, JSON.stringify(joined.body)).toBe(200);
      expect((await offer(server, seller.token, seller.ticketIds[0]!)).status).toBe(200);
      await server.runtime.services.waitlists.offerFreed([world.showingId]);
      const ticket = await server.db.prisma.ticket.findUniqueOrThrow({ where: { id: seller.ticketIds[0]! }, select: { ownerId: true, holderId: true } });
      expect(ticket).toEqual({ ownerId: seller.userId, holderId: null });
      expect(await server.db.prisma.cartTicket.count({ where: { ticketId: seller.ticketIds[0]! } })).toBe(0);
    });
  });

  describe(`the face-value exchange: the seller's refund through the sandbox's REST refund (${backend.kind})`, () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer(backend, { CYBERSOURCE_SANDBOX_REFUNDS: "true" });
    });
    afterAll(async () => server?.close());

    it("goes out at once: PENDING when requested, SUCCEEDED with the processor's id, the seller told it is on its way and then sent", async () => {
      const world = await clubWorld(server, { count: 1, price: "22.50" });
      await allowExchange(server, world, "General");
      const seller = await buyPaid(server, world);
      const [ticketId] = seller.ticketIds;
      const sellerOrder = await orderOfPayment(server, seller.paymentId);
      expect((await offer(server, seller.token, ticketId!)).status).toBe(200);
      const buyer = await buyPaid(server, world);
      expect(buyer.ticketIds).toEqual([ticketId]);

      const facts = await resaleFacts(server, ticketId!, sellerOrder.id);
      expect(facts.ticket).toMatchObject({ ownerId: buyer.userId, qrGeneration: 1 });
      expect(facts.refunds).toHaveLength(1);
      const refund = await server.db.prisma.refund.findUniqueOrThrow({ where: { id: facts.refunds[0]!.id } });
      expect(refund).toMatchObject({ status: "SUCCEEDED", attempts: 1, lastError: null });
      expect(refund.amount.toFixed(2)).toBe("22.50");
      expect(refund.processorRefundId).toMatch(/^\d+$/);
      const mails = await server.db.prisma.outgoingEmail.findMany({
        where: { dedupeKey: { in: [`refund-requested:${refund.id}`, `refund-done:${refund.id}`] } },
      });
      expect(mails.map((m) => m.toAddress).sort()).toEqual([`${seller.username}@example.edu`, `${seller.username}@example.edu`]);
      expect(mails.find((m) => m.dedupeKey?.startsWith("refund-requested"))?.text).toContain("on its way");
      expect(mails.find((m) => m.dedupeKey?.startsWith("refund-done"))?.text).toContain("has been sent");
    });
  });
}
