import { startFakeRestServer, type FakeRestServer } from "@admit/cybersource/testing";
import { createTickets } from "@admit/db/factories";
import { testBackends } from "@admit/db/testing";
import type { UserActor } from "@admit/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./harness.ts";
import {
  ACCEPT,
  browserPost,
  expireHolds,
  merchantPost,
  paidShowing,
  paymentState,
  replyFor,
  resultOf,
  startPaidCheckout,
  type Attempt,
  type Showcase,
} from "./payment-fixtures.ts";

/** Someone else checks out every ticket left, so a late ACCEPT for `late` finds none. */
async function sellOutTo(server: TestServer, showcase: Showcase, count: number): Promise<Attempt> {
  return startPaidCheckout(server, showcase, count);
}

async function clubOf(server: TestServer, showcase: Showcase) {
  const showing = await server.db.prisma.showing.findUniqueOrThrow({
    where: { id: showcase.showingId },
    select: { event: { select: { club: { select: { id: true, memberships: { select: { user: true } } } } } } },
  });
  return showing.event.club;
}

function actorFor(user: { id: string; username: string; fullName: string; email: string }): UserActor {
  const { id, ...rest } = user;
  return { kind: "user", userId: id, ...rest, isSiteAdmin: false, sessionId: "test" };
}

async function ownerActor(server: TestServer, showcase: Showcase): Promise<UserActor> {
  return actorFor((await clubOf(server, showcase)).memberships[0]!.user);
}

/** The order a late payment left (lines, no tickets), its refunds, and the e-mails about them. */
async function lateOrder(server: TestServer, paymentId: string) {
  const prisma = server.db.prisma;
  const order = await prisma.order.findUniqueOrThrow({
    where: { paymentId },
    select: { id: true, total: true, lines: true, tickets: true, refunds: { orderBy: { clubId: "asc" } } },
  });
  const refundKeys = order.refunds.flatMap((r) => [`refund-requested:${r.id}`, `refund-done:${r.id}`]);
  // Requested first, done after: in the order of the keys (e-mail ids are random).
  const found = await prisma.outgoingEmail.findMany({ where: { dedupeKey: { in: refundKeys } } });
  const buyerEmails = refundKeys.flatMap((key) => found.filter((e) => e.dedupeKey === key));
  const officerEmails = await prisma.outgoingEmail.findMany({ where: { dedupeKey: { startsWith: `late-payment-officer:${paymentId}:` } } });
  return { order, refunds: order.refunds, buyerEmails, officerEmails };
}

for (const backend of testBackends()) {
  describe(`late payments (${backend.kind})`, () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer(backend);
    });
    afterAll(async () => server?.close());

    it("an ACCEPT after the hold expired still gets the same tickets when nobody took them", async () => {
      const showcase = await paidShowing(server, { count: 4 });
      const attempt = await startPaidCheckout(server, showcase, 2);
      await expireHolds(server);
      expect((await paymentState(server, attempt.paymentId)).payment.status).toBe("EXPIRED");

      const res = await browserPost(server, replyFor(server, attempt, ACCEPT));
      expect(resultOf(server, res)).toEqual({ outcome: "paid", reference: attempt.reference });
      const state = await paymentState(server, attempt.paymentId);
      expect(state.payment).toMatchObject({ status: "PAID", statusReason: null });
      expect(state.owned.map((t) => t.id).sort()).toEqual([...attempt.ticketIds].sort());
      expect(state.emails.map((e) => e.dedupeKey)).toEqual([expect.stringMatching(/^receipt:/)]);
    });

    it("an ACCEPT after the hold expired gets other tickets of the same showing and type when its own were sold", async () => {
      const showcase = await paidShowing(server, { count: 5, price: "12.50" });
      const attempt = await startPaidCheckout(server, showcase, 2);
      await expireHolds(server);
      const [taken] = attempt.ticketIds;
      const other = await server.createAccount();
      await server.db.prisma.ticket.update({ where: { id: taken }, data: { ownerId: other.id } });

      const res = await merchantPost(server, replyFor(server, attempt, ACCEPT));
      expect(res.status).toBe(200);
      const state = await paymentState(server, attempt.paymentId);
      expect(state.payment.status).toBe("PAID");
      expect(state.payment.statusReason).toBe(
        "Paid after the hold ended; 1 of the 2 tickets were replaced by free tickets of the same showing and type.",
      );
      expect(state.owned).toHaveLength(2);
      expect(state.owned.map((t) => t.id)).not.toContain(taken);
      expect(state.owned.map((t) => t.id)).toContain(attempt.ticketIds[1]);
      expect(state.owned.every((t) => t.ownerId === attempt.userId && t.showingId === showcase.showingId && t.type === "General")).toBe(true);
      expect(state.owned.map((t) => t.amountPaid?.toFixed(2))).toEqual(["12.50", "12.50"]);
      expect(await server.db.prisma.ticket.findUniqueOrThrow({ where: { id: taken } })).toMatchObject({ ownerId: other.id });
      // The sold seat does not linger in the buyer's cart, where it would be offered again.
      expect(await server.db.prisma.cartTicket.count({ where: { cart: { userId: attempt.userId } } })).toBe(0);
    });

    it("an ACCEPT after the hold expired for two ticket types of a showing gets both, each at its own price", async () => {
      const showcase = await paidShowing(server, { count: 3, price: "10.00" });
      await createTickets(server.db.prisma, showcase.showingId, { type: "Balcony", count: 3, price: "25.00" });
      const buyer = await server.createAccount();
      const token = await server.tokenFor(buyer.username);
      const added = await fetch(`${server.url}/api/events/${showcase.eventId}/showings/${showcase.showingId}/add_to_cart/`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ quantities: [{ type: "General", count: 2 }, { type: "Balcony", count: 1 }] }),
      });
      expect(added.status).toBe(200);
      const started = await fetch(`${server.url}/api/tickets/initiate_checkout/`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: "{}",
      });
      const params = ((await started.json()) as { payment_params: Record<string, string> }).payment_params;
      expect(params.amount).toBe("45.00");
      const payment = await server.db.prisma.payment.findUniqueOrThrow({ where: { transactionUuid: params.transaction_uuid } });
      await expireHolds(server);
      const attempt: Attempt = { userId: buyer.id, username: buyer.username, token, params, url: "", paymentId: payment.id, reference: payment.referenceNumber, ticketIds: [] };

      const res = await browserPost(server, replyFor(server, attempt, ACCEPT));
      expect(resultOf(server, res)).toEqual({ outcome: "paid", reference: attempt.reference });
      const state = await paymentState(server, attempt.paymentId);
      expect(state.payment).toMatchObject({ status: "PAID", statusReason: null });
      expect(state.owned.map((t) => [t.type, t.amountPaid?.toFixed(2), t.ownerId]).sort()).toEqual([
        ["Balcony", "25.00", buyer.id],
        ["General", "10.00", buyer.id],
        ["General", "10.00", buyer.id],
      ]);
    });

    it("an ACCEPT for a superseded attempt is honoured with free tickets, leaving the newer attempt's holds alone", async () => {
      const showcase = await paidShowing(server, { count: 6 });
      const first = await startPaidCheckout(server, showcase, 2);
      const addOne = await fetch(`${server.url}/api/events/${showcase.eventId}/showings/${showcase.showingId}/add_to_cart/`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${first.token}` },
        body: JSON.stringify({ quantities: [{ type: "General", count: 1 }] }),
      });
      expect(addOne.status).toBe(200);
      const restart = await fetch(`${server.url}/api/tickets/initiate_checkout/`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${first.token}` },
        body: "{}",
      });
      const second = ((await restart.json()) as { payment_params: Record<string, string> }).payment_params;
      expect(second.transaction_uuid).not.toBe(first.params.transaction_uuid);
      expect((await paymentState(server, first.paymentId)).payment.status).toBe("SUPERSEDED");
      const newer = await server.db.prisma.payment.findUniqueOrThrow({ where: { transactionUuid: second.transaction_uuid } });

      expect((await merchantPost(server, replyFor(server, first, ACCEPT))).status).toBe(200);
      expect((await paymentState(server, first.paymentId)).payment.status).toBe("PAID");
      expect((await paymentState(server, first.paymentId)).owned).toHaveLength(2);
      const newerState = await paymentState(server, newer.id);
      expect(newerState.payment.status).toBe("PENDING");
      expect(newerState.held).toHaveLength(3);
    });

    it("without REST keys, an ACCEPT with no tickets left becomes REFUND_NEEDED and the buyer is told once", async () => {
      const showcase = await paidShowing(server, { count: 2, price: "20.00" });
      const late = await startPaidCheckout(server, showcase, 2);
      await expireHolds(server);
      const rival = await sellOutTo(server, showcase, 2);

      const reply = replyFor(server, late, ACCEPT);
      const res = await browserPost(server, reply);
      expect(resultOf(server, res)).toEqual({ outcome: "refund", reference: late.reference });
      expect((await merchantPost(server, reply)).status).toBe(200);

      const state = await paymentState(server, late.paymentId);
      expect(state.payment).toMatchObject({ status: "REFUND_NEEDED", transactionId: reply.transaction_id });
      expect(state.payment.statusReason).toContain("owed back");
      expect(state.owned).toHaveLength(0);
      const rivalHolds = await server.db.prisma.ticket.findMany({ where: { heldForPaymentId: rival.paymentId } });
      expect(rivalHolds).toHaveLength(2);

      // An order with its lines and no tickets, and one MANUAL refund of the whole amount for the club to do.
      const club = await clubOf(server, showcase);
      const late1 = await lateOrder(server, late.paymentId);
      expect(late1.order.total.toFixed(2)).toBe("40.00");
      expect(late1.order.lines.map((l) => [l.showingId, l.count, l.amount.toFixed(2)])).toEqual([[showcase.showingId, 2, "40.00"]]);
      expect(late1.order.tickets).toHaveLength(0);
      expect(late1.refunds.map((r) => [r.clubId, r.amount.toFixed(2), r.status, r.requestedById])).toEqual([[club.id, "40.00", "MANUAL", null]]);

      // The buyer is told the truth, once: the club refunds it by hand, and another e-mail follows.
      expect(late1.buyerEmails).toHaveLength(1);
      expect(late1.buyerEmails[0]).toMatchObject({ toAddress: `${late.username}@example.edu` });
      expect(late1.buyerEmails[0]!.text).toContain("$40.00");
      expect(late1.buyerEmails[0]!.text).toContain(late.reference);
      expect(late1.buyerEmails[0]!.text).toContain("by hand");
      expect(late1.buyerEmails[0]!.text).not.toContain("automatically");
      // Every officer of the club is e-mailed, once, with what to do.
      expect(late1.officerEmails.map((e) => e.toAddress).sort()).toEqual(club.memberships.map((m) => m.user.email).sort());
      expect(late1.officerEmails[0]!.text).toContain("Business Center");
      expect(await server.runtime.services.refunds.processDue()).toEqual({ attempted: 0, succeeded: 0 });

      // Officers of the club see the payment and its task; other students cannot.
      const owner = actorFor(club.memberships[0]!.user);
      const attention = await server.runtime.services.refunds.attention(owner, club.id);
      expect(attention.refundNeeded.map((p) => p.paymentId)).toContain(late.paymentId);
      expect(attention.tasks.map((t) => t.id)).toContain(late1.refunds[0]!.id);
      const student = await server.db.prisma.user.findUniqueOrThrow({ where: { id: late.userId } });
      await expect(server.runtime.services.refunds.attention(actorFor(student), club.id)).rejects.toMatchObject({ code: "NOT_FOUND" });

      // Marked done: the payment is REFUNDED and the buyer hears it.
      await server.runtime.services.refunds.markDone(owner, late1.refunds[0]!.id);
      expect((await paymentState(server, late.paymentId)).payment.status).toBe("REFUNDED");
      expect((await lateOrder(server, late.paymentId)).buyerEmails.map((e) => e.dedupeKey)).toEqual([
        `refund-requested:${late1.refunds[0]!.id}`,
        `refund-done:${late1.refunds[0]!.id}`,
      ]);
    });

    it("an ACCEPT after the hold expired does not take tickets of a type whose sales were paused meanwhile", async () => {
      const showcase = await paidShowing(server, { count: 2, price: "7.00" });
      const attempt = await startPaidCheckout(server, showcase, 2);
      await expireHolds(server);
      await server.db.prisma.ticket.updateMany({ where: { showingId: showcase.showingId, type: showcase.type }, data: { salesPaused: true } });

      const res = await browserPost(server, replyFor(server, attempt, ACCEPT));
      expect(resultOf(server, res)).toEqual({ outcome: "refund", reference: attempt.reference });
      const state = await paymentState(server, attempt.paymentId);
      expect(state.payment.status).toBe("REFUND_NEEDED");
      expect(state.owned).toHaveLength(0);
    });

    it("an ACCEPT arriving after the showing ended gets no tickets, even under its live hold, and is owed back", async () => {
      const showcase = await paidShowing(server, { count: 2, price: "9.00" });
      const attempt = await startPaidCheckout(server, showcase, 2);
      // The showing ends two minutes into the ten-minute hold; the buyer pays a minute later.
      const endTime = new Date(server.clock.now().getTime() + 2 * 60_000);
      await server.db.prisma.showing.update({ where: { id: showcase.showingId }, data: { startTime: new Date(endTime.getTime() - 60 * 60_000), endTime } });
      server.clock.advance(3 * 60_000);
      expect((await paymentState(server, attempt.paymentId)).payment.status).toBe("PENDING");

      const res = await browserPost(server, replyFor(server, attempt, ACCEPT));
      expect(resultOf(server, res)).toEqual({ outcome: "refund", reference: attempt.reference });
      const state = await paymentState(server, attempt.paymentId);
      expect(state.payment.status).toBe("REFUND_NEEDED");
      expect(state.owned).toHaveLength(0);
      const late = await lateOrder(server, attempt.paymentId);
      expect(late.order.tickets).toHaveLength(0);
      expect(late.refunds.map((r) => [r.amount.toFixed(2), r.status])).toEqual([["18.00", "MANUAL"]]);
    });

    it("a late payment for two clubs' showings owes each club its share, and is REFUNDED only when both are done", async () => {
      const first = await paidShowing(server, { count: 1, price: "10.00" });
      const second = await paidShowing(server, { count: 1, price: "6.50" });
      const buyer = await server.createAccount();
      const token = await server.tokenFor(buyer.username);
      for (const showcase of [first, second]) {
        const added = await fetch(`${server.url}/api/events/${showcase.eventId}/showings/${showcase.showingId}/add_to_cart/`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
          body: JSON.stringify({ quantities: [{ type: "General", count: 1 }] }),
        });
        expect(added.status).toBe(200);
      }
      const started = await fetch(`${server.url}/api/tickets/initiate_checkout/`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: "{}",
      });
      const params = ((await started.json()) as { payment_params: Record<string, string> }).payment_params;
      const payment = await server.db.prisma.payment.findUniqueOrThrow({ where: { transactionUuid: params.transaction_uuid } });
      await expireHolds(server);
      await sellOutTo(server, first, 1);
      await sellOutTo(server, second, 1);
      const attempt: Attempt = { userId: buyer.id, username: buyer.username, token, params, url: "", paymentId: payment.id, reference: payment.referenceNumber, ticketIds: [] };
      expect((await merchantPost(server, replyFor(server, attempt, ACCEPT))).status).toBe(200);

      const clubs = [await clubOf(server, first), await clubOf(server, second)];
      const { refunds } = await lateOrder(server, payment.id);
      expect(refunds.map((r) => [r.clubId, r.amount.toFixed(2), r.status])).toEqual([
        [clubs[0]!.id, "10.00", "MANUAL"],
        [clubs[1]!.id, "6.50", "MANUAL"],
      ]);
      await server.runtime.services.refunds.markDone(actorFor(clubs[0]!.memberships[0]!.user), refunds[0]!.id);
      expect((await paymentState(server, payment.id)).payment.status).toBe("REFUND_NEEDED");
      // One club's officer cannot mark the other club's share.
      await expect(server.runtime.services.refunds.markDone(actorFor(clubs[0]!.memberships[0]!.user), refunds[1]!.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
      await server.runtime.services.refunds.markDone(actorFor(clubs[1]!.memberships[0]!.user), refunds[1]!.id);
      expect((await paymentState(server, payment.id)).payment.status).toBe("REFUNDED");
    });
  });

  describe(`refunds through the CyberSource REST API (${backend.kind})`, () => {
    let server: TestServer;
    let fake: FakeRestServer;
    beforeAll(async () => {
      fake = await startFakeRestServer();
      server = await startTestServer(backend, {
        CYBERSOURCE_REST_HOST: fake.url,
        CYBERSOURCE_MERCHANT_ID: fake.credentials.merchantId,
        CYBERSOURCE_REST_KEY_ID: fake.credentials.keyId,
        CYBERSOURCE_REST_SECRET: fake.credentials.sharedSecret,
      });
    });
    afterAll(async () => {
      await server?.close();
      await fake?.close();
    });

    it("refunds a late ACCEPT that cannot get tickets (REFUNDED) and e-mails the buyer", async () => {
      const showcase = await paidShowing(server, { count: 1, price: "25.00" });
      const late = await startPaidCheckout(server, showcase, 1);
      await expireHolds(server);
      await sellOutTo(server, showcase, 1);

      const reply = replyFor(server, late, ACCEPT);
      const res = await browserPost(server, reply);
      expect(resultOf(server, res).outcome).toBe("refund");
      const state = await paymentState(server, late.paymentId);
      expect(state.payment.status).toBe("REFUNDED");
      expect(state.payment.refundedAt).toEqual(server.clock.now());
      const { refunds, buyerEmails } = await lateOrder(server, late.paymentId);
      expect(refunds).toHaveLength(1);
      const refund = fake.refunds.find((r) => r.paymentId === reply.transaction_id);
      // Our refund id is the client reference, so a retry after a lost answer is recognisable.
      expect(refund?.body).toEqual({
        clientReferenceInformation: { code: refunds[0]!.id },
        orderInformation: { amountDetails: { totalAmount: "25.00", currency: "USD" } },
      });
      expect(refunds[0]).toMatchObject({ status: "SUCCEEDED", processorRefundId: refund?.refundId, attempts: 1, lastError: null });
      expect(state.payment.refundReference).toBe(refund?.refundId);
      expect(buyerEmails.map((e) => e.dedupeKey)).toEqual([`refund-requested:${refunds[0]!.id}`, `refund-done:${refunds[0]!.id}`]);
      expect(buyerEmails[0]!.text).toContain("on its way");

      // Delivered again: nothing is refunded twice.
      expect((await merchantPost(server, reply)).status).toBe(200);
      expect(fake.refunds.filter((r) => r.paymentId === reply.transaction_id)).toHaveLength(1);
    });

    it("keeps REFUND_NEEDED when the refund call fails, and the job sends it after its backoff, once", async () => {
      const showcase = await paidShowing(server, { count: 1, price: "30.00" });
      const late = await startPaidCheckout(server, showcase, 1);
      await expireHolds(server);
      await sellOutTo(server, showcase, 1);

      fake.failing = true;
      const reply = replyFor(server, late, ACCEPT);
      try {
        expect((await merchantPost(server, reply)).status).toBe(200);
      } finally {
        fake.failing = false;
      }
      const state = await paymentState(server, late.paymentId);
      expect(state.payment.status).toBe("REFUND_NEEDED");
      const [refund] = (await lateOrder(server, late.paymentId)).refunds;
      expect(refund).toMatchObject({ status: "PENDING", attempts: 1 });
      expect(refund!.lastError).toContain("CyberSource answered 502");
      expect(refund!.nextAttemptAt).toEqual(new Date(server.clock.now().getTime() + 60_000));

      const refundsService = server.runtime.services.refunds;
      expect(await refundsService.processDue()).toEqual({ attempted: 0, succeeded: 0 });
      const buyer = await server.db.prisma.user.findUniqueOrThrow({ where: { id: late.userId } });
      await expect(refundsService.retryNow(actorFor(buyer), refund!.id)).rejects.toMatchObject({ code: "NOT_FOUND" });

      server.clock.advance(61_000);
      expect(await refundsService.processDue()).toEqual({ attempted: 1, succeeded: 1 });
      expect((await paymentState(server, late.paymentId)).payment.status).toBe("REFUNDED");
      expect(fake.refunds.filter((r) => r.paymentId === reply.transaction_id)).toHaveLength(1);
      expect(await refundsService.processDue()).toEqual({ attempted: 0, succeeded: 0 });
      await expect(refundsService.retryNow(await ownerActor(server, showcase), refund!.id)).rejects.toMatchObject({ code: "CONFLICT" });
    });

    it("an officer can retry a failing refund by hand", async () => {
      const showcase = await paidShowing(server, { count: 1, price: "9.99" });
      const late = await startPaidCheckout(server, showcase, 1);
      await expireHolds(server);
      await sellOutTo(server, showcase, 1);
      fake.failing = true;
      try {
        expect((await merchantPost(server, replyFor(server, late, ACCEPT))).status).toBe(200);
      } finally {
        fake.failing = false;
      }
      expect((await paymentState(server, late.paymentId)).payment.status).toBe("REFUND_NEEDED");
      const [refund] = (await lateOrder(server, late.paymentId)).refunds;
      server.clock.advance(31_000);
      const retried = await server.runtime.services.refunds.retryNow(await ownerActor(server, showcase), refund!.id);
      expect(retried.status).toBe("SUCCEEDED");
      expect((await paymentState(server, late.paymentId)).payment.status).toBe("REFUNDED");
    });

    it("a late ACCEPT that can still get tickets is not refunded", async () => {
      const showcase = await paidShowing(server, { count: 3 });
      const late = await startPaidCheckout(server, showcase, 1);
      await expireHolds(server);
      const before = fake.refunds.length;
      expect((await merchantPost(server, replyFor(server, late, ACCEPT))).status).toBe(200);
      expect((await paymentState(server, late.paymentId)).payment.status).toBe("PAID");
      expect(fake.refunds.length).toBe(before);
    });
  });
}
