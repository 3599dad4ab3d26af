import { buildReply } from "@admit/cybersource";
import { testBackends } from "@admit/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./harness.ts";
import { ACCEPT, browserPost, merchantPost, paidShowing, paymentState, replyFor, startPaidCheckout } from "./payment-fixtures.ts";

const MISMATCH_MESSAGE =
  "This payment does not match the checkout it is for, so no tickets were issued. Our officers will review it; please contact the club.";

for (const backend of testBackends()) {
  describe(`payment results that do not match their attempt (${backend.kind})`, () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer(backend);
    });
    afterAll(async () => server?.close());

    it("a signed ACCEPT in another currency for the same amount assigns nothing and puts the attempt up for review", async () => {
      const showcase = await paidShowing(server, { price: "15.00" });
      const attempt = await startPaidCheckout(server, showcase, 2);
      expect(attempt.params.currency).toBe("USD");
      const profile = server.runtime.config.cybersource.profile;
      const inEuros = buildReply(profile, { ...attempt.params, currency: "EUR" }, ACCEPT, server.clock.now());
      expect(inEuros.req_amount).toBe(attempt.params.amount);

      const res = await merchantPost(server, inEuros);
      expect(res.status).toBe(409);
      expect(await res.json()).toMatchObject({
        error: { code: "PAYMENT_MISMATCH", message: MISMATCH_MESSAGE, details: { reference: attempt.reference } },
      });
      const state = await paymentState(server, attempt.paymentId);
      expect(state.payment.status).toBe("REVIEW");
      // Officers read both sides: what was paid and what the checkout asked for.
      expect(state.payment.statusReason).toBe("Needs review: the payment result is for 30.00 EUR, but this checkout was for 30.00 USD.");
      expect(state.owned).toHaveLength(0);
      // The attempt's own holds stay until they expire like any hold; nothing was sold.
      expect(state.held.map((t) => t.id).sort()).toEqual([...attempt.ticketIds].sort());

      // The same reply from the browser changes nothing more.
      expect((await browserPost(server, inEuros)).status).toBe(409);
      const again = await paymentState(server, attempt.paymentId);
      expect(again.payment.status).toBe("REVIEW");
      expect(again.owned).toHaveLength(0);
    });

    it("a signed ACCEPT for another amount says both amounts", async () => {
      const showcase = await paidShowing(server, { price: "15.00" });
      const attempt = await startPaidCheckout(server, showcase, 2);
      const profile = server.runtime.config.cybersource.profile;
      const other = buildReply(profile, { ...attempt.params, amount: "12.00", currency: "EUR" }, ACCEPT, server.clock.now());
      expect((await merchantPost(server, other)).status).toBe(409);
      const state = await paymentState(server, attempt.paymentId);
      expect(state.payment).toMatchObject({
        status: "REVIEW",
        statusReason: "Needs review: the payment result is for 12.00 EUR, but this checkout was for 30.00 USD.",
      });
    });

    it("a partial approval that does not say how much was approved is held for review as an unknown amount", async () => {
      const showcase = await paidShowing(server, { price: "15.00" });
      const attempt = await startPaidCheckout(server, showcase, 2);
      const partial = replyFor(server, attempt, { decision: "ACCEPT", reasonCode: "110", authAmount: "" });
      const res = await browserPost(server, partial);
      expect(res.status).toBe(409);
      expect(await res.json()).toMatchObject({ error: { code: "PAYMENT_MISMATCH", details: { reference: attempt.reference } } });
      const state = await paymentState(server, attempt.paymentId);
      expect(state.payment).toMatchObject({
        status: "REVIEW",
        statusReason:
          "Needs review: the card issuer approved an unknown amount of 30.00 USD (partial approval, reason 110). Refund or complete it in the Business Center.",
      });
      expect(state.owned).toHaveLength(0);
    });

    it("a mismatching result for an attempt already paid is refused (409) and leaves it paid, with its tickets", async () => {
      const showcase = await paidShowing(server, { price: "15.00" });
      const attempt = await startPaidCheckout(server, showcase, 2);
      expect((await merchantPost(server, replyFor(server, attempt, ACCEPT))).status).toBe(200);
      const paidAt = server.clock.now();
      server.clock.advance(60_000);

      const profile = server.runtime.config.cybersource.profile;
      const other = buildReply(profile, { ...attempt.params, amount: "1.00" }, ACCEPT, server.clock.now());
      const res = await merchantPost(server, other);
      expect(res.status).toBe(409);
      expect(await res.json()).toMatchObject({
        error: { code: "PAYMENT_MISMATCH", message: MISMATCH_MESSAGE, details: { reference: attempt.reference } },
      });
      const state = await paymentState(server, attempt.paymentId);
      expect(state.payment).toMatchObject({ status: "PAID", decision: "ACCEPT", statusReason: null, processedAt: paidAt });
      expect(state.owned.map((t) => t.id).sort()).toEqual([...attempt.ticketIds].sort());
      expect(state.replies).toHaveLength(2);
    });
  });
}
