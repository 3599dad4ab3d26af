import { buildReply } from "@admit/cybersource";
import { testBackends } from "@admit/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./harness.ts";
import { ACCEPT, browserPost, merchantPost, paidShowing, paymentState, startPaidCheckout } from "./payment-fixtures.ts";

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
      expect(await res.json()).toMatchObject({ error: { code: "PAYMENT_MISMATCH" } });
      const state = await paymentState(server, attempt.paymentId);
      expect(state.payment.status).toBe("REVIEW");
      expect(state.payment.statusReason).toContain("EUR");
      expect(state.owned).toHaveLength(0);
      // The attempt's own holds stay until they expire like any hold; nothing was sold.
      expect(state.held.map((t) => t.id).sort()).toEqual([...attempt.ticketIds].sort());

      // The same reply from the browser changes nothing more.
      expect((await browserPost(server, inEuros)).status).toBe(409);
      const again = await paymentState(server, attempt.paymentId);
      expect(again.payment.status).toBe("REVIEW");
      expect(again.owned).toHaveLength(0);
    });
  });
}
