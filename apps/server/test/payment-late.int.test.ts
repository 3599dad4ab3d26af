import { startFakeRestServer, type FakeRestServer } from "@admit/cybersource/testing";
import { testBackends } from "@admit/db/testing";
import { REFUND_RETRY_AFTER_MS, type UserActor } from "@admit/domain";
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
      expect(state.payment.statusReason).toContain("1 of the 2 tickets were replaced");
      expect(state.owned).toHaveLength(2);
      expect(state.owned.map((t) => t.id)).not.toContain(taken);
      expect(state.owned.map((t) => t.id)).toContain(attempt.ticketIds[1]);
      expect(state.owned.every((t) => t.ownerId === attempt.userId && t.showingId === showcase.showingId && t.type === "General")).toBe(true);
      expect(state.owned.map((t) => t.amountPaid?.toFixed(2))).toEqual(["12.50", "12.50"]);
      expect(await server.db.prisma.ticket.findUniqueOrThrow({ where: { id: taken } })).toMatchObject({ ownerId: other.id });
      // The sold seat does not linger in the buyer's cart, where it would be offered again.
      expect(await server.db.prisma.cartTicket.count({ where: { cart: { userId: attempt.userId } } })).toBe(0);
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
      expect(state.emails).toHaveLength(1);
      expect(state.emails[0]).toMatchObject({ toAddress: `${late.username}@example.edu`, dedupeKey: `refund:${late.paymentId}` });
      expect(state.emails[0]!.text).toContain("$40.00");
      expect(state.emails[0]!.text).toContain(late.reference);
      const rivalHolds = await server.db.prisma.ticket.findMany({ where: { heldForPaymentId: rival.paymentId } });
      expect(rivalHolds).toHaveLength(2);
      expect(await server.runtime.services.payments.retryDueRefunds()).toEqual({ attempted: 0, refunded: 0 });

      // Officers of the club see it; other students cannot.
      const club = await clubOf(server, showcase);
      const attention = await server.runtime.services.payments.needingAttention(actorFor(club.memberships[0]!.user), club.id);
      expect(attention.map((p) => p.id)).toContain(late.paymentId);
      const student = await server.db.prisma.user.findUniqueOrThrow({ where: { id: late.userId } });
      await expect(server.runtime.services.payments.needingAttention(actorFor(student), club.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
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
      const refund = fake.refunds.find((r) => r.paymentId === reply.transaction_id);
      expect(refund?.body).toEqual({
        clientReferenceInformation: { code: late.reference },
        orderInformation: { amountDetails: { totalAmount: "25.00", currency: "USD" } },
      });
      expect(state.payment.refundReference).toBe(refund?.refundId);
      expect(state.emails.map((e) => e.dedupeKey)).toEqual([`refund:${late.paymentId}`]);

      // Delivered again: nothing is refunded twice.
      expect((await merchantPost(server, reply)).status).toBe(200);
      expect(fake.refunds.filter((r) => r.paymentId === reply.transaction_id)).toHaveLength(1);
    });

    it("keeps REFUND_NEEDED when the refund call fails, and the retry job refunds it later, once", async () => {
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
      let state = await paymentState(server, late.paymentId);
      expect(state.payment.status).toBe("REFUND_NEEDED");
      expect(state.payment.statusReason).toContain("automatic refund failed");
      expect(state.emails).toHaveLength(1);

      const payments = server.runtime.services.payments;
      expect(await payments.retryDueRefunds()).toEqual({ attempted: 0, refunded: 0 });
      const buyer = await server.db.prisma.user.findUniqueOrThrow({ where: { id: late.userId } });
      await expect(payments.retryRefund(actorFor(buyer), late.paymentId)).rejects.toMatchObject({ code: "NOT_FOUND" });

      server.clock.advance(REFUND_RETRY_AFTER_MS + 1_000);
      expect(await payments.retryDueRefunds()).toEqual({ attempted: 1, refunded: 1 });
      state = await paymentState(server, late.paymentId);
      expect(state.payment.status).toBe("REFUNDED");
      expect(fake.refunds.filter((r) => r.paymentId === reply.transaction_id)).toHaveLength(1);
      expect(await payments.retryDueRefunds()).toEqual({ attempted: 0, refunded: 0 });
      await expect(payments.retryRefund(await ownerActor(server, showcase), late.paymentId)).rejects.toMatchObject({ code: "CONFLICT" });
    });

    it("an officer can retry a failed refund by hand", async () => {
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
      server.clock.advance(60_000);
      const retried = await server.runtime.services.payments.retryRefund(await ownerActor(server, showcase), late.paymentId);
      expect(retried.status).toBe("REFUNDED");
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
