import { testBackends } from "@admit/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { failure, HOUR, iso, openCatalog, type CatalogFixture } from "./catalog-fixture.ts";

type Caller = ReturnType<CatalogFixture["call"]>;

for (const backend of testBackends()) {
  describe(`who may manage events and showings (${backend.kind})`, () => {
    let f: CatalogFixture;
    beforeAll(async () => {
      f = await openCatalog(backend);
    });
    afterAll(async () => f?.close());

    /** Every officer operation, each on fresh data so one allowed call cannot hide another's refusal. */
    async function operations() {
      const { event, showing } = await f.newShowing();
      await f.createTickets(showing.id, { type: "normal", count: 5, price: "15.00" });
      const [owned] = await f.prisma.ticket.findMany({ where: { showingId: showing.id }, take: 1 });
      await f.prisma.ticket.update({ where: { id: owned!.id }, data: { ownerId: f.users.student2.id, amountPaid: "15.00" } });
      const start = new Date(f.clock.now().getTime() + 50 * HOUR);
      const spare = await f.newShowing();
      const spareEvent = await f.newShowing();
      const unsold = await f.newShowing();
      return {
        ticketsOwnedBy: () => f.prisma.ticket.count({ where: { showingId: showing.id, ownerId: { not: null } } }),
        ticketCount: () => f.ticketCount(showing.id),
        showingExists: async () => (await f.prisma.showing.findUnique({ where: { id: spare.showing.id } })) !== null,
        eventExists: async () => (await f.prisma.event.findUnique({ where: { id: spareEvent.event.id } })) !== null,
        offered: () => f.ticketCount(unsold.showing.id),
        ops: {
          "event.create": (c: Caller) => c.event.create({ clubId: f.club.id, name: "Probe" }),
          "event.update": (c: Caller) => c.event.update({ eventId: event.id, name: "Renamed" }),
          "event.delete": (c: Caller) => c.event.delete({ eventId: spareEvent.event.id }),
          "showing.create": (c: Caller) =>
            c.showing.create({ eventId: event.id, startTime: iso(start), endTime: iso(new Date(start.getTime() + HOUR)) }),
          "showing.update": (c: Caller) => c.showing.update({ showingId: showing.id, location: "Somewhere else" }),
          "showing.delete": (c: Caller) => c.showing.delete({ showingId: spare.showing.id }),
          "showing.setOfferings": (c: Caller) =>
            c.showing.setOfferings({ showingId: unsold.showing.id, offerings: [{ type: "x", count: 1, price: "1.00" }] }),
          "showing.addTickets": (c: Caller) =>
            c.showing.addTickets({ showingId: showing.id, tickets: [{ type: "normal", count: 1 }] }),
          "showing.issueTickets": (c: Caller) =>
            c.showing.issueTickets({ showingId: showing.id, tickets: [{ username: f.users.student.username, type: "normal" }] }),
          "showing.buyers": (c: Caller) => c.showing.buyers({ showingId: showing.id }),
          "showing.emailBlast": (c: Caller) => c.showing.emailBlast({ showingId: showing.id, message: "Doors at 7." }),
          "club.events": (c: Caller) => c.club.events({ clubId: f.club.id }),
          "payment.needingAttention": (c: Caller) => c.payment.needingAttention({ clubId: f.club.id }),
          "kiosk.listDevices": (c: Caller) => c.kiosk.listDevices({ clubId: f.club.id }),
          "kiosk.conflicts": (c: Caller) => c.kiosk.conflicts({ clubId: f.club.id, showingId: showing.id }),
        } as Record<string, (c: Caller) => Promise<unknown>>,
      };
    }

    it("answers 404 to officers of other clubs and to students, and 401 to anonymous callers, changing nothing", async () => {
      const { ops, ticketsOwnedBy, ticketCount, showingExists, eventExists, offered } = await operations();
      const mailsBefore = await f.mailCount();
      const eventsBefore = await f.eventCount();
      for (const [name, op] of Object.entries(ops)) {
        for (const outsider of [f.users.otherOfficer, f.users.student]) {
          const error = await failure(op(f.call(outsider)));
          expect(error.status, `${name} as ${outsider.username}`).toBe(404);
          expect(error.code).toBe("NOT_FOUND");
        }
        const anonymous = await failure(op(f.call(null)));
        expect(anonymous, name).toMatchObject({ status: 401, code: "UNAUTHENTICATED" });
      }
      expect(await ticketsOwnedBy()).toBe(1);
      expect(await ticketCount()).toBe(5);
      expect(await showingExists()).toBe(true);
      expect(await eventExists()).toBe(true);
      expect(await offered()).toBe(0);
      expect(await f.mailCount()).toBe(mailsBefore);
      expect(await f.eventCount()).toBe(eventsBefore);
    });

    for (const who of ["owner", "officer", "admin"] as const) {
      it(`lets the club's ${who} do every officer operation`, async () => {
        const { ops, ticketsOwnedBy, showingExists, eventExists, offered } = await operations();
        const caller = f.call(f.users[who]);
        const answers: Record<string, unknown> = {};
        for (const [name, op] of Object.entries(ops)) answers[name] = await op(caller);
        // Each operation's own answer, so an operation that quietly did nothing cannot pass.
        expect(answers).toMatchObject({
          "event.create": { name: "Probe" },
          "event.update": { name: "Renamed" },
          "showing.update": { location: "Somewhere else" },
          "showing.setOfferings": { showingId: expect.any(Number) },
          "showing.issueTickets": { issued: [{ username: f.users.student.username, type: "normal" }] },
          "showing.emailBlast": { recipients: expect.any(Number) },
        });
        const { buyers } = answers["showing.buyers"] as { buyers: Array<{ username: string; complimentary: boolean }> };
        expect(buyers.map((r) => [r.username, r.complimentary]).sort()).toEqual(
          [
            [f.users.student.username, true],
            [f.users.student2.username, false],
          ].sort(),
        );
        expect(answers).toMatchObject({ "payment.needingAttention": [], "kiosk.listDevices": [], "kiosk.conflicts": [] });
        expect(answers["club.events"]).toEqual(expect.arrayContaining([expect.objectContaining({ name: "Renamed" })]));
        expect(await ticketsOwnedBy()).toBe(2);
        expect(await showingExists()).toBe(false);
        expect(await eventExists()).toBe(false);
        expect(await offered()).toBe(1);
      });
    }

    it("answers 404 to an officer asking about another club's showing under their own club", async () => {
      const { showing } = await f.newShowing({ clubId: f.otherClub.id });
      const error = await failure(f.call(f.users.officer).kiosk.conflicts({ clubId: f.club.id, showingId: showing.id }));
      expect(error).toMatchObject({ status: 404, code: "NOT_FOUND" });
    });

    it("hides unapproved clubs' events from the public but shows them to their officers", async () => {
      const hiddenClub = await f.prisma.club.create({
        data: { code: `hidden${Date.now()}`, name: "Hidden", approved: false, memberships: { create: [{ userId: f.users.officer.id, role: "OFFICER" }] } },
      });
      const { event, showing } = await f.newShowing({ clubId: hiddenClub.id });
      await f.createTickets(showing.id, { type: "normal", count: 2, price: "5.00" });
      expect(await failure(f.call(f.users.student).event.get({ eventId: event.id }))).toMatchObject({ status: 404 });
      expect(await failure(f.call(null).showing.availability({ showingId: showing.id }))).toMatchObject({ status: 404 });
      const list = await f.call(null).event.list();
      expect(list.map((s) => s.showingId)).not.toContain(showing.id);
      const seen = await f.call(f.users.officer).event.get({ eventId: event.id });
      expect(seen.showings[0]).toMatchObject({ id: showing.id, saleStatus: "CLOSED" });
    });
  });
}
