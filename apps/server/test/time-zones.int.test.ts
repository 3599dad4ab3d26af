import { Prisma } from "@admit/db";
import { fulfilTickets } from "@admit/domain";
import { testBackends } from "@admit/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { concertClub, getWith, mailTo } from "./finance-fixtures.ts";
import { startTestServer, trpc, type TestServer } from "./harness.ts";
import { actorOf, soldOrder } from "./refund-fixtures.ts";

for (const backend of testBackends()) {
  describe(`time zones in what people read outside the browser (${backend.kind})`, () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer(backend);
      server.clock.set(new Date("2026-11-20T15:00:00Z"));
    });
    afterAll(async () => server?.close());

    /** Sells one ticket of the showing to a new student through fulfilment (which queues the receipt). */
    async function buyOne(showingId: number) {
      const buyer = await server.createAccount({ fullName: "Bea Buyer" });
      const ticket = await server.db.prisma.ticket.findFirstOrThrow({ where: { showingId, ownerId: null }, orderBy: { id: "asc" } });
      await server.db.prisma.$transaction((tx) =>
        fulfilTickets(tx, { clock: server.clock, siteTimeZone: server.runtime.config.timeZone }, {
          userId: buyer.id,
          paymentId: null,
          tickets: [{ id: ticket.id, amountPaid: new Prisma.Decimal("0.00") }],
          publicUrl: server.url,
        }),
      );
      return { buyer, ticketId: ticket.id };
    }

    it("writes a 2 PM New York concert as 2:00 PM EST in receipts, complimentary and transfer mails, the CSV and the ticket's zone", async () => {
      const club = await concertClub(server);
      const when = "Saturday, December 5, 2026, 2:00 PM – 4:00 PM EST";

      const { buyer, ticketId } = await buyOne(club.showingId);
      const [receipt] = await mailTo(server, buyer.username);
      expect(receipt?.text).toContain(when);
      expect(receipt?.text).not.toContain("UTC");

      const guest = await server.createAccount({ fullName: "Gil Guest" });
      await server.runtime.services.ticketIssuing.issue(club.officer.actor, {
        showingId: club.showingId,
        tickets: [{ username: guest.username, type: "General", count: 1 }],
      });
      const [gift] = await mailTo(server, guest.username);
      expect(gift?.text).toContain(`When: ${when}`);

      const friend = await server.createAccount({ fullName: "Fay Friend" });
      await server.runtime.services.ticketTransfers.transfer(await actorOf(server, buyer.id), ticketId, friend.username);
      const [received] = await mailTo(server, friend.username);
      expect(received?.text).toContain(`When: ${when}`);

      const ticket = JSON.parse((await getWith(server, `/api/tickets/${ticketId}/`, await server.tokenFor(friend.username))).text) as {
        showing: { time_zone: string };
      };
      expect(ticket.showing.time_zone).toBe("America/New_York");
    });

    it("writes summer showings with EDT, in the blast mail too", async () => {
      const club = await concertClub(server, { when: { start: new Date("2027-07-04T18:00:00Z"), end: new Date("2027-07-04T20:00:00Z") } });
      const { buyer } = await buyOne(club.showingId);
      await server.runtime.services.emailBlasts.send(club.officer.actor, { showingId: club.showingId, message: "Doors open early." });
      const mails = await mailTo(server, buyer.username);
      expect(mails.map((m) => m.text).join("\n")).toContain("Sunday, July 4, 2027, 2:00 PM – 4:00 PM EDT");
      expect(mails.find((m) => m.subject.startsWith("Update on"))?.text).toContain("2:00 PM – 4:00 PM EDT");
    });

    it("uses the zone officers set for their club, and the site's again when they clear it", async () => {
      const club = await concertClub(server);
      const settings = await trpc(server, "club.settings", { token: club.officer.token, input: { clubId: club.clubId } });
      expect(settings.data).toEqual({ clubId: club.clubId, timeZone: null, effectiveTimeZone: "America/New_York", siteTimeZone: "America/New_York" });

      const set = await trpc(server, "club.updateSettings", {
        token: club.officer.token,
        mutation: true,
        input: { clubId: club.clubId, timeZone: "america/chicago" },
      });
      // Kept as Intl spells it, whatever the case it was typed in (calendar files carry the name).
      expect(set.data).toMatchObject({ timeZone: "America/Chicago", effectiveTimeZone: "America/Chicago" });

      const { buyer, ticketId } = await buyOne(club.showingId);
      const [receipt] = await mailTo(server, buyer.username);
      expect(receipt?.text).toContain("Saturday, December 5, 2026, 1:00 PM – 3:00 PM CST");
      const ticket = JSON.parse((await getWith(server, `/api/tickets/${ticketId}/`, await server.tokenFor(buyer.username))).text) as {
        showing: { time_zone: string };
      };
      expect(ticket.showing.time_zone).toBe("America/Chicago");

      const csv = (await getWith(server, `/api/clubs/${club.code}/finance.csv`, club.officer.token)).text;
      // Free orders move no money, so the file has a header only; the report's months are Chicago's.
      expect(csv.split("\r\n")[0]).toContain("Date and time");
      const report = JSON.parse((await getWith(server, `/api/clubs/${club.code}/finance/`, club.officer.token)).text) as { timeZone: string };
      expect(report.timeZone).toBe("America/Chicago");

      const cleared = await trpc(server, "club.updateSettings", {
        token: club.officer.token,
        mutation: true,
        input: { clubId: club.clubId, timeZone: null },
      });
      expect(cleared.data).toMatchObject({ timeZone: null, effectiveTimeZone: "America/New_York" });
    });

    it("writes paid sales in the CSV at the club's wall-clock time with its offset and the showing with its abbreviation", async () => {
      const club = await concertClub(server, { timeZone: "Europe/London" });
      server.clock.set(new Date("2026-11-25T19:00:00Z"));
      const order = await soldOrder(server, [{ showingId: club.showingId, count: 1 }]);
      const csv = (await getWith(server, `/api/clubs/${club.code}/finance.csv`, club.officer.token)).text;
      const row = csv.split("\r\n")[1] ?? "";
      expect(row).toContain("2026-11-25T19:00:00+00:00");
      expect(row).toContain(order.reference);
      expect(row).toContain('"Dec 5, 2026, 7:00 PM GMT"');
    });

    it("refuses an unknown zone and other people's clubs, changing nothing", async () => {
      const club = await concertClub(server, { timeZone: "America/Denver" });
      const bad = await trpc(server, "club.updateSettings", {
        token: club.officer.token,
        mutation: true,
        input: { clubId: club.clubId, timeZone: "America/Gotham" },
      });
      expect(bad.status).toBe(400);
      expect(bad.error?.data.appCode).toBe("VALIDATION_FAILED");
      expect(bad.error?.message).toContain("America/Gotham");

      const student = await server.createAccount();
      const token = await server.tokenFor(student.username);
      const stranger = await trpc(server, "club.updateSettings", {
        token,
        mutation: true,
        input: { clubId: club.clubId, timeZone: "UTC" },
      });
      expect(stranger.error?.data.appCode).toBe("NOT_FOUND");
      expect((await trpc(server, "club.settings", { token, input: { clubId: club.clubId } })).error?.data.appCode).toBe("NOT_FOUND");
      const stored = await server.db.prisma.club.findUniqueOrThrow({ where: { id: club.clubId }, select: { timeZone: true } });
      expect(stored.timeZone).toBe("America/Denver");
    });
  });
}

describe("TIME_ZONE", () => {
  it("is the zone of clubs without their own", async () => {
    const [backend] = testBackends();
    if (!backend) throw new Error("no test database");
    const server = await startTestServer(backend, { TIME_ZONE: "America/Los_Angeles" });
    try {
      const club = await concertClub(server);
      const guest = await server.createAccount();
      await server.runtime.services.ticketIssuing.issue(club.officer.actor, {
        showingId: club.showingId,
        tickets: [{ username: guest.username, type: "General", count: 1 }],
      });
      const [gift] = await mailTo(server, guest.username);
      expect(gift?.text).toContain("Saturday, December 5, 2026, 11:00 AM – 1:00 PM PST");
    } finally {
      await server.close();
    }
  });
});
