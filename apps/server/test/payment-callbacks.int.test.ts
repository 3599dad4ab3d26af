import { buildReply, signFields } from "@admit/cybersource";
import { racesRunOn, testBackends } from "@admit/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./harness.ts";
import {
  ACCEPT,
  browserPost,
  merchantPost,
  paidShowing,
  paymentState,
  replyFor,
  resultOf,
  startPaidCheckout,
} from "./payment-fixtures.ts";

for (const backend of testBackends()) {
  describe(`payment results (${backend.kind})`, () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer(backend);
    });
    afterAll(async () => server?.close());

    it("an ACCEPT from the browser assigns the held tickets, empties the cart, records the order and queues its one receipt", async () => {
      const showcase = await paidShowing(server, { price: "15.00" });
      const attempt = await startPaidCheckout(server, showcase, 2);
      const reply = replyFor(server, attempt, ACCEPT);

      const res = await browserPost(server, reply);
      expect(resultOf(server, res)).toEqual({ outcome: "paid", reference: attempt.reference });

      const state = await paymentState(server, attempt.paymentId);
      expect(state.payment).toMatchObject({
        status: "PAID",
        decision: "ACCEPT",
        reasonCode: "100",
        transactionId: reply.transaction_id,
        statusReason: null,
      });
      expect(state.payment.processedAt).toEqual(server.clock.now());
      expect(state.owned.map((t) => t.id).sort()).toEqual([...attempt.ticketIds].sort());
      for (const ticket of state.owned) {
        expect(ticket).toMatchObject({ ownerId: attempt.userId, holderId: null, heldForPaymentId: null });
        expect(ticket.amountPaid?.toFixed(2)).toBe("15.00");
      }
      expect(state.held).toHaveLength(0);
      expect(await server.db.prisma.cartTicket.count({ where: { cart: { userId: attempt.userId } } })).toBe(0);
      const order = await server.db.prisma.order.findUniqueOrThrow({
        where: { paymentId: attempt.paymentId },
        include: { lines: true, tickets: true },
      });
      expect(order).toMatchObject({ reference: attempt.reference, userId: attempt.userId, currency: "USD" });
      expect(order.total.toFixed(2)).toBe("30.00");
      expect(order.lines.map((l) => [l.type, l.count, l.unitPrice.toFixed(2), l.discount.toFixed(2), l.amount.toFixed(2)])).toEqual([
        [showcase.type, 2, "15.00", "0.00", "30.00"],
      ]);
      expect(order.tickets.map((t) => [t.ticketId, t.amountPaid.toFixed(2)]).sort()).toEqual(
        [...attempt.ticketIds].sort().map((id) => [id, "15.00"]),
      );
      // One receipt for the order, with the payment's reference and CyberSource's transaction id.
      expect(state.emails.map((e) => e.dedupeKey)).toEqual([`receipt:${order.id}`]);
      const receipt = await server.db.prisma.outgoingEmail.findUniqueOrThrow({ where: { dedupeKey: `receipt:${order.id}` } });
      expect(receipt.text).toContain(`Reference number: ${attempt.reference}`);
      expect(receipt.text).toContain(`CyberSource transaction id: ${reply.transaction_id}`);
      expect(receipt.text).toContain("Total: $30.00");
      expect(state.replies).toMatchObject([{ channel: "browser", signatureValid: true, decision: "ACCEPT" }]);
    });

    it.skipIf(!racesRunOn(backend))("race on PostgreSQL: the same ACCEPT delivered 5 times at once assigns the tickets once", async () => {
      const showcase = await paidShowing(server, { count: 6 });
      const attempt = await startPaidCheckout(server, showcase, 3);
      const reply = replyFor(server, attempt, ACCEPT);

      const responses = await Promise.all(Array.from({ length: 5 }, () => merchantPost(server, reply)));
      expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
      expect(await Promise.all(responses.map((r) => r.json()))).toEqual(Array(5).fill({ ok: true }));

      const state = await paymentState(server, attempt.paymentId);
      expect(state.payment.status).toBe("PAID");
      expect(state.owned).toHaveLength(3);
      const owned = await server.db.prisma.ticket.count({ where: { showingId: showcase.showingId, ownerId: { not: null } } });
      expect(owned).toBe(3);
      // One order, one receipt.
      expect(await server.db.prisma.order.count({ where: { paymentId: attempt.paymentId } })).toBe(1);
      expect(state.emails).toHaveLength(1);
      expect(state.replies).toHaveLength(5);
      expect(state.replies.every((r) => r.channel === "merchant" && r.signatureValid)).toBe(true);
    });

    it.each([
      ["browser first, then the merchant POST", ["browser", "merchant"]],
      ["the merchant POST first, then the browser", ["merchant", "browser"]],
    ] as const)("%s: processed once, and the browser still lands on the paid page", async (_label, order) => {
      const showcase = await paidShowing(server);
      const attempt = await startPaidCheckout(server, showcase, 2);
      const reply = replyFor(server, attempt, ACCEPT);
      for (const channel of order) {
        const res = channel === "browser" ? await browserPost(server, reply) : await merchantPost(server, reply);
        if (channel === "browser") expect(resultOf(server, res).outcome).toBe("paid");
        else expect(res.status).toBe(200);
      }
      const state = await paymentState(server, attempt.paymentId);
      expect(state.payment.status).toBe("PAID");
      expect(state.owned).toHaveLength(2);
      expect(state.emails.map((e) => e.dedupeKey)).toEqual([expect.stringMatching(/^receipt:/)]);
      expect(state.replies.map((r) => r.channel)).toEqual(order);
    });

    it("refuses a forged reply (our signed request fields plus an unsigned decision=ACCEPT) and records it", async () => {
      const showcase = await paidShowing(server);
      const attempt = await startPaidCheckout(server, showcase, 2);
      const forged = {
        ...attempt.params,
        decision: "ACCEPT",
        reason_code: "100",
        transaction_id: "1234567890123456789012",
        req_transaction_uuid: attempt.params.transaction_uuid!,
        req_reference_number: attempt.params.reference_number!,
        req_amount: attempt.params.amount!,
        req_currency: "USD",
        req_access_key: attempt.params.access_key!,
        req_profile_id: attempt.params.profile_id!,
        req_transaction_type: "sale",
      };
      for (const post of [browserPost, merchantPost]) {
        const res = await post(server, forged);
        expect(res.status).toBe(403);
        // The sender is told why, so a misconfigured profile can be fixed from the answer alone.
        expect(await res.json()).toMatchObject({
          error: {
            code: "PAYMENT_SIGNATURE_INVALID",
            message: "This payment result could not be verified, so nothing was changed.",
            details: { reason: expect.stringContaining("does not sign decision") },
          },
        });
      }
      const state = await paymentState(server, attempt.paymentId);
      expect(state.payment.status).toBe("PENDING");
      expect(state.owned).toHaveLength(0);
      expect(state.held).toHaveLength(2);
      expect(state.emails).toHaveLength(0);
      // Kept for audit as a small record: which fields came and why they were refused, none of their values.
      const refused = { signatureValid: false, decision: null, fields: null, refusal: expect.stringContaining("does not sign decision") };
      expect(state.replies).toMatchObject([
        { channel: "browser", ...refused },
        { channel: "merchant", ...refused },
      ]);
      for (const reply of state.replies) expect(reply.fieldNames).toEqual(expect.arrayContaining(["decision", "req_amount", "signature"]));
    });

    it("refuses a genuine reply whose amount was changed, and one without a signature (400)", async () => {
      const showcase = await paidShowing(server);
      const attempt = await startPaidCheckout(server, showcase, 2);
      const reply = replyFor(server, attempt, ACCEPT);
      const tampered = await merchantPost(server, { ...reply, req_amount: "0.01", auth_amount: "0.01" });
      expect(tampered.status).toBe(403);
      const { signature: _signature, ...unsigned } = reply;
      const missing = await merchantPost(server, unsigned);
      expect(missing.status).toBe(400);
      expect(await missing.json()).toMatchObject({
        error: { code: "VALIDATION_FAILED", message: "The payment result is missing signature, so nothing was changed." },
      });
      const refusal = await server.db.prisma.paymentReply.findFirstOrThrow({ where: { paymentId: attempt.paymentId, refusal: { startsWith: "missing" } } });
      expect(refusal.refusal).toBe("missing signature");
      const empty = await merchantPost(server, { ...reply, signature: "" });
      expect(await empty.json()).toMatchObject({ error: { code: "VALIDATION_FAILED", message: "The payment result is missing signature, so nothing was changed." } });
      const duplicated = await fetch(`${server.url}/api/tickets/payment_notification/`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: `${new URLSearchParams(reply).toString()}&decision=DECLINE`,
      });
      expect(duplicated.status).toBe(403);

      const state = await paymentState(server, attempt.paymentId);
      expect(state.payment.status).toBe("PENDING");
      expect(state.owned).toHaveLength(0);
      // The changed amount, the two without a signature and the duplicated field: each recorded, none applied.
      expect(state.replies.map((r) => r.signatureValid)).toEqual([false, false, false, false]);
    });

    it("answers 404 for a correctly signed result of an attempt we never made, changing nothing", async () => {
      const showcase = await paidShowing(server);
      const attempt = await startPaidCheckout(server, showcase, 1);
      const stranger = buildReply(
        server.runtime.config.cybersource.profile,
        { ...attempt.params, transaction_uuid: "not-ours", reference_number: "not-ours" },
        ACCEPT,
        server.clock.now(),
      );
      const res = await merchantPost(server, stranger);
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({
        error: { code: "NOT_FOUND", message: "The checkout this payment result is for was not found." },
      });
      expect((await paymentState(server, attempt.paymentId)).payment.status).toBe("PENDING");
      const recorded = await server.db.prisma.paymentReply.findMany({ where: { paymentId: null, decision: "ACCEPT" } });
      expect(recorded.some((r) => (r.fields as Record<string, string>).req_transaction_uuid === "not-ours")).toBe(true);
    });

    it("a signed result for another amount, or a partial approval, assigns nothing and puts the attempt up for review", async () => {
      const showcase = await paidShowing(server);
      const profile = server.runtime.config.cybersource.profile;
      const first = await startPaidCheckout(server, showcase, 2);
      const otherAmount = buildReply(profile, { ...first.params, amount: "1.00" }, ACCEPT, server.clock.now());
      const res = await merchantPost(server, otherAmount);
      expect(res.status).toBe(409);
      expect(await res.json()).toMatchObject({ error: { code: "PAYMENT_MISMATCH" } });
      let state = await paymentState(server, first.paymentId);
      expect(state.payment.status).toBe("REVIEW");
      expect(state.payment.statusReason).toContain("1.00 USD");
      expect(state.owned).toHaveLength(0);

      const second = await startPaidCheckout(server, showcase, 2);
      const partial = replyFor(server, second, { decision: "ACCEPT", reasonCode: "110", authAmount: "10.00" });
      expect((await browserPost(server, partial)).status).toBe(409);
      state = await paymentState(server, second.paymentId);
      expect(state.payment.status).toBe("REVIEW");
      expect(state.payment.statusReason).toContain("partial approval");
      expect(state.owned).toHaveLength(0);
    });

    it("a DECLINE ends only that attempt and frees only its holds; a later ACCEPT for it is still honoured", async () => {
      const showcase = await paidShowing(server, { count: 6 });
      const mine = await startPaidCheckout(server, showcase, 2);
      const theirs = await startPaidCheckout(server, showcase, 2);

      const declined = await browserPost(server, replyFor(server, mine, { decision: "DECLINE", reasonCode: "203" }));
      expect(resultOf(server, declined)).toEqual({ outcome: "declined", reference: mine.reference });
      const state = await paymentState(server, mine.paymentId);
      expect(state.payment).toMatchObject({ status: "DECLINED", decision: "DECLINE", reasonCode: "203" });
      expect(state.held).toHaveLength(0);
      const freed = await server.db.prisma.ticket.findMany({ where: { id: { in: mine.ticketIds } } });
      expect(freed.every((t) => t.holderId === null && t.ownerId === null)).toBe(true);
      const stillHeld = await server.db.prisma.ticket.findMany({ where: { id: { in: theirs.ticketIds } } });
      expect(stillHeld.every((t) => t.holderId === theirs.userId && t.heldForPaymentId === theirs.paymentId)).toBe(true);

      // The hosted page lets the buyer retry another card: DECLINE, then ACCEPT for the same attempt.
      const accepted = await merchantPost(server, replyFor(server, mine, ACCEPT));
      expect(accepted.status).toBe(200);
      const after = await paymentState(server, mine.paymentId);
      expect(after.payment.status).toBe("PAID");
      expect(after.owned.map((t) => t.id).sort()).toEqual([...mine.ticketIds].sort());
      expect((await paymentState(server, theirs.paymentId)).payment.status).toBe("PENDING");
    });

    it("a CANCEL ends the attempt and frees its holds; a repeated DECLINE afterwards changes nothing", async () => {
      const showcase = await paidShowing(server);
      const attempt = await startPaidCheckout(server, showcase, 2);
      const cancelled = await browserPost(server, replyFor(server, attempt, { decision: "CANCEL", reasonCode: "" }));
      expect(resultOf(server, cancelled).outcome).toBe("cancelled");
      const again = await browserPost(server, replyFor(server, attempt, { decision: "DECLINE", reasonCode: "203" }));
      expect(resultOf(server, again).outcome).toBe("cancelled");
      const state = await paymentState(server, attempt.paymentId);
      expect(state.payment.status).toBe("CANCELLED");
      expect(state.held).toHaveLength(0);
    });

    it("REVIEW never assigns: the tickets stay held until a later ACCEPT settles it", async () => {
      const showcase = await paidShowing(server);
      const attempt = await startPaidCheckout(server, showcase, 2);
      const review = await browserPost(server, replyFor(server, attempt, { decision: "REVIEW", reasonCode: "230" }));
      expect(resultOf(server, review).outcome).toBe("review");
      let state = await paymentState(server, attempt.paymentId);
      expect(state.payment.status).toBe("REVIEW");
      expect(state.payment.statusReason).toContain("review");
      expect(state.owned).toHaveLength(0);
      expect(state.held).toHaveLength(2);
      expect(state.emails).toHaveLength(0);

      expect((await merchantPost(server, replyFor(server, attempt, ACCEPT))).status).toBe(200);
      state = await paymentState(server, attempt.paymentId);
      expect(state.payment.status).toBe("PAID");
      expect(state.owned).toHaveLength(2);
    });

    it.each([
      ["REVIEW", "review", "230", "REVIEW", 2],
      ["DECLINE", "declined", "203", "DECLINED", 0],
      ["CANCEL", "cancelled", "", "CANCELLED", 0],
      ["ERROR", "error", "150", "ERROR", 0],
    ] as const)("%s: the browser lands on the %s page, and the same result delivered again reports it unchanged", async (decision, outcome, reasonCode, status, held) => {
      const showcase = await paidShowing(server);
      const attempt = await startPaidCheckout(server, showcase, 2);
      const reply = replyFor(server, attempt, { decision, reasonCode });
      const first = await browserPost(server, reply);
      expect(resultOf(server, first)).toEqual({ outcome, reference: attempt.reference });
      const processedAt = server.clock.now();
      const state = await paymentState(server, attempt.paymentId);
      expect(state.payment).toMatchObject({ status, decision, reasonCode, transactionId: reply.transaction_id, processedAt });
      expect(state.held).toHaveLength(held);
      expect(state.owned).toHaveLength(0);

      // The merchant POST and a reloaded receipt page arrive later: same page, and the attempt keeps its first result.
      server.clock.advance(60_000);
      expect((await merchantPost(server, reply)).status).toBe(200);
      expect(resultOf(server, await browserPost(server, reply))).toEqual({ outcome, reference: attempt.reference });
      const again = await paymentState(server, attempt.paymentId);
      expect(again.payment).toMatchObject({ status, decision, reasonCode, processedAt, statusReason: state.payment.statusReason });
      expect(again.held).toHaveLength(held);
      expect(again.replies.map((r) => r.channel)).toEqual(["browser", "merchant", "browser"]);
    });

    it("a reply signed with another secret is refused", async () => {
      const showcase = await paidShowing(server);
      const attempt = await startPaidCheckout(server, showcase, 1);
      const reply = replyFor(server, attempt, ACCEPT);
      const resigned = { ...reply, signature: signFields(reply, "not-the-secret") };
      const res = await merchantPost(server, resigned);
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ error: { code: "PAYMENT_SIGNATURE_INVALID", details: { reason: "signature mismatch" } } });
      expect((await paymentState(server, attempt.paymentId)).payment.status).toBe("PENDING");
    });
  });
}
