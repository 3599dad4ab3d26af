import { testBackends } from "@admit/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { failure, MINUTE, openCartFixture, type CartFixture } from "./cart-fixture.ts";

// "An expired hold is no hold on every read": nothing here runs the sweeper (releaseExpiredHolds), so each answer
// must come from the hold's expiry time alone.
for (const backend of testBackends()) {
  describe(`an expired hold is no hold, before any sweep (${backend.kind})`, () => {
    let f: CartFixture;
    beforeAll(async () => {
      f = await openCartFixture(backend);
    });
    afterAll(async () => f?.close());

    /** A showing whose only tickets a first student holds in a paid checkout that then lapses; a rival has them in the cart. */
    async function lapsedHold(price: string) {
      const { showing } = await f.newShowing();
      const tickets = await f.tickets(showing.id, { type: "normal", count: 2, price });
      const ids = tickets.map((t) => t.id).sort();
      const rival = await f.student();
      await f.call(rival).cart.add({ showingId: showing.id, quantities: [{ type: "normal", count: 2 }] });
      const first = await f.student();
      await f.call(first).cart.add({ showingId: showing.id, quantities: [{ type: "normal", count: 2 }] });
      return { showing, ids, rival, first };
    }

    it("a rival checks out paid tickets whose hold lapsed a moment ago, and the first attempt's hold is gone", async () => {
      const { ids, rival, first } = await lapsedHold("15.00");
      const firstAttempt = await f.call(first).checkout.start();
      expect(firstAttempt.sold_free_tickets).toBe(false);
      expect(await f.prisma.ticket.count({ where: { id: { in: ids }, holderId: first.id } })).toBe(2);

      f.clock.advance(10 * MINUTE);
      const result = await f.call(rival).checkout.start();
      expect(result).toMatchObject({ success: true, sold_free_tickets: false, total: "30.00" });
      const held = await f.prisma.ticket.findMany({ where: { id: { in: ids } }, orderBy: { id: "asc" } });
      expect(held.map((t) => t.holderId)).toEqual([rival.id, rival.id]);
      expect(held.every((t) => t.holdExpiresAt!.getTime() === f.clock.now().getTime() + 10 * MINUTE)).toBe(true);
      const rivalPayment = await f.prisma.payment.findUniqueOrThrow({ where: { transactionUuid: result.payment_params!.transaction_uuid! } });
      expect(held.every((t) => t.heldForPaymentId === rivalPayment.id)).toBe(true);
    });

    it("a rival checks out free tickets whose hold lapsed a moment ago and owns them", async () => {
      const { ids, rival, first } = await lapsedHold("0");
      // A free checkout sells at once, so the lapsed hold is made the way a paid attempt leaves it.
      await f.prisma.ticket.updateMany({
        where: { id: { in: ids } },
        data: { holderId: first.id, holdExpiresAt: new Date(f.clock.now().getTime() + MINUTE) },
      });
      f.clock.advance(MINUTE);
      const result = await f.call(rival).checkout.start();
      expect(result).toMatchObject({ success: true, sold_free_tickets: true });
      const owned = await f.prisma.ticket.findMany({ where: { id: { in: ids } } });
      expect(owned.every((t) => t.ownerId === rival.id && t.holderId === null && t.holdExpiresAt === null)).toBe(true);
    });

    it("a hold that ends exactly now is no hold; one that ends a millisecond later still is", async () => {
      const { ids, rival, first } = await lapsedHold("0");
      await f.prisma.ticket.updateMany({
        where: { id: { in: ids } },
        data: { holderId: first.id, holdExpiresAt: new Date(f.clock.now().getTime() + MINUTE + 1) },
      });
      f.clock.advance(MINUTE);
      expect(await failure(f.call(rival).checkout.start())).toMatchObject({ status: 403, code: "CART_STALE" });
      f.clock.advance(1);
      expect(await f.call(rival).checkout.start()).toMatchObject({ success: true, sold_free_tickets: true });
    });
  });
}
