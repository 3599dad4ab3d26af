import { testBackends } from "@admit/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { failure, HOUR, iso, openCatalog, type CatalogFixture } from "./catalog-fixture.ts";

const twoTypes = [
  { type: "normal", count: 20, price: "15.00" },
  { type: "premium", count: 10, price: "30.00", groupDiscount: "0.2", groupSize: 4, transferable: false },
];

for (const backend of testBackends()) {
  describe(`showing offerings (${backend.kind})`, () => {
    let f: CatalogFixture;
    beforeAll(async () => {
      f = await openCatalog(backend);
    });
    afterAll(async () => f?.close());

    it("creates the offered tickets with their counts, prices and settings, including prices above 999.99", async () => {
      const { showing } = await f.newShowing();
      const result = await f.call(f.users.officer).showing.setOfferings({
        showingId: showing.id,
        offerings: [...twoTypes, { type: "patron", count: 2, price: "12500.50" }, { type: "free", count: 3, price: 0 }],
        orderLimit: 6,
      });
      expect(result.created).toBe(35);
      expect(result.counts.totals).toEqual([
        { type: "free", price: "0.00", count: 3 },
        { type: "normal", price: "15.00", count: 20 },
        { type: "patron", price: "12500.50", count: 2 },
        { type: "premium", price: "30.00", count: 10 },
      ]);
      const premium = await f.prisma.ticket.findFirstOrThrow({ where: { showingId: showing.id, type: "premium" } });
      expect(premium.groupDiscount.toString()).toBe("0.2");
      expect(premium.groupSize).toBe(4);
      expect(premium.transferable).toBe(false);
      expect((await f.prisma.showing.findUniqueOrThrow({ where: { id: showing.id } })).ticketOrderLimit).toBe(6);
    });

    it("refuses each bad field with a 400 and creates nothing, even when the other lines are fine", async () => {
      const { showing } = await f.newShowing();
      await f.call(f.users.officer).showing.setOfferings({ showingId: showing.id, offerings: [twoTypes[0]!] });
      const before = await f.prisma.ticket.findMany({ where: { showingId: showing.id }, select: { id: true }, orderBy: { id: "asc" } });
      const good = { type: "extra", count: 5, price: "5.00" };
      const badLines: unknown[] = [
        { type: "x", count: -1, price: "1.00" },
        { type: "x", count: 0, price: "1.00" },
        { type: "x", count: 1.5, price: "1.00" },
        { type: "x", count: "3", price: "1.00" },
        { type: "x", price: "1.00" },
        { type: "x", count: 1, price: "-1.00" },
        { type: "x", count: 1, price: -5 },
        { type: "x", count: 1, price: "1.005" },
        { type: "x", count: 1, price: "ten" },
        { type: "x", count: 1 },
        { type: "", count: 1, price: "1.00" },
        { count: 1, price: "1.00" },
        { type: "x", count: 1, price: "1.00", groupDiscount: "1.5", groupSize: 2 },
        { type: "x", count: 1, price: "1.00", groupDiscount: -0.1, groupSize: 2 },
        { type: "x", count: 1, price: "1.00", groupDiscount: "0.2", groupSize: 1 },
        { type: "x", count: 1, price: "1.00", groupDiscount: "0.2" },
        { type: "x", count: 1, price: "1.00", groupSize: 3 },
        { type: "x", count: 1, price: "1.00", transferable: "no" },
        { type: "x", count: 1, price: "1.00", colour: "red" },
        { type: "x", count: 1_000_000, price: "1.00" },
      ];
      for (const bad of badLines) {
        const error = await failure(
          f.call(f.users.officer).showing.setOfferings({ showingId: showing.id, offerings: [good, bad] } as never),
        );
        expect(error.status, JSON.stringify(bad)).toBe(400);
        expect(error.message.length).toBeGreaterThan(0);
      }
      for (const badBody of [
        { showingId: showing.id, quantities: [good] },
        { showingId: showing.id, offerings: [good, { ...good }] },
        { showingId: showing.id, offerings: [good], orderLimit: 0 },
        { showingId: showing.id, offerings: [good], dropTime: "tomorrow" },
        { showingId: -1, offerings: [good] },
      ]) {
        const error = await failure(f.call(f.users.officer).showing.setOfferings(badBody as never));
        expect(error.status, JSON.stringify(badBody)).toBe(400);
      }
      const after = await f.prisma.ticket.findMany({ where: { showingId: showing.id }, select: { id: true }, orderBy: { id: "asc" } });
      expect(after).toEqual(before);
    });

    it("refuses a drop time in the past or after the end, and stores one in the future", async () => {
      const { showing } = await f.newShowing();
      const officer = f.call(f.users.officer);
      const past = await failure(
        officer.showing.setOfferings({ showingId: showing.id, offerings: twoTypes, dropTime: iso(new Date(f.clock.now().getTime() - 60_000)) }),
      );
      expect(past).toMatchObject({ status: 400, code: "VALIDATION_FAILED" });
      expect(past.message).toMatch(/future/);
      const afterEnd = await failure(
        officer.showing.setOfferings({ showingId: showing.id, offerings: twoTypes, dropTime: iso(new Date(showing.endTime.getTime() + HOUR)) }),
      );
      expect(afterEnd).toMatchObject({ status: 400, code: "VALIDATION_FAILED" });
      expect(await f.ticketCount(showing.id)).toBe(0);

      // Reference scenario 5: a drop 12 hours ahead is stored; 13 hours later it can no longer be set again.
      const drop = new Date(f.clock.now().getTime() + 12 * HOUR);
      await officer.showing.setOfferings({ showingId: showing.id, offerings: twoTypes, dropTime: iso(drop) });
      const stored = await f.prisma.showing.findUniqueOrThrow({ where: { id: showing.id } });
      expect(stored.ticketDropTime?.getTime()).toBe(drop.getTime());
      f.clock.advance(13 * HOUR);
      try {
        const again = await failure(
          officer.showing.setOfferings({ showingId: showing.id, offerings: [{ type: "other", count: 1, price: "1.00" }], dropTime: iso(drop) }),
        );
        expect(again).toMatchObject({ status: 400, code: "VALIDATION_FAILED" });
        expect(await f.prisma.ticket.count({ where: { showingId: showing.id, type: "other" } })).toBe(0);
        expect(await f.ticketCount(showing.id)).toBe(30);
      } finally {
        f.clock.advance(-13 * HOUR);
      }
    });

    it("refuses start >= end and drop time >= end on showings (reference scenario 1)", async () => {
      const { event, showing } = await f.newShowing();
      const officer = f.call(f.users.officer);
      const start = new Date(f.clock.now().getTime() + 48 * HOUR);
      for (const endTime of [start, new Date(start.getTime() - HOUR)]) {
        const error = await failure(officer.showing.create({ eventId: event.id, startTime: iso(start), endTime: iso(endTime) }));
        expect(error.status).toBe(400);
      }
      expect(await f.prisma.showing.count({ where: { eventId: event.id } })).toBe(1);

      const lateStart = await failure(
        officer.showing.update({ showingId: showing.id, startTime: iso(new Date(showing.endTime.getTime() + HOUR)) }),
      );
      expect(lateStart).toMatchObject({ status: 400, code: "VALIDATION_FAILED" });
      const lateDrop = await failure(
        officer.showing.update({ showingId: showing.id, dropTime: iso(new Date(showing.endTime.getTime() + HOUR)) }),
      );
      expect(lateDrop).toMatchObject({ status: 400, code: "VALIDATION_FAILED" });
      const unchanged = await f.prisma.showing.findUniqueOrThrow({ where: { id: showing.id } });
      expect(unchanged.startTime).toEqual(showing.startTime);
      expect(unchanged.ticketDropTime).toBeNull();

      const created = await officer.showing.create({
        eventId: event.id,
        startTime: iso(start),
        endTime: iso(new Date(start.getTime() + 2 * HOUR)),
        location: "Houston Hall",
        orderLimit: 4,
        dropTime: iso(new Date(f.clock.now().getTime() + HOUR)),
      });
      expect(created).toMatchObject({ eventId: event.id, location: "Houston Hall", orderLimit: 4, startTime: iso(start) });
    });

    it("refuses to replace offerings once a ticket is held (until the hold expires) or sold (reference scenario 6)", async () => {
      const { showing } = await f.newShowing();
      const officer = f.call(f.users.officer);
      await officer.showing.setOfferings({ showingId: showing.id, offerings: twoTypes });
      const [held] = await f.prisma.ticket.findMany({ where: { showingId: showing.id, type: "normal" }, take: 1 });
      await f.prisma.ticket.update({
        where: { id: held!.id },
        data: { holderId: f.users.student.id, holdExpiresAt: new Date(f.clock.now().getTime() + 10 * 60_000) },
      });
      const whileHeld = await failure(officer.showing.setOfferings({ showingId: showing.id, offerings: [twoTypes[0]!] }));
      expect(whileHeld).toMatchObject({ status: 409, code: "HAS_TICKETS" });
      expect(await f.ticketCount(showing.id)).toBe(30);

      // An expired hold claims nothing: replacing is allowed again.
      f.clock.advance(11 * 60_000);
      const replaced = await officer.showing.setOfferings({ showingId: showing.id, offerings: twoTypes });
      expect(replaced).toMatchObject({ created: 30, deleted: 30 });

      const [sold] = await f.prisma.ticket.findMany({ where: { showingId: showing.id, type: "premium" }, take: 1 });
      await f.prisma.ticket.update({ where: { id: sold!.id }, data: { ownerId: f.users.student.id, amountPaid: "30.00" } });
      const whileSold = await failure(officer.showing.setOfferings({ showingId: showing.id, offerings: [twoTypes[0]!] }));
      expect(whileSold).toMatchObject({ status: 409, code: "HAS_TICKETS" });
      const dropChange = await failure(
        officer.showing.update({ showingId: showing.id, dropTime: iso(new Date(f.clock.now().getTime() + HOUR)) }),
      );
      expect(dropChange).toMatchObject({ status: 409, code: "HAS_TICKETS" });
      expect((await f.prisma.showing.findUniqueOrThrow({ where: { id: showing.id } })).ticketDropTime).toBeNull();
      expect(await f.prisma.ticket.findUniqueOrThrow({ where: { id: sold!.id } })).toMatchObject({ ownerId: f.users.student.id });
      expect(await f.ticketCount(showing.id)).toBe(30);
    });

    it("adds tickets to a type or a new type after sales, never deleting or repricing what exists", async () => {
      const { showing } = await f.newShowing();
      const officer = f.call(f.users.officer);
      await officer.showing.setOfferings({ showingId: showing.id, offerings: twoTypes });
      const [sold] = await f.prisma.ticket.findMany({ where: { showingId: showing.id, type: "normal" }, take: 1 });
      await f.prisma.ticket.update({ where: { id: sold!.id }, data: { ownerId: f.users.student.id, amountPaid: "15.00" } });

      const added = await officer.showing.addTickets({
        showingId: showing.id,
        tickets: [
          { type: "normal", count: 5 },
          { type: "premium", count: 2, price: "30.00", groupDiscount: 0.2, groupSize: 4 },
          { type: "balcony", count: 7, price: "1999.99", transferable: false },
        ],
      });
      expect(added).toMatchObject({ created: 14, deleted: 0 });
      expect(added.counts.totals).toEqual([
        { type: "balcony", price: "1999.99", count: 7 },
        { type: "normal", price: "15.00", count: 25 },
        { type: "premium", price: "30.00", count: 12 },
      ]);
      const addedPremium = await f.prisma.ticket.findMany({ where: { showingId: showing.id, type: "premium" } });
      expect(new Set(addedPremium.map((t) => `${t.price.toFixed(2)}/${t.groupDiscount.toString()}/${t.groupSize}/${t.transferable}`))).toEqual(
        new Set(["30.00/0.2/4/false"]),
      );

      for (const bad of [
        [{ type: "normal", count: 1, price: "99.00" }],
        [{ type: "premium", count: 1, transferable: true }],
        [{ type: "normal", count: 2 }, { type: "mezzanine", count: 3 }],
      ]) {
        const error = await failure(officer.showing.addTickets({ showingId: showing.id, tickets: bad }));
        expect(error, JSON.stringify(bad)).toMatchObject({ status: 400, code: "VALIDATION_FAILED" });
      }
      expect(await f.ticketCount(showing.id)).toBe(44);
      expect(await f.prisma.ticket.findUniqueOrThrow({ where: { id: sold!.id } })).toMatchObject({ ownerId: f.users.student.id });
    });

    it("deletes showings and events with only unsold tickets, and refuses (409) when any is held or owned (reference scenario 27)", async () => {
      const officer = f.call(f.users.officer);
      const free = await f.newShowing();
      await f.createTickets(free.showing.id, { type: "normal", count: 5, price: "15.00" });
      await officer.showing.delete({ showingId: free.showing.id });
      expect(await f.prisma.showing.findUnique({ where: { id: free.showing.id } })).toBeNull();
      expect(await f.ticketCount(free.showing.id)).toBe(0);

      const held = await f.newShowing();
      const [heldTicket] = await f.createTickets(held.showing.id, { type: "normal", count: 3, price: "15.00" });
      await f.prisma.ticket.update({
        where: { id: heldTicket!.id },
        data: { holderId: f.users.student.id, holdExpiresAt: new Date(f.clock.now().getTime() + 600_000) },
      });
      expect(await failure(officer.showing.delete({ showingId: held.showing.id }))).toMatchObject({ status: 409, code: "HAS_TICKETS" });
      expect(await failure(officer.event.delete({ eventId: held.event.id }))).toMatchObject({ status: 409, code: "HAS_TICKETS" });
      expect(await f.ticketCount(held.showing.id)).toBe(3);

      const owned = await f.newShowing();
      const [ownedTicket] = await f.createTickets(owned.showing.id, { type: "normal", count: 3, price: "15.00" });
      await f.prisma.ticket.update({ where: { id: ownedTicket!.id }, data: { ownerId: f.users.student.id } });
      expect(await failure(officer.event.delete({ eventId: owned.event.id }))).toMatchObject({ status: 409, code: "HAS_TICKETS" });
      expect(await failure(officer.showing.delete({ showingId: owned.showing.id }))).toMatchObject({ status: 409, code: "HAS_TICKETS" });
      expect(await f.prisma.event.findUnique({ where: { id: owned.event.id } })).not.toBeNull();
      expect(await f.ticketCount(owned.showing.id)).toBe(3);

      const unsold = await f.newShowing();
      await f.createTickets(unsold.showing.id, { type: "normal", count: 2, price: "0" });
      await officer.event.delete({ eventId: unsold.event.id });
      expect(await f.prisma.event.findUnique({ where: { id: unsold.event.id } })).toBeNull();
      expect(await f.ticketCount(unsold.showing.id)).toBe(0);
    });

    it("creates, renames and updates events and showings for officers", async () => {
      const officer = f.call(f.users.officer);
      const event = await officer.event.create({ clubId: f.club.id, name: "  Spring Show ", description: "Songs" });
      expect(event).toMatchObject({ clubId: f.club.id, name: "Spring Show", description: "Songs" });
      const renamed = await officer.event.update({ eventId: event.id, name: "Spring Show 2" });
      expect(renamed).toMatchObject({ name: "Spring Show 2", description: "Songs" });
      const start = new Date(f.clock.now().getTime() + 72 * HOUR);
      const showing = await officer.showing.create({
        eventId: event.id,
        startTime: iso(start),
        endTime: iso(new Date(start.getTime() + HOUR)),
      });
      expect(showing).toMatchObject({ orderLimit: 10, dropTime: null, location: null });
      const moved = await officer.showing.update({
        showingId: showing.id,
        location: "Irvine",
        orderLimit: 3,
        endTime: iso(new Date(start.getTime() + 2 * HOUR)),
      });
      expect(moved).toMatchObject({ location: "Irvine", orderLimit: 3, endTime: iso(new Date(start.getTime() + 2 * HOUR)) });
      expect(await failure(officer.event.create({ clubId: f.club.id, name: "   " }))).toMatchObject({ status: 400 });
    });
  });
}
