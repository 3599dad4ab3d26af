import { testBackends } from "@admit/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { failure, HOUR, openCatalog, type CatalogFixture } from "./catalog-fixture.ts";

const MINUTE = 60_000;

for (const backend of testBackends()) {
  describe(`catalogue, counts, dashboard, buyers and blasts (${backend.kind})`, () => {
    let f: CatalogFixture;
    beforeAll(async () => {
      f = await openCatalog(backend);
    });
    afterAll(async () => f?.close());

    async function hold(ticketId: string, userId: string, minutes: number) {
      await f.prisma.ticket.update({
        where: { id: ticketId },
        data: { holderId: userId, holdExpiresAt: new Date(f.clock.now().getTime() + minutes * MINUTE) },
      });
    }

    it("counts an expired hold as available, an unexpired one not, and never counts owned or unbuyable tickets", async () => {
      const { showing } = await f.newShowing();
      const normal = await f.createTickets(showing.id, { type: "normal", count: 4, price: "15.00" });
      await f.createTickets(showing.id, { type: "staff", count: 2, price: "0", buyable: false });
      await hold(normal[0]!.id, f.users.student.id, 10);
      await f.prisma.ticket.update({ where: { id: normal[1]!.id }, data: { ownerId: f.users.student2.id, amountPaid: "15.00" } });
      const anonymous = f.call(null);
      expect(await anonymous.showing.availability({ showingId: showing.id })).toEqual({
        totals: [
          { type: "normal", price: "15.00", count: 4 },
          { type: "staff", price: "0.00", count: 2 },
        ],
        available: [{ type: "normal", price: "15.00", count: 2 }],
      });
      f.clock.advance(10 * MINUTE);
      expect((await anonymous.showing.availability({ showingId: showing.id })).available).toEqual([
        { type: "normal", price: "15.00", count: 3 },
      ]);
    });

    it("reports empty lists without tickets, and drops a sold-out type from `available` (reference scenarios 13 and 14)", async () => {
      const { showing } = await f.newShowing();
      expect(await f.call(null).showing.availability({ showingId: showing.id })).toEqual({ totals: [], available: [] });
      await f.createTickets(showing.id, { type: "normal", count: 20, price: "15.00" });
      await f.createTickets(showing.id, { type: "premium", count: 10, price: "30.00" });
      await f.prisma.ticket.updateMany({ where: { showingId: showing.id, type: "normal" }, data: { ownerId: f.users.student.id } });
      expect(await f.call(f.users.student).showing.availability({ showingId: showing.id })).toEqual({
        totals: [
          { type: "normal", price: "15.00", count: 20 },
          { type: "premium", price: "30.00", count: 10 },
        ],
        available: [{ type: "premium", price: "30.00", count: 10 }],
      });
      expect(await failure(f.call(null).showing.availability({ showingId: 987654 }))).toMatchObject({ status: 404 });
    });

    it("lists upcoming showings of public clubs with prices, availability, drop time and order limit", async () => {
      const code = `list${Date.now()}`;
      const club = await f.prisma.club.create({ data: { code, name: "Listing Club", approved: true } });
      const drop = new Date(f.clock.now().getTime() + 2 * HOUR);
      const soon = await f.newShowing({ clubId: club.id, dropTime: drop });
      await f.prisma.showing.update({ where: { id: soon.showing.id }, data: { ticketOrderLimit: 4 } });
      await f.createTickets(soon.showing.id, { type: "general", count: 3, price: "15.00" });
      await f.createTickets(soon.showing.id, { type: "patron", count: 2, price: "1500.00" });
      await f.createTickets(soon.showing.id, { type: "comp", count: 5, price: "0", buyable: false });
      const ended = await f.newShowing({ clubId: club.id });
      await f.prisma.showing.update({
        where: { id: ended.showing.id },
        data: { startTime: new Date(f.clock.now().getTime() - 3 * HOUR), endTime: new Date(f.clock.now().getTime() - HOUR) },
      });
      const archived = await f.prisma.club.create({ data: { code: `${code}x`, name: "Old", approved: true, archived: true } });
      await f.newShowing({ clubId: archived.id });

      const list = await f.call(null).event.list({ clubCode: code });
      expect(list).toEqual([
        {
          showingId: soon.showing.id,
          eventId: soon.event.id,
          eventName: soon.event.name,
          club: { id: club.id, code, name: "Listing Club" },
          startTime: soon.showing.startTime.toISOString(),
          endTime: soon.showing.endTime.toISOString(),
          location: "Main Hall",
          dropTime: drop.toISOString(),
          orderLimit: 4,
          saleStatus: "NOT_YET",
          minPrice: "15.00",
          maxPrice: "1500.00",
          available: 5,
          cancelReason: null,
        },
      ]);
      expect((await f.call(null).event.list({ clubCode: `${code}x` })).length).toBe(0);
    });

    it("shows one event with per-type price, group rule, transferability, availability and sale status", async () => {
      const { event, showing } = await f.newShowing();
      await f.createTickets(showing.id, { type: "general", count: 5, price: "15.00", groupDiscount: "0.2", groupSize: 4 });
      await f.createTickets(showing.id, { type: "front", count: 2, price: "40.00", transferable: false });
      await f.createTickets(showing.id, { type: "comp", count: 2, price: "0", buyable: false });
      const later = await f.prisma.showing.create({
        data: {
          eventId: event.id,
          startTime: new Date(f.clock.now().getTime() + 48 * HOUR),
          endTime: new Date(f.clock.now().getTime() + 50 * HOUR),
          ticketDropTime: new Date(f.clock.now().getTime() + 5 * HOUR),
        },
      });
      const past = await f.prisma.showing.create({
        data: { eventId: event.id, startTime: new Date(f.clock.now().getTime() - 5 * HOUR), endTime: new Date(f.clock.now().getTime() - 4 * HOUR) },
      });
      const detail = await f.call(null).event.get({ eventId: event.id });
      expect(detail).toMatchObject({ id: event.id, name: event.name, club: { id: f.club.id, code: f.club.code } });
      expect(detail.showings.map((s) => [s.id, s.saleStatus])).toEqual([
        [past.id, "ENDED"],
        [showing.id, "ON_SALE"],
        [later.id, "NOT_YET"],
      ]);
      expect(detail.showings[1]!.types).toEqual([
        {
          type: "front",
          price: "40.00",
          groupDiscount: null,
          groupQuote: null,
          transferable: false,
          available: 2,
          inCart: 0,
          saleStatus: "ON_SALE",
          salesEndAt: null,
          returnHoursBefore: null,
          exchangeAllowed: false,
        },
        {
          type: "general",
          price: "15.00",
          groupDiscount: { size: 4, fraction: "0.2" },
          groupQuote: { size: 4, percentOff: "20", unitPrice: "12.00" },
          transferable: true,
          available: 5,
          inCart: 0,
          saleStatus: "ON_SALE",
          salesEndAt: null,
          returnHoursBefore: null,
          exchangeAllowed: false,
        },
      ]);
      // Signed out: no order limit counted for anyone.
      expect(detail.showings.map((s) => s.allowance)).toEqual([null, null, null]);
      expect(detail.showings.map((s) => s.hasLobby)).toEqual([false, false, false]);
      expect(await failure(f.call(null).event.get({ eventId: 99999999 }))).toMatchObject({ status: 404 });
    });

    it("gives officers live numbers per showing: sold, unexpired holds, available, revenue and check-ins", async () => {
      const { event, showing } = await f.newShowing();
      const tickets = await f.createTickets(showing.id, { type: "general", count: 6, price: "1200.50" });
      await f.prisma.ticket.update({ where: { id: tickets[0]!.id }, data: { ownerId: f.users.student.id, amountPaid: "1200.50", attended: true } });
      await f.prisma.ticket.update({ where: { id: tickets[1]!.id }, data: { ownerId: f.users.student2.id, amountPaid: "960.40" } });
      await hold(tickets[2]!.id, f.users.owner.id, 10);
      await hold(tickets[3]!.id, f.users.owner.id, -1);
      const events = await f.call(f.users.officer).club.events({ clubId: f.club.id });
      const row = events.find((e) => e.id === event.id)!.showings[0]!;
      expect(row).toMatchObject({ id: showing.id, total: 6, sold: 2, held: 1, available: 3, revenue: "2160.90", checkedIn: 1 });
      expect(row.types).toEqual([
        expect.objectContaining({ type: "general", price: "1200.50", total: 6, sold: 2, held: 1, available: 3, issuable: 3, revenue: "2160.90" }),
      ]);

      // Reserved tickets (not for sale) are never available to students, but an officer can give them away.
      await f.createTickets(showing.id, { type: "crew", count: 2, price: "0", buyable: false });
      const again = (await f.call(f.users.officer).club.events({ clubId: f.club.id })).find((e) => e.id === event.id)!.showings[0]!;
      expect(again.types.find((t) => t.type === "crew")).toMatchObject({ total: 2, available: 0, issuable: 2 });
    });

    it("lists buyers for officers, the current owner of each ticket (reference scenario 15)", async () => {
      const { showing } = await f.newShowing();
      const tickets = await f.createTickets(showing.id, { type: "general", count: 3, price: "2500.00" });
      await f.prisma.ticket.update({ where: { id: tickets[0]!.id }, data: { ownerId: f.users.student.id, amountPaid: "2500.00" } });
      await f.call(f.users.officer).showing.issueTickets({ showingId: showing.id, tickets: [{ username: f.users.student2.username, type: "general" }] });
      const { buyers } = await f.call(f.users.admin).showing.buyers({ showingId: showing.id });
      const byUser = Object.fromEntries(buyers.map((b) => [b.username, b]));
      expect(buyers).toHaveLength(2);
      expect(byUser[f.users.student.username]).toMatchObject({
        ticketId: tickets[0]!.id,
        name: f.users.student.fullName,
        email: f.users.student.email,
        type: "general",
        attended: false,
        amountPaid: "2500.00",
        complimentary: false,
      });
      expect(byUser[f.users.student2.username]).toMatchObject({ amountPaid: "0.00", complimentary: true });
    });

    it("e-mails each ticket holder separately, once per person, with only their own address (reference scenarios 11 and 12)", async () => {
      const { event, showing } = await f.newShowing();
      const tickets = await f.createTickets(showing.id, { type: "general", count: 5, price: "15.00" });
      await f.prisma.ticket.updateMany({ where: { id: { in: [tickets[0]!.id, tickets[1]!.id] } }, data: { ownerId: f.users.student.id } });
      await f.prisma.ticket.update({ where: { id: tickets[2]!.id }, data: { ownerId: f.users.student2.id } });
      await hold(tickets[3]!.id, f.users.owner.id, 10);
      // Blasts go to confirmed addresses only; otherOfficer holds a ticket with an unconfirmed one.
      await f.prisma.ticket.update({ where: { id: tickets[4]!.id }, data: { ownerId: f.users.otherOfficer.id } });
      await f.prisma.user.updateMany({ where: { id: { in: [f.users.student.id, f.users.student2.id] } }, data: { emailVerified: true } });
      const before = await f.mailCount();

      expect(await failure(f.call(f.users.officer).showing.emailBlast({ showingId: showing.id, message: "   " }))).toMatchObject({
        status: 400,
      });
      expect(await f.mailCount()).toBe(before);

      const result = await f.call(f.users.officer).showing.emailBlast({ showingId: showing.id, message: "Doors open at 7.\n\nBring ID." });
      expect(result).toEqual({ recipients: 2, skippedUnverified: 1 });
      const sent = await f.prisma.outgoingEmail.findMany({ where: { subject: { contains: event.name } } });
      expect(sent.map((m) => m.toAddress).sort()).toEqual([f.users.student.email, f.users.student2.email].sort());
      for (const mail of sent) {
        expect(mail.toAddress).not.toContain(",");
        expect(mail.subject).toBe(`Update on ${event.name} from ${f.club.name}`);
        expect(mail.text).toContain("Doors open at 7.");
        expect(mail.text).toContain("Bring ID.");
        const others = [f.users.student.email, f.users.student2.email, f.users.owner.email, f.users.otherOfficer.email].filter(
          (a) => a !== mail.toAddress,
        );
        for (const other of others) {
          expect(mail.text).not.toContain(other);
          expect(mail.html ?? "").not.toContain(other);
        }
      }
    });
  });
}
