import { createClub } from "@admit/db/factories";
import { testBackends } from "@admit/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { failure, MINUTE, openCartFixture, type CartFixture } from "./cart-fixture.ts";

/*
 * The cart's edges: what a refusal names, removing (what comes out, in which order, and what it does to a pending
 * checkout), and what the cart view reports about holds and order limits.
 */
for (const backend of testBackends()) {
  describe(`cart edges (${backend.kind})`, () => {
    let f: CartFixture;
    beforeAll(async () => {
      f = await openCartFixture(backend);
    });
    afterAll(async () => f?.close());

    const showingNotFound = { status: 404, code: "NOT_FOUND", message: "Showing was not found." };
    const noType = (type: string) => ({ status: 404, code: "NOT_FOUND", message: `This showing has no "${type}" tickets.`, details: { type } });
    const paymentOf = (uuid: string | undefined) => f.prisma.payment.findUniqueOrThrow({ where: { transactionUuid: uuid! } });

    async function twoTypes() {
      const { event, showing } = await f.newShowing();
      await f.tickets(showing.id, { type: "normal", count: 1, price: "5.00" });
      await f.tickets(showing.id, { type: "premium", count: 5, price: "9.00" });
      return { event, showing };
    }

    it("names the type that is short, with the type in the details, when the other types asked for are plentiful", async () => {
      const { showing } = await twoTypes();
      const student = await f.student();
      const refused = await failure(
        f.call(student).cart.add({ showingId: showing.id, quantities: [{ type: "premium", count: 2 }, { type: "normal", count: 2 }] }),
      );
      expect(refused).toEqual({ status: 403, code: "NOT_ENOUGH_TICKETS", message: "Not enough tickets of type normal left!", details: { type: "normal" } });
      expect(await f.cartIds(student)).toEqual([]);
    });

    it("names a type the showing does not have, on add, remove and quote", async () => {
      const { event, showing } = await twoTypes();
      const student = await f.student();
      const balcony = { showingId: showing.id, quantities: [{ type: "balcony", count: 1 }] };
      expect(await failure(f.call(student).cart.add(balcony))).toEqual(noType("balcony"));
      expect(await failure(f.call(student).cart.remove(balcony))).toEqual(noType("balcony"));
      expect(await failure(f.call(student).cart.quote(balcony))).toEqual(noType("balcony"));
      expect(await failure(f.call(student).cart.quote({ ...balcony, eventId: event.id }))).toEqual(noType("balcony"));
      // A known type next to an unknown one: the quote still names the unknown one.
      const mixed = { showingId: showing.id, quantities: [{ type: "premium", count: 1 }, { type: "box", count: 1 }] };
      expect(await failure(f.call(student).cart.quote(mixed))).toEqual(noType("box"));
      expect(await f.cartIds(student)).toEqual([]);
    });

    it("answers Showing was not found for a showing that does not exist, is hidden, or is named under another event", async () => {
      const { event, showing } = await twoTypes();
      const other = await f.newShowing();
      const unapproved = await createClub(f.prisma, { approved: false });
      const { showing: hidden } = await f.newShowing({ clubId: unapproved.id });
      await f.tickets(hidden.id, { type: "normal", count: 2, price: 1 });
      const student = await f.student();
      const one = [{ type: "normal", count: 1 }];
      const changes = [
        { showingId: 99_999_999, quantities: one },
        { showingId: hidden.id, quantities: one },
        { showingId: showing.id, eventId: other.event.id, quantities: one },
        // A type no showing has says nothing about a showing the student may not see.
        { showingId: hidden.id, quantities: [{ type: "balcony", count: 1 }] },
        { showingId: 99_999_999, quantities: [{ type: "balcony", count: 1 }] },
      ];
      for (const change of changes) {
        expect(await failure(f.call(student).cart.add(change))).toEqual({ ...showingNotFound, details: undefined });
        expect(await failure(f.call(student).cart.remove(change))).toEqual({ ...showingNotFound, details: undefined });
        expect(await failure(f.call(student).cart.quote(change))).toEqual({ ...showingNotFound, details: undefined });
      }
      // Named under its own event, the same showing answers.
      expect(await f.call(student).cart.quote({ showingId: showing.id, eventId: event.id, quantities: one })).toMatchObject({ total: "5.00" });
      expect(await f.cartIds(student)).toEqual([]);
    });

    it("quotes a type with a discount but no group size at its list price, with no group quote", async () => {
      const { showing } = await f.newShowing();
      await f.tickets(showing.id, { type: "normal", count: 4, price: "10.00", groupDiscount: "0.5", groupSize: null });
      const student = await f.student();
      expect(await f.call(student).cart.quote({ showingId: showing.id, quantities: [{ type: "normal", count: 3 }] })).toEqual({
        lines: [{ type: "normal", count: 3, listPrice: "10.00", unitPrice: "10.00", amount: "30.00", discount: "0.00", quote: null }],
        total: "30.00",
        listTotal: "30.00",
        discount: "0.00",
      });
    });

    it("removes from the caller's cart only, says how many, and removing none of a type the showing has is fine", async () => {
      const { showing } = await f.newShowing();
      await f.tickets(showing.id, { type: "normal", count: 1, price: "5.00" });
      await f.tickets(showing.id, { type: "premium", count: 3, price: "9.00" });
      const student = await f.student();
      const neighbour = await f.student();
      // A cart is a soft reservation: both carts carry the one "normal" ticket.
      await f.call(neighbour).cart.add({ showingId: showing.id, quantities: [{ type: "normal", count: 1 }, { type: "premium", count: 1 }] });
      await f.call(student).cart.add({ showingId: showing.id, quantities: [{ type: "normal", count: 1 }, { type: "premium", count: 2 }] });
      const neighbours = await f.cartIds(neighbour);

      expect(await f.call(student).cart.remove({ showingId: showing.id, quantities: [{ type: "premium", count: 1 }, { type: "normal", count: 5 }] })).toEqual({
        success: true,
        detail: "Successfully removed 2 from cart",
        count: 2,
      });
      expect(await f.cartIds(student)).toHaveLength(1);
      expect(new Set(await f.cartIds(neighbour))).toEqual(new Set(neighbours));

      expect(await f.call(student).cart.remove({ showingId: showing.id, quantities: [{ type: "normal", count: 1 }] })).toEqual({
        success: true,
        detail: "Successfully removed 0 from cart",
        count: 0,
      });
      expect(await f.cartIds(student)).toHaveLength(1);
      expect(new Set(await f.cartIds(neighbour))).toEqual(new Set(neighbours));
    });

    it("removes the tickets added last first, and among those added together the same ones every time", async () => {
      const { showing } = await f.newShowing();
      const pair = await f.tickets(showing.id, { type: "normal", count: 2, price: "5.00" });
      // The ticket the database orders last goes in first, the other one a second later.
      const [high, low] = (await f.prisma.ticket.findMany({ where: { id: { in: pair.map((t) => t.id) } }, orderBy: { id: "desc" } })).map((t) => t.id);
      const student = await f.student();
      await f.prisma.ticket.update({ where: { id: low! }, data: { buyable: false } });
      await f.call(student).cart.add({ showingId: showing.id, quantities: [{ type: "normal", count: 1 }] });
      await f.prisma.ticket.update({ where: { id: low! }, data: { buyable: true } });
      f.clock.advance(1_000);
      await f.call(student).cart.add({ showingId: showing.id, quantities: [{ type: "normal", count: 1 }] });
      expect(new Set(await f.cartIds(student))).toEqual(new Set([high, low]));
      await f.call(student).cart.remove({ showingId: showing.id, quantities: [{ type: "normal", count: 1 }] });
      expect(await f.cartIds(student)).toEqual([high]);

      // Added in one go: they leave in the database's order of ticket ids, highest first.
      const { showing: together } = await f.newShowing();
      await f.tickets(together.id, { type: "normal", count: 4, price: "5.00" });
      const buyer = await f.student();
      await f.call(buyer).cart.add({ showingId: together.id, quantities: [{ type: "normal", count: 4 }] });
      const ordered = (await f.prisma.ticket.findMany({ where: { showingId: together.id }, orderBy: { id: "desc" } })).map((t) => t.id);
      await f.call(buyer).cart.remove({ showingId: together.id, quantities: [{ type: "normal", count: 1 }] });
      expect(new Set(await f.cartIds(buyer))).toEqual(new Set(ordered.slice(1)));
      await f.call(buyer).cart.remove({ showingId: together.id, quantities: [{ type: "normal", count: 2 }] });
      expect(await f.cartIds(buyer)).toEqual([ordered[3]]);
    });

    it("ends a pending checkout as SUPERSEDED when tickets it holds are removed while the hold lasts", async () => {
      const { showing } = await f.newShowing();
      await f.tickets(showing.id, { type: "normal", count: 5, price: "15.00" });
      const student = await f.student();
      await f.call(student).cart.add({ showingId: showing.id, quantities: [{ type: "normal", count: 2 }] });
      const started = await f.call(student).checkout.start();
      expect((await f.call(student).cart.get()).hold_expires_at).toBe(started.hold_expires_at);
      f.clock.advance(10 * MINUTE - 1);
      expect(await f.call(student).cart.remove({ showingId: showing.id, quantities: [{ type: "normal", count: 1 }] })).toMatchObject({ count: 1 });
      expect((await paymentOf(started.payment_params?.transaction_uuid)).status).toBe("SUPERSEDED");
      expect(await f.prisma.ticket.count({ where: { holderId: student.id } })).toBe(0);
      // The ended attempt's hold, still in the future, is no longer the cart's.
      expect((await f.call(student).cart.get()).hold_expires_at).toBeNull();
    });

    it("ends a pending checkout as EXPIRED when its tickets are removed the moment its hold lapsed, before any sweep", async () => {
      const { showing } = await f.newShowing();
      await f.tickets(showing.id, { type: "normal", count: 5, price: "15.00" });
      const student = await f.student();
      await f.call(student).cart.add({ showingId: showing.id, quantities: [{ type: "normal", count: 2 }] });
      const started = await f.call(student).checkout.start();
      f.clock.advance(10 * MINUTE);
      expect(await f.call(student).cart.remove({ showingId: showing.id, quantities: [{ type: "normal", count: 2 }] })).toMatchObject({ count: 2 });
      expect((await paymentOf(started.payment_params?.transaction_uuid)).status).toBe("EXPIRED");
      expect(await f.prisma.ticket.count({ where: { holderId: student.id } })).toBe(0);
    });

    it("leaves alone another person's checkout that holds a ticket the caller removes from their own cart", async () => {
      const { showing } = await f.newShowing();
      const [ticket] = await f.tickets(showing.id, { type: "normal", count: 1, price: "15.00" });
      const student = await f.student();
      const rival = await f.student();
      await f.call(student).cart.add({ showingId: showing.id, quantities: [{ type: "normal", count: 1 }] });
      await f.call(rival).cart.add({ showingId: showing.id, quantities: [{ type: "normal", count: 1 }] });
      const started = await f.call(rival).checkout.start();
      expect(await f.prisma.ticket.findUniqueOrThrow({ where: { id: ticket!.id } })).toMatchObject({ holderId: rival.id });

      expect(await f.call(student).cart.remove({ showingId: showing.id, quantities: [{ type: "normal", count: 1 }] })).toMatchObject({ count: 1 });
      expect(await f.cartIds(student)).toEqual([]);
      const payment = await paymentOf(started.payment_params?.transaction_uuid);
      expect(payment.status).toBe("PENDING");
      expect(await f.prisma.ticket.findUniqueOrThrow({ where: { id: ticket!.id } })).toMatchObject({ holderId: rival.id, heldForPaymentId: payment.id });
      expect((await f.call(rival).cart.get()).hold_expires_at).toBe(started.hold_expires_at);
    });

    it("shows each person only their own pending hold when views arrive together", async () => {
      const { showing } = await f.newShowing();
      await f.tickets(showing.id, { type: "normal", count: 6, price: "15.00" });
      const [first, holding, browsing] = [await f.student(), await f.student(), await f.student()];
      for (const s of [first, holding, browsing]) await f.call(s).cart.add({ showingId: showing.id, quantities: [{ type: "normal", count: 1 }] });
      const started = await f.call(holding).checkout.start();
      // The first view runs alone; the two that arrive meanwhile share a transaction.
      const [, held, browsed] = await Promise.all([f.call(first).cart.get(), f.call(holding).cart.get(), f.call(browsing).cart.get()]);
      expect(held.hold_expires_at).toBe(started.hold_expires_at);
      expect(browsed.hold_expires_at).toBeNull();
    });

    it("counts tickets already bought in the cart view's order limit", async () => {
      const { showing } = await f.newShowing({ orderLimit: 4 });
      await f.tickets(showing.id, { type: "normal", count: 6, price: "15.00" });
      const student = await f.student();
      const bought = await f.prisma.ticket.findMany({ where: { showingId: showing.id }, take: 2 });
      await f.prisma.ticket.updateMany({ where: { id: { in: bought.map((t) => t.id) } }, data: { ownerId: student.id } });
      await f.call(student).cart.add({ showingId: showing.id, quantities: [{ type: "normal", count: 1 }] });
      expect((await f.call(student).cart.get()).allowances).toEqual([{ showing_id: showing.id, limit: 4, in_cart: 1, owned: 2, remaining: 1 }]);
    });
  });
}
