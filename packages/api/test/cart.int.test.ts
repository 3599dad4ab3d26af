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

    it("does not count complimentary tickets an officer issued against the order limit; answers carry what is left", async () => {
      const { event, showing } = await standardShowing({ orderLimit: 2 });
      const student = await f.student();
      await f.call(f.owner).showing.issueTickets({ showingId: showing.id, tickets: [{ username: student.username, type: "premium", count: 2 }] });
      const before = await f.call(student).event.get({ eventId: event.id });
      expect(before.showings[0]!.allowance).toEqual({ limit: 2, inCart: 0, owned: 0, remaining: 2 });

      const add = (count: number) => f.call(student).cart.add({ showingId: showing.id, quantities: [{ type: "normal", count }] });
      expect(await add(2)).toMatchObject({ count: 2 });
      expect((await f.call(student).cart.get()).allowances).toEqual([
        { showing_id: showing.id, limit: 2, in_cart: 2, owned: 0, remaining: 0 },
      ]);
      const after = await f.call(student).event.get({ eventId: event.id });
      expect(after.showings[0]!.allowance).toEqual({ limit: 2, inCart: 2, owned: 0, remaining: 0 });
      expect(after.showings[0]!.types.map((t) => [t.type, t.inCart])).toEqual([["normal", 2], ["premium", 0]]);
      expect(await failure(add(1))).toMatchObject({ status: 403, code: "ORDER_LIMIT_EXCEEDED" });
      expect(await f.call(student).checkout.start()).toMatchObject({ sold_free_tickets: false, total: "30.00" });

      // Bought tickets still count, once they are the student's.
      const held = await f.prisma.ticket.findMany({ where: { showingId: showing.id, holderId: student.id } });
      await f.prisma.ticket.updateMany({ where: { id: { in: held.map((t) => t.id) } }, data: { ownerId: student.id } });
      await f.prisma.cartTicket.deleteMany({ where: { cart: { userId: student.id } } });
      const bought = await f.call(student).event.get({ eventId: event.id });
      expect(bought.showings[0]!.allowance).toEqual({ limit: 2, inCart: 0, owned: 2, remaining: 0 });
      const refused = await failure(add(1));
      expect(refused).toMatchObject({ status: 403, code: "ORDER_LIMIT_EXCEEDED" });
      expect(refused.message).toBe("Order exceeds the maximum ticket limit of 2 (you have 2 already yours).");
    });

    it("prices the cart per showing and type, and quotes picks with the group the cart's tickets help reach", async () => {
      const { showing } = await f.newShowing();
      await f.tickets(showing.id, { type: "general", count: 10, price: "15.00", groupDiscount: "0.2", groupSize: 4 });
      await f.tickets(showing.id, { type: "front", count: 2, price: "40.00" });
      const student = await f.student();
      const quote = (quantities: Array<{ type: string; count: number }>) => f.call(student).cart.quote({ showingId: showing.id, quantities });
      expect(await quote([{ type: "general", count: 3 }])).toEqual({
        lines: [
          { type: "general", count: 3, listPrice: "15.00", unitPrice: "15.00", amount: "45.00", discount: "0.00", quote: { size: 4, percentOff: "20", unitPrice: "12.00" } },
        ],
        total: "45.00",
        listTotal: "45.00",
        discount: "0.00",
      });
      await f.call(student).cart.add({ showingId: showing.id, quantities: [{ type: "general", count: 2 }] });
      // Two in the cart and two picked make a group of four: the picked two are priced at the group price.
      expect(await quote([{ type: "general", count: 2 }, { type: "front", count: 1 }])).toEqual({
        lines: [
          { type: "general", count: 2, listPrice: "15.00", unitPrice: "12.00", amount: "24.00", discount: "6.00", quote: { size: 4, percentOff: "20", unitPrice: "12.00" } },
          { type: "front", count: 1, listPrice: "40.00", unitPrice: "40.00", amount: "40.00", discount: "0.00", quote: null },
        ],
        total: "64.00",
        listTotal: "70.00",
        discount: "6.00",
      });
      expect(await failure(quote([{ type: "balcony", count: 1 }]))).toMatchObject({ status: 404, code: "NOT_FOUND" });

      // Lines follow the order tickets were added; a later add is later on the clock, so "general" comes first.
      f.clock.advance(1_000);
      await f.call(student).cart.add({ showingId: showing.id, quantities: [{ type: "general", count: 2 }, { type: "front", count: 1 }] });
      const cart = await f.call(student).cart.get();
      const lines = [
        {
          showing_id: showing.id,
          type: "general",
          count: 4,
          list_price: "15.00",
          unit_price: "12.00",
          amount: "48.00",
          discount: "12.00",
          group_quote: { size: 4, percent_off: "20", unit_price: "12.00" },
        },
        { showing_id: showing.id, type: "front", count: 1, list_price: "40.00", unit_price: "40.00", amount: "40.00", discount: "0.00", group_quote: null },
      ];
      expect(cart).toMatchObject({ lines, list_total: "100.00", discount: "12.00", total: "88.00" });
      // Checkout prices the tickets it claimed, in the order the claim returned them: the same lines, in either order.
      const checkout = await f.call(student).checkout.start();
      expect(checkout).toMatchObject({ list_total: "100.00", discount: "12.00", total: "88.00" });
      expect(checkout.lines).toHaveLength(lines.length);
      expect(checkout.lines).toEqual(expect.arrayContaining(lines.map((line) => expect.objectContaining(line))));
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

    it("replaces each sold ticket with one of its own type, when tickets of two types were sold at once", async () => {
      const { showing } = await standardShowing();
      const student = await f.student();
      const other = await f.student();
      await f.call(student).cart.add({ showingId: showing.id, quantities: [{ type: "normal", count: 1 }, { type: "premium", count: 1 }] });
      const original = await f.cartIds(student);
      await f.prisma.ticket.updateMany({ where: { id: { in: original } }, data: { ownerId: other.id } });
      const cart = await f.call(student).cart.get();
      expect(cart.sold_out).toEqual([]);
      expect(cart.tickets.map((t) => t.type).sort()).toEqual(["normal", "premium"]);
      expect(cart.tickets.map((t) => t.id).filter((id) => original.includes(id))).toEqual([]);
      expect(cart.total).toBe("45.00");
    });

    it("counts the tickets the student bought in the cart's allowance", async () => {
      const { showing } = await f.newShowing({ orderLimit: 4 });
      await f.tickets(showing.id, { type: "free", count: 5, price: "0" });
      const student = await f.student();
      const add = (count: number) => f.call(student).cart.add({ showingId: showing.id, quantities: [{ type: "free", count }] });
      await add(1);
      expect(await f.call(student).checkout.start()).toMatchObject({ sold_free_tickets: true });
      await add(2);
      expect((await f.call(student).cart.get()).allowances).toEqual([{ showing_id: showing.id, limit: 4, in_cart: 2, owned: 1, remaining: 1 }]);
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
