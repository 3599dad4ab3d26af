import { createClub, createEvent, createShowing, createTickets } from "@admit/db/factories";
import { testBackends } from "@admit/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, trpc, type TestServer } from "./harness.ts";

const HOUR = 3_600_000;

for (const backend of testBackends()) {
  describe(`showing REST routes and officer procedures over HTTP (${backend.kind})`, () => {
    let server: TestServer;
    let officerToken: string;
    let otherOfficerToken: string;
    let studentToken: string;
    let clubId: number;
    const accounts: Record<string, { id: string; username: string }> = {};

    beforeAll(async () => {
      server = await startTestServer(backend);
      for (const name of ["officer", "otherOfficer", "student"]) accounts[name] = await server.createAccount();
      accounts.buyer = await server.createAccount({ fullName: 'Conan "The Barbarian" O\'Brien, Jr.' });
      accounts.sneaky = await server.createAccount({ fullName: "=HYPERLINK(\"http://evil.example\")" });
      const prisma = server.db.prisma;
      clubId = (await createClub(prisma, { officers: [accounts.officer!.id] })).id;
      await createClub(prisma, { officers: [accounts.otherOfficer!.id] });
      officerToken = await server.tokenFor(accounts.officer!.username);
      otherOfficerToken = await server.tokenFor(accounts.otherOfficer!.username);
      studentToken = await server.tokenFor(accounts.student!.username);
    });
    afterAll(async () => server?.close());

    async function showingWithTickets(club = clubId) {
      const prisma = server.db.prisma;
      const event = await createEvent(prisma, club, { name: "Winter Concert, 2026" });
      const start = new Date(server.clock.now().getTime() + 24 * HOUR);
      const showing = await createShowing(prisma, event.id, { startTime: start, endTime: new Date(start.getTime() + 2 * HOUR) });
      const general = await createTickets(prisma, showing.id, { type: "General", count: 5, price: "1250.00" });
      await createTickets(prisma, showing.id, { type: "Front Row", count: 2, price: "40.00", transferable: false });
      return { event, showing, general };
    }

    const get = (path: string, token?: string) =>
      fetch(`${server.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

    it("GET /api/events/:eventId/showings/:showingId/tickets/ gives public counts in the reference shape", async () => {
      const { event, showing, general } = await showingWithTickets();
      const prisma = server.db.prisma;
      await prisma.ticket.update({ where: { id: general[0]!.id }, data: { ownerId: accounts.student!.id, amountPaid: "1250.00" } });
      await prisma.ticket.update({
        where: { id: general[1]!.id },
        data: { holderId: accounts.student!.id, holdExpiresAt: new Date(server.clock.now().getTime() + 10 * 60_000) },
      });
      const res = await get(`/api/events/${event.id}/showings/${showing.id}/tickets/`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toContain("application/json");
      expect(await res.json()).toEqual({
        totals: [
          { type: "Front Row", price: "40.00", count: 2 },
          { type: "General", price: "1250.00", count: 5 },
        ],
        available: [
          { type: "Front Row", price: "40.00", count: 2 },
          { type: "General", price: "1250.00", count: 3 },
        ],
      });

      server.clock.advance(10 * 60_000);
      const later = (await (await get(`/api/events/${event.id}/showings/${showing.id}/tickets/`)).json()) as {
        available: Array<{ type: string; count: number }>;
      };
      expect(later.available.find((a) => a.type === "General")?.count).toBe(4);
    });

    it("answers 404 for unknown ids and for a showing of another event, 400 for ids that are not numbers", async () => {
      const a = await showingWithTickets();
      const b = await showingWithTickets();
      for (const path of [
        `/api/events/${a.event.id}/showings/${b.showing.id}/tickets/`,
        `/api/events/99999999/showings/${a.showing.id}/tickets/`,
        `/api/events/${a.event.id}/showings/99999999/tickets/`,
      ]) {
        const res = await get(path);
        expect(res.status, path).toBe(404);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe("NOT_FOUND");
      }
      for (const path of [
        `/api/events/abc/showings/${a.showing.id}/tickets/`,
        `/api/events/${a.event.id}/showings/99999999999/tickets/`,
        "/api/showings/99999999999/buyers.csv",
      ]) {
        const bad = await get(path);
        expect(bad.status, path).toBe(400);
        expect(await bad.json()).toHaveProperty("error.message");
      }
    });

    it("serves the buyers CSV to officers only, with a header row, quoting and harmless formulas", async () => {
      const { showing, general } = await showingWithTickets();
      const prisma = server.db.prisma;
      await prisma.ticket.update({ where: { id: general[0]!.id }, data: { ownerId: accounts.buyer!.id, amountPaid: "1250.00", attended: true, attendedAt: new Date("2026-12-05T19:05:00Z") } });
      await prisma.ticket.update({ where: { id: general[1]!.id }, data: { ownerId: accounts.sneaky!.id, amountPaid: "1000.00" } });
      const path = `/api/showings/${showing.id}/buyers.csv`;

      expect((await get(path)).status).toBe(401);
      expect((await get(path, otherOfficerToken)).status).toBe(404);
      expect((await get(path, studentToken)).status).toBe(404);
      expect((await get(`/api/showings/99999999/buyers.csv`, officerToken)).status).toBe(404);

      const res = await get(path, officerToken);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
      expect(res.headers.get("content-disposition")).toBe(`attachment; filename="buyers-winter-concert-2026-showing-${showing.id}.csv"`);
      const text = await res.text();
      expect(text.split("\r\n")[0]).toBe("Ticket,Name,Username,Email,Type,Attended,Amount paid,Complimentary,Checked in at");
      const lines = text.split("\r\n");
      expect(lines).toHaveLength(4);
      expect(lines[3]).toBe("");
      const line = (username: string) => lines.find((l) => l.includes(`,${username},`));
      const buyer = accounts.buyer!.username;
      expect(line(buyer)).toBe(
        `${general[0]!.id},"Conan ""The Barbarian"" O'Brien, Jr.",${buyer},${buyer}@example.edu,General,yes,1250.00,no,2026-12-05T14:05:00-05:00`,
      );
      const sneaky = accounts.sneaky!.username;
      expect(line(sneaky)).toBe(
        `${general[1]!.id},"'=HYPERLINK(""http://evil.example"")",${sneaky},${sneaky}@example.edu,General,no,1000.00,no,`,
      );
    });

    it("lists both routes in the OpenAPI document", async () => {
      const doc = (await (await get("/api/openapi.json")).json()) as { paths: Record<string, unknown> };
      expect(Object.keys(doc.paths)).toEqual(
        expect.arrayContaining(["/api/events/{eventId}/showings/{showingId}/tickets/", "/api/showings/{id}/buyers.csv"]),
      );
    });

    it("maps officer procedure errors to statuses over HTTP: 400 bad offerings, 401 anonymous, 404 outsiders, 409 sold", async () => {
      const { showing, general } = await showingWithTickets();
      const input = { showingId: showing.id, offerings: [{ type: "General", count: 3, price: "-4" }] };
      const bad = await trpc(server, "showing.setOfferings", { token: officerToken, input, mutation: true });
      expect(bad.status).toBe(400);
      expect(bad.error?.message).toMatch(/negative/);

      const good = { showingId: showing.id, offerings: [{ type: "General", count: 3, price: "4.00" }] };
      expect((await trpc(server, "showing.setOfferings", { input: good, mutation: true })).status).toBe(401);
      const outsider = await trpc(server, "showing.setOfferings", { token: otherOfficerToken, input: good, mutation: true });
      expect(outsider.status).toBe(404);
      expect(outsider.error?.data.appCode).toBe("NOT_FOUND");

      await server.db.prisma.ticket.update({ where: { id: general[0]!.id }, data: { ownerId: accounts.student!.id } });
      const sold = await trpc(server, "showing.setOfferings", { token: officerToken, input: good, mutation: true });
      expect(sold.status).toBe(409);
      expect(sold.error?.data.appCode).toBe("HAS_TICKETS");
      const deleted = await trpc(server, "showing.delete", { token: officerToken, input: { showingId: showing.id }, mutation: true });
      expect(deleted.status).toBe(409);
      expect(await server.db.prisma.ticket.count({ where: { showingId: showing.id } })).toBe(7);

      const issue = await trpc(server, "showing.issueTickets", {
        token: officerToken,
        input: { showingId: showing.id, tickets: [{ username: "ghost_user_x", type: "General" }] },
        mutation: true,
      });
      expect(issue.status).toBe(400);
      expect((issue.error?.data as unknown as { details: unknown }).details).toEqual({ unknownUsernames: ["ghost_user_x"], unknownTypes: [] });

      const events = await trpc(server, "club.events", { token: officerToken, input: { clubId } });
      expect(events.status).toBe(200);
      const listed = await trpc(server, "event.list", {});
      expect(listed.status).toBe(200);
    });
  });
}
