import { testBackends } from "@admit/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { failure, HOUR, openCartFixture, type CartFixture } from "./cart-fixture.ts";

for (const backend of testBackends()) {
  describe(`cart (${backend.kind})`, () => {
    let f: CartFixture;
    beforeAll(async () => {
      f = await openCartFixture(backend);
    });
    afterAll(async () => f?.close());

    /** The reference fixture: 20 "normal" tickets at $15 and 10 "premium" at $30 on one showing. */
    async function standardShowing(extra: { orderLimit?: number; dropTime?: Date | null } = {}) {
      const { event, showing } = await f.newShowing(extra);
      await f.tickets(showing.id, { type: "normal", count: 20, price: "15.00" });
      await f.tickets(showing.id, { type: "premium", count: 10, price: "30.00" });
      return { event, showing };
    }

    it("adds 2 normal and 1 premium, and the cart shows them with the total", async () => {
      const { event, showing } = await standardShowing();
      const student = await f.student();
      const added = await f.call(student).cart.add({
        eventId: event.id,
        showingId: showing.id,
        quantities: [{ type: "normal", count: 2 }, { type: "premium", count: 1 }],
      });
      expect(added).toEqual({ success: true, detail: "Successfully added 3 to cart", count: 3 });
      const cart = await f.call(student).cart.get();
      expect(cart.tickets).toHaveLength(3);
      expect(cart.tickets.filter((t) => t.type === "normal")).toHaveLength(2);
      expect(cart.tickets.filter((t) => t.type === "premium")).toHaveLength(1);
      expect(cart.sold_out).toEqual([]);
      expect(cart.total).toBe("60.00");
      expect(cart.hold_expires_at).toBeNull();
      const ticket = cart.tickets.find((t) => t.type === "premium")!;
      expect(ticket).toMatchObject({
        price: "30.00",
        owner: null,
        attended: false,
        showing: { id: showing.id, event: event.id, start_time: showing.startTime.toISOString(), ticket_order_limit: 10 },
        event: { id: event.id, name: event.name, club_code: f.club.code },
      });
    });

    it("accumulates across adds (4 normal and 2 premium after two adds)", async () => {
      const { showing } = await standardShowing();
      const student = await f.student();
      const add = () =>
        f.call(student).cart.add({ showingId: showing.id, quantities: [{ type: "normal", count: 2 }, { type: "premium", count: 1 }] });
      await add();
      await add();
      const cart = await f.call(student).cart.get();
      expect(cart.tickets.filter((t) => t.type === "normal")).toHaveLength(4);
      expect(cart.tickets.filter((t) => t.type === "premium")).toHaveLength(2);
      expect(new Set(cart.tickets.map((t) => t.id)).size).toBe(6);
    });

    it("refuses a showing that has ended (SHOWING_ENDED) and one whose drop time has not passed (NOT_ON_SALE)", async () => {
      const { showing } = await standardShowing({ dropTime: new Date(f.clock.now().getTime() + HOUR) });
      const student = await f.student();
      const add = () => f.call(student).cart.add({ showingId: showing.id, quantities: [{ type: "normal", count: 1 }] });
      expect(await failure(add())).toMatchObject({ status: 403, code: "NOT_ON_SALE" });
      f.clock.advance(HOUR);
      expect((await add()).count).toBe(1);

      const { showing: past } = await standardShowing();
      await f.prisma.showing.update({
        where: { id: past.id },
        data: { startTime: new Date(f.clock.now().getTime() - 3 * HOUR), endTime: new Date(f.clock.now().getTime() - HOUR) },
      });
      const ended = await failure(f.call(student).cart.add({ showingId: past.id, quantities: [{ type: "normal", count: 1 }] }));
      expect(ended).toMatchObject({ status: 403, code: "SHOWING_ENDED", message: "This showing has already ended." });
    });

    it("counts the cart and the tickets already owned against the order limit", async () => {
      const { showing } = await standardShowing({ orderLimit: 4 });
      const student = await f.student();
      const add = (count: number) => f.call(student).cart.add({ showingId: showing.id, quantities: [{ type: "normal", count }] });
      expect(await failure(add(5))).toMatchObject({ status: 403, code: "ORDER_LIMIT_EXCEEDED" });
      await add(2);
      const owned = await f.prisma.ticket.findMany({ where: { showingId: showing.id, type: "premium" }, take: 2 });
      await f.prisma.ticket.updateMany({ where: { id: { in: owned.map((t) => t.id) } }, data: { ownerId: student.id } });
      const refused = await failure(add(1));
      expect(refused).toMatchObject({ status: 403, code: "ORDER_LIMIT_EXCEEDED" });
      expect(refused.message).toContain("maximum ticket limit of 4");
      expect(await f.cartIds(student)).toHaveLength(2);
    });

    it("names the type when too few are left, and adds nothing of a request that fails part-way", async () => {
      const { showing } = await f.newShowing();
      await f.tickets(showing.id, { type: "normal", count: 1, price: 5 });
      await f.tickets(showing.id, { type: "premium", count: 3, price: 9 });
      const student = await f.student();
      const short = await failure(f.call(student).cart.add({ showingId: showing.id, quantities: [{ type: "normal", count: 2 }] }));
      expect(short).toMatchObject({ status: 403, code: "NOT_ENOUGH_TICKETS", message: "Not enough tickets of type normal left!" });
      const partial = await failure(
        f.call(student).cart.add({
          showingId: showing.id,
          quantities: [{ type: "premium", count: 3 }, { type: "normal", count: 2 }],
        }),
      );
      expect(partial.code).toBe("NOT_ENOUGH_TICKETS");
      expect(await f.cartIds(student)).toEqual([]);
    });

    it("never adds tickets that are not buyable, sold, or held by someone else", async () => {
      const { showing } = await f.newShowing();
      await f.tickets(showing.id, { type: "normal", count: 2, price: 5, buyable: false });
      const sellable = await f.tickets(showing.id, { type: "normal", count: 3, price: 5 });
      const other = await f.student();
      await f.prisma.ticket.update({ where: { id: sellable.find((t) => t.buyable)!.id }, data: { ownerId: other.id } });
      const student = await f.student();
      const buyable = await f.prisma.ticket.findMany({ where: { showingId: showing.id, buyable: true, ownerId: null } });
      await f.prisma.ticket.update({
        where: { id: buyable[0]!.id },
        data: { holderId: other.id, holdExpiresAt: new Date(f.clock.now().getTime() + 60_000) },
      });
      expect(await failure(f.call(student).cart.add({ showingId: showing.id, quantities: [{ type: "normal", count: 2 }] }))).toMatchObject({
        code: "NOT_ENOUGH_TICKETS",
      });
      await f.call(student).cart.add({ showingId: showing.id, quantities: [{ type: "normal", count: 1 }] });
      expect(await f.cartIds(student)).toEqual([buyable[1]!.id]);
    });

    it("treats an expired hold as no hold when adding", async () => {
      const { showing } = await f.newShowing();
      const [ticket] = await f.tickets(showing.id, { type: "normal", count: 1, price: 5 });
      const other = await f.student();
      await f.prisma.ticket.update({
        where: { id: ticket!.id },
        data: { holderId: other.id, holdExpiresAt: f.clock.now() },
      });
      const student = await f.student();
      await f.call(student).cart.add({ showingId: showing.id, quantities: [{ type: "normal", count: 1 }] });
      expect(await f.cartIds(student)).toEqual([ticket!.id]);
    });

    it("refuses archived clubs (NOT_ON_SALE), hides clubs not yet approved, and checks the event of the showing", async () => {
      const student = await f.student();
      const { showing, event } = await standardShowing();
      const { createClub } = await import("@admit/db/factories");
      const archived = await createClub(f.prisma, { archived: true });
      const { showing: archivedShowing } = await f.newShowing({ clubId: archived.id });
      await f.tickets(archivedShowing.id, { type: "normal", count: 2, price: 1 });
      const unapproved = await createClub(f.prisma, { approved: false });
      const { showing: hidden } = await f.newShowing({ clubId: unapproved.id });
      await f.tickets(hidden.id, { type: "normal", count: 2, price: 1 });
      const one = [{ type: "normal", count: 1 }];
      expect(await failure(f.call(student).cart.add({ showingId: archivedShowing.id, quantities: one }))).toMatchObject({ status: 403, code: "NOT_ON_SALE" });
      expect(await failure(f.call(student).cart.add({ showingId: hidden.id, quantities: one }))).toMatchObject({ status: 404 });
      expect(await failure(f.call(student).cart.add({ showingId: showing.id, eventId: event.id + 100_000, quantities: one }))).toMatchObject({ status: 404 });
      expect(await failure(f.call(student).cart.add({ showingId: 99_999_999, quantities: one }))).toMatchObject({ status: 404 });
      expect(await failure(f.call(student).cart.add({ showingId: showing.id, quantities: [{ type: "balcony", count: 1 }] }))).toMatchObject({
        status: 404,
        code: "NOT_FOUND",
      });
      expect(await f.cartIds(student)).toEqual([]);
    });

    it("rejects zero, negative, fractional and missing counts with 400 and changes nothing", async () => {
      const { showing } = await standardShowing();
      const student = await f.student();
      for (const quantities of [
        [{ type: "normal", count: 0 }],
        [{ type: "normal", count: -1 }],
        [{ type: "normal", count: 1.5 }],
        [{ type: "normal" }],
        [{ count: 1 }],
        [],
        "normal",
      ]) {
        const refused = await failure(f.call(student).cart.add({ showingId: showing.id, quantities } as never));
        expect(refused.status).toBe(400);
        const removeRefused = await failure(f.call(student).cart.remove({ showingId: showing.id, quantities } as never));
        expect(removeRefused.status).toBe(400);
      }
      expect(await f.cartIds(student)).toEqual([]);
    });

    it("removes 1 normal and 1 premium from a cart of 3, and clamps counts larger than the cart", async () => {
      const { showing } = await standardShowing();
      const student = await f.student();
      await f.call(student).cart.add({ showingId: showing.id, quantities: [{ type: "normal", count: 2 }, { type: "premium", count: 1 }] });
      const both = [{ type: "normal", count: 1 }, { type: "premium", count: 1 }];
      expect(await f.call(student).cart.remove({ showingId: showing.id, quantities: both })).toMatchObject({ count: 2 });
      const cart = await f.call(student).cart.get();
      expect(cart.tickets.map((t) => t.type)).toEqual(["normal"]);
      const many = [{ type: "normal", count: 10 }, { type: "premium", count: 10 }];
      expect(await f.call(student).cart.remove({ showingId: showing.id, quantities: many })).toMatchObject({ count: 1 });
      expect((await f.call(student).cart.get()).tickets).toEqual([]);
      expect(await failure(f.call(student).cart.remove({ showingId: showing.id, quantities: [{ type: "balcony", count: 1 }] }))).toMatchObject({
        status: 404,
      });
    });

    it("views 5 valid tickets in the order they were added, with the total as the sum of prices", async () => {
      const { showing } = await standardShowing();
      const student = await f.student();
      await f.call(student).cart.add({ showingId: showing.id, quantities: [{ type: "normal", count: 3 }] });
      f.clock.advance(1000);
      await f.call(student).cart.add({ showingId: showing.id, quantities: [{ type: "premium", count: 2 }] });
      const cart = await f.call(student).cart.get();
      expect(cart.tickets.map((t) => t.type)).toEqual(["normal", "normal", "normal", "premium", "premium"]);
      expect(cart.sold_out).toEqual([]);
      expect(cart.total).toBe("105.00");
    });

    it("applies a group discount once the group is big enough: 1 ticket $10, 5 tickets $40", async () => {
      const { showing } = await f.newShowing();
      await f.tickets(showing.id, { type: "normal", count: 10, price: "10.00", groupDiscount: "0.2", groupSize: 2 });
      const student = await f.student();
      await f.call(student).cart.add({ showingId: showing.id, quantities: [{ type: "normal", count: 1 }] });
      expect((await f.call(student).cart.get()).total).toBe("10.00");
      await f.call(student).cart.add({ showingId: showing.id, quantities: [{ type: "normal", count: 4 }] });
      expect((await f.call(student).cart.get()).total).toBe("40.00");
    });

    it("counts a group per showing and type: the same type name in two events does not pool", async () => {
      const student = await f.student();
      const first = await f.newShowing();
      const second = await f.newShowing();
      for (const { showing } of [first, second]) {
        await f.tickets(showing.id, { type: "General", count: 5, price: "10.00", groupDiscount: "0.25", groupSize: 2 });
      }
      await f.call(student).cart.add({ showingId: first.showing.id, quantities: [{ type: "General", count: 1 }] });
      await f.call(student).cart.add({ showingId: second.showing.id, quantities: [{ type: "General", count: 1 }] });
      expect((await f.call(student).cart.get()).total).toBe("20.00");
      await f.call(student).cart.add({ showingId: second.showing.id, quantities: [{ type: "General", count: 1 }] });
      expect((await f.call(student).cart.get()).total).toBe("25.00");
    });

    it("rounds a discounted price to whole cents per ticket", async () => {
      const { showing } = await f.newShowing();
      await f.tickets(showing.id, { type: "normal", count: 3, price: "9.99", groupDiscount: "0.3333", groupSize: 3 });
      const student = await f.student();
      await f.call(student).cart.add({ showingId: showing.id, quantities: [{ type: "normal", count: 3 }] });
      // 9.99 * 0.6667 = 6.660333 -> 6.66 each
      expect((await f.call(student).cart.get()).total).toBe("19.98");
    });

    it("replaces tickets sold to someone else with others of the same showing and type", async () => {
      const { showing } = await standardShowing();
      const student = await f.student();
      const other = await f.student();
      await f.call(student).cart.add({ showingId: showing.id, quantities: [{ type: "normal", count: 5 }] });
      const original = await f.cartIds(student);
      await f.prisma.ticket.updateMany({ where: { id: { in: original.slice(0, 2) } }, data: { ownerId: other.id } });
      const cart = await f.call(student).cart.get();
      expect(cart.sold_out).toEqual([]);
      expect(cart.tickets).toHaveLength(5);
      const ids = cart.tickets.map((t) => t.id);
      expect(ids.filter((id) => original.includes(id))).toHaveLength(3);
      expect(ids).not.toContain(original[0]);
      expect(cart.tickets.every((t) => t.type === "normal")).toBe(true);
      expect(new Set(await f.cartIds(student))).toEqual(new Set(ids));
    });

    it("reports what could not be replaced in sold_out, in the seed's shape", async () => {
      const { showing, event } = await standardShowing();
      const student = await f.student();
      const other = await f.student();
      await f.call(student).cart.add({ showingId: showing.id, quantities: [{ type: "normal", count: 5 }] });
      const original = await f.cartIds(student);
      const keep = await f.prisma.ticket.findMany({
        where: { showingId: showing.id, type: "normal", id: { notIn: original } },
        take: 3,
      });
      await f.prisma.ticket.updateMany({
        where: { showingId: showing.id, id: { notIn: keep.map((t) => t.id) } },
        data: { ownerId: other.id },
      });
      const cart = await f.call(student).cart.get();
      expect(cart.tickets.map((t) => t.id).sort()).toEqual(keep.map((t) => t.id).sort());
      expect(cart.sold_out).toEqual([{ type: "normal", showing: { id: showing.id }, event: { id: event.id, name: event.name }, count: 2 }]);
      expect((await f.call(student).cart.get()).sold_out).toEqual([]);
    });

    it("empties the cart of an ended showing and reports the whole count", async () => {
      const { showing } = await standardShowing();
      const student = await f.student();
      await f.call(student).cart.add({ showingId: showing.id, quantities: [{ type: "normal", count: 5 }] });
      f.clock.set(showing.endTime.getTime() + 1);
      const cart = await f.call(student).cart.get();
      expect(cart.tickets).toEqual([]);
      expect(cart.sold_out).toMatchObject([{ type: "normal", count: 5 }]);
      f.clock.set(Date.now());
    });

    it("swaps out tickets made unbuyable, reports an archived club's tickets as sold out, and a showing whose drop moved", async () => {
      const { showing } = await standardShowing();
      const student = await f.student();
      await f.call(student).cart.add({ showingId: showing.id, quantities: [{ type: "normal", count: 2 }] });
      const [first] = await f.cartIds(student);
      await f.prisma.ticket.update({ where: { id: first! }, data: { buyable: false } });
      const swapped = await f.call(student).cart.get();
      expect(swapped.tickets).toHaveLength(2);
      expect(swapped.tickets.map((t) => t.id)).not.toContain(first);

      await f.prisma.showing.update({ where: { id: showing.id }, data: { ticketDropTime: new Date(f.clock.now().getTime() + HOUR) } });
      const notYet = await f.call(student).cart.get();
      expect(notYet.tickets).toEqual([]);
      expect(notYet.sold_out).toMatchObject([{ type: "normal", count: 2 }]);

      const { createClub } = await import("@admit/db/factories");
      const club = await createClub(f.prisma);
      const { showing: clubShowing } = await f.newShowing({ clubId: club.id });
      await f.tickets(clubShowing.id, { type: "normal", count: 5, price: 1 });
      await f.call(student).cart.add({ showingId: clubShowing.id, quantities: [{ type: "normal", count: 2 }] });
      await f.prisma.club.update({ where: { id: club.id }, data: { archived: true } });
      const archived = await f.call(student).cart.get();
      expect(archived.tickets).toEqual([]);
      expect(archived.sold_out).toMatchObject([{ type: "normal", showing: { id: clubShowing.id }, count: 2 }]);
    });
  });
}
