import { testBackends } from "@admit/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, removePath } from "./cart-helpers.ts";
import { startTestServer, type TestServer } from "./harness.ts";
import { browserPost, paidShowing, paymentState, replyFor, resultOf, startPaidCheckout } from "./payment-fixtures.ts";

for (const backend of testBackends()) {
  describe(`checkout changes after the payment's reply (${backend.kind})`, () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer(backend);
    });
    afterAll(async () => server?.close());

    it("removing a ticket from the cart of an attempt held for review leaves the attempt and its other holds alone", async () => {
      const showcase = await paidShowing(server, { count: 5 });
      const attempt = await startPaidCheckout(server, showcase, 3);
      const review = await browserPost(server, replyFor(server, attempt, { decision: "REVIEW", reasonCode: "230" }));
      expect(resultOf(server, review).outcome).toBe("review");

      const removed = await api(server, "POST", removePath(showcase.eventId, showcase.showingId), {
        token: attempt.token,
        body: { quantities: [{ type: showcase.type, count: 1 }] },
      });
      expect(removed.status).toBe(200);

      // Only the removed ticket's hold goes; the attempt is no longer pending, so it is not ended, and the
      // review's later result still finds the other two held for it.
      const state = await paymentState(server, attempt.paymentId);
      expect(state.payment.status).toBe("REVIEW");
      expect(state.held).toHaveLength(2);
      expect(state.held.every((t) => t.holderId === attempt.userId && attempt.ticketIds.includes(t.id))).toBe(true);
      const left = attempt.ticketIds.filter((id) => !state.held.some((t) => t.id === id));
      expect(left).toHaveLength(1);
      const freed = await server.db.prisma.ticket.findUniqueOrThrow({ where: { id: left[0]! } });
      expect(freed).toMatchObject({ holderId: null, heldForPaymentId: null, holdExpiresAt: null });
    });
  });
}
