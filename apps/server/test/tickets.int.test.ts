import { randomUUID } from "node:crypto";
import { testBackends } from "@admit/db/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./harness.ts";
import { person, rest, ticketWorld, type TicketWorld } from "./tickets-fixture.ts";

const HOUR = 3_600_000;

for (const backend of testBackends()) {
  describe(`my tickets, attendance and transfers (${backend.kind})`, () => {
    let server: TestServer;
    let world: TicketWorld;

    beforeAll(async () => {
      server = await startTestServer(backend);
      world = await ticketWorld(server);
    });
    afterAll(async () => server?.close());

    it("shows a ticket only once it is owned, in the seed's shape (reference 28)", async () => {
      const id = await world.ticket({ ownerId: null });
      const before = await rest(server, "GET", `/api/tickets/${id}/`, { token: world.student.token });
      expect(before.status).toBe(404);
      await world.prisma.ticket.update({ where: { id }, data: { ownerId: world.student.id, amountPaid: "12.00" } });
      const after = await rest(server, "GET", `/api/tickets/${id}/`, { token: world.student.token });
      expect(after.status).toBe(200);
      expect(after.body).toEqual({
        id,
        showing: {
          id: world.showing.id,
          start_time: world.showing.startTime.toISOString(),
          end_time: world.showing.endTime.toISOString(),
          location: "Zellerbach Theatre",
          time_zone: "America/New_York",
        },
        event: { id: world.event.id, name: "Winter Concert", club: world.club.code, club_name: "Jazz Ensemble" },
        type: expect.any(String),
        owner: "Sam Student",
        attended: false,
        price: "15.00",
        amount_paid: "12.00",
        transferable: true,
        attended_at: null,
        qr_generation: 0,
        exchange: { allowed: false, listed_at: null },
      });
    });

    it("lists nothing at first and every owned ticket after (reference 29)", async () => {
      const buyer = await person(server);
      const empty = await rest(server, "GET", "/api/tickets/", { token: buyer.token });
      expect([empty.status, empty.body]).toEqual([200, []]);
      const ids = [];
      for (let i = 0; i < 5; i++) ids.push(await world.ticket({ ownerId: buyer.id, price: "1234.50" }));
      const listed = await rest(server, "GET", "/api/tickets/", { token: buyer.token });
      const tickets = listed.body as Array<{ id: string; price: string }>;
      expect(tickets.map((t) => t.id).sort()).toEqual([...ids].sort());
      expect(tickets.every((t) => t.price === "1234.50")).toBe(true);
    });

    it("refuses malformed and unknown ticket ids with a 4xx, never a 500", async () => {
      const malformed = await rest(server, "GET", "/api/tickets/not-a-uuid/", { token: world.owner.token });
      expect(malformed.status).toBe(400);
      for (const path of [`/api/tickets/${randomUUID()}/`, `/api/tickets/${randomUUID()}/qr/`]) {
        expect((await rest(server, "GET", path, { token: world.owner.token })).status).toBe(404);
      }
      const transfer = await rest(server, "POST", `/api/tickets/${randomUUID()}/transfer/`, {
        token: world.owner.token,
        body: { username: world.student.username },
      });
      expect(transfer.status).toBe(404);
    });

    describe("attendance", () => {
      it("lets an officer mark someone else's ticket attended (reference 52), logging who and when", async () => {
        const id = await world.ticket();
        server.clock.set(new Date("2030-01-05T19:30:00Z"));
        const answer = await rest(server, "PATCH", `/api/tickets/${id}/`, { token: world.officer.token, body: { attended: true } });
        expect(answer.status).toBe(200);
        expect(answer.body).toMatchObject({ id, attended: true, attended_at: "2030-01-05T19:30:00.000Z" });
        const ticket = await world.prisma.ticket.findUniqueOrThrow({ where: { id } });
        expect(ticket).toMatchObject({ attended: true, attendedById: world.officer.id, attendedAt: new Date("2030-01-05T19:30:00Z") });
        const log = await world.prisma.checkInEntry.findMany({ where: { ticketId: id } });
        expect(log).toEqual([
          expect.objectContaining({
            action: "MARK_ATTENDED",
            actorUserId: world.officer.id,
            showingId: world.showing.id,
            occurredAt: new Date("2030-01-05T19:30:00Z"),
          }),
        ]);
      });

      it("lets an officer un-mark, keeping both changes in the log", async () => {
        const id = await world.ticket();
        server.clock.set(new Date("2030-01-05T19:00:00Z"));
        await rest(server, "PATCH", `/api/tickets/${id}/`, { token: world.officer.token, body: { attended: true } });
        server.clock.set(new Date("2030-01-05T19:05:00Z"));
        const undone = await rest(server, "PATCH", `/api/tickets/${id}/`, { token: world.admin.token, body: { attended: false } });
        expect(undone.status).toBe(200);
        expect(undone.body).toMatchObject({ attended: false, attended_at: null });
        const ticket = await world.prisma.ticket.findUniqueOrThrow({ where: { id } });
        expect(ticket).toMatchObject({ attended: false, attendedAt: null, attendedById: null });
        const log = await world.prisma.checkInEntry.findMany({ where: { ticketId: id }, orderBy: { seq: "asc" } });
        expect(log.map((e) => [e.action, e.actorUserId, e.occurredAt.toISOString()])).toEqual([
          ["MARK_ATTENDED", world.officer.id, "2030-01-05T19:00:00.000Z"],
          ["MARK_NOT_ATTENDED", world.admin.id, "2030-01-05T19:05:00.000Z"],
        ]);
      });

      it("does not let the owner mark their own ticket (reference 53)", async () => {
        const id = await world.ticket();
        const answer = await rest(server, "PATCH", `/api/tickets/${id}/`, { token: world.owner.token, body: { attended: true } });
        expect(answer.status).toBe(404);
        expect((await world.prisma.ticket.findUniqueOrThrow({ where: { id } })).attended).toBe(false);
      });

      it("answers a missing or non-boolean attended with 400 and changes nothing", async () => {
        const id = await world.ticket();
        for (const body of [{}, { attended: "yes" }, { attended: 1 }, { attended: null }, [], '"true"', "not json"]) {
          const answer = await rest(server, "PATCH", `/api/tickets/${id}/`, { token: world.officer.token, body });
          expect(answer.status, JSON.stringify(body)).toBe(400);
          expect(answer.body).toMatchObject({ error: { message: expect.any(String) }, detail: expect.any(String) });
        }
        const missing = await rest(server, "PATCH", `/api/tickets/${id}/`, { token: world.officer.token, body: {} });
        expect((missing.body as { detail: string }).detail).toContain("Missing boolean attribute 'attended'.");
        expect(await world.prisma.checkInEntry.count({ where: { ticketId: id } })).toBe(0);
        expect((await world.prisma.ticket.findUniqueOrThrow({ where: { id } })).attended).toBe(false);
      });

      it("refuses to mark a ticket nobody holds (409)", async () => {
        const id = await world.ticket({ ownerId: null });
        const answer = await rest(server, "PATCH", `/api/tickets/${id}/`, { token: world.officer.token, body: { attended: true } });
        expect(answer.status).toBe(409);
        expect(await world.prisma.checkInEntry.count({ where: { ticketId: id } })).toBe(0);
      });
    });

    describe("transfers", () => {
      beforeEach(() => server.clock.set(world.showing.startTime.getTime() - 2 * HOUR));

      const transfer = (id: string, username: unknown, token = world.owner.token) =>
        rest(server, "POST", `/api/tickets/${id}/transfer/`, { token, body: { username } });

      async function unchanged(id: string) {
        const ticket = await world.prisma.ticket.findUniqueOrThrow({ where: { id } });
        expect([ticket.ownerId, ticket.qrGeneration]).toEqual([world.owner.id, 0]);
        expect(await world.prisma.transferRecord.count({ where: { ticketId: id } })).toBe(0);
        expect(await world.prisma.outgoingEmail.count({ where: { dedupeKey: { startsWith: "transfer:" }, html: { contains: id } } })).toBe(0);
      }

      it("moves the ticket, records it, bumps the QR generation and mails both people (reference 49)", async () => {
        const id = await world.ticket();
        const receiver = await person(server, "Rita Receiver");
        const notMine = await transfer(id, receiver.username, world.student.token);
        expect(notMine.status).toBe(404);
        const answer = await transfer(id, receiver.username);
        expect(answer.status).toBe(200);
        expect(answer.body).toMatchObject({ detail: "Successfully transferred ownership of ticket", ticket_id: id, receiver: receiver.username });
        const ticket = await world.prisma.ticket.findUniqueOrThrow({ where: { id } });
        expect([ticket.ownerId, ticket.qrGeneration]).toEqual([receiver.id, 1]);
        const records = await world.prisma.transferRecord.findMany({ where: { ticketId: id } });
        expect(records).toEqual([
          expect.objectContaining({ senderId: world.owner.id, receiverId: receiver.id, qrGeneration: 1, createdAt: server.clock.now() }),
        ]);
        const mails = await world.prisma.outgoingEmail.findMany({
          where: { dedupeKey: { startsWith: `transfer:${records[0]!.id}:` } },
          orderBy: { dedupeKey: "asc" },
        });
        expect(mails.map((m) => m.toAddress)).toEqual([`${receiver.username}@example.edu`, `${world.owner.username}@example.edu`]);
        const [toReceiver, toSender] = mails;
        expect(toReceiver!.attachments).toEqual([{ filename: `ticket-${id}.png`, qrTicketId: id, cid: `qr-${id}` }]);
        expect(toReceiver!.html).toContain(`cid:qr-${id}`);
        expect(toReceiver!.text).toContain("Olive Owner");
        expect(toSender!.text).toContain("Rita Receiver");
        expect(toSender!.attachments).toEqual([]);
        expect((await rest(server, "GET", `/api/tickets/${id}/`, { token: world.owner.token })).status).toBe(404);
        expect((await rest(server, "GET", `/api/tickets/${id}/`, { token: receiver.token })).body).toMatchObject({ owner: "Rita Receiver" });
      });

      it("refuses a non-transferable ticket with 403 (reference 50)", async () => {
        const id = await world.ticket({ transferable: false });
        const answer = await transfer(id, world.student.username);
        expect(answer.status).toBe(403);
        expect(answer.body).toMatchObject({ error: { code: "TRANSFER_NOT_ALLOWED" } });
        await unchanged(id);
      });

      it("refuses a transfer to oneself with 403 (reference 51)", async () => {
        const id = await world.ticket();
        const answer = await transfer(id, world.owner.username.toUpperCase());
        expect(answer.status).toBe(403);
        expect(answer.body).toMatchObject({ error: { code: "TRANSFER_NOT_ALLOWED" } });
        await unchanged(id);
      });

      it("refuses an unknown username with 404", async () => {
        const id = await world.ticket();
        const answer = await transfer(id, "nobody_by_this_name");
        expect(answer.status).toBe(404);
        expect((answer.body as { detail: string }).detail).toContain("nobody_by_this_name");
        await unchanged(id);
      });

      it("refuses once the ticket was used at the door", async () => {
        const id = await world.ticket();
        expect((await rest(server, "PATCH", `/api/tickets/${id}/`, { token: world.officer.token, body: { attended: true } })).status).toBe(200);
        const answer = await transfer(id, world.student.username);
        expect(answer.status).toBe(403);
        expect(answer.body).toMatchObject({ error: { code: "TRANSFER_NOT_ALLOWED" } });
        await unchanged(id);
      });

      it("refuses once the showing has ended", async () => {
        const id = await world.ticket();
        server.clock.set(world.showing.endTime);
        const answer = await transfer(id, world.student.username);
        expect(answer.status).toBe(403);
        expect((answer.body as { detail: string }).detail).toContain("ended");
        await unchanged(id);
      });

      it("answers bad bodies with 400 and changes nothing", async () => {
        const id = await world.ticket();
        for (const body of [{}, { username: 5 }, { username: "" }, { username: null }, "[1]", "not json"]) {
          const answer = await rest(server, "POST", `/api/tickets/${id}/transfer/`, { token: world.owner.token, body });
          expect(answer.status, JSON.stringify(body)).toBe(400);
          expect(answer.body).toMatchObject({ error: { message: expect.any(String) } });
        }
        await unchanged(id);
      });

      it("lets the new owner pass the ticket on, and each transfer is its own record", async () => {
        const id = await world.ticket();
        const second = await person(server);
        expect((await transfer(id, world.student.username)).status).toBe(200);
        expect((await transfer(id, second.username, world.student.token)).status).toBe(200);
        const ticket = await world.prisma.ticket.findUniqueOrThrow({ where: { id } });
        expect([ticket.ownerId, ticket.qrGeneration]).toEqual([second.id, 2]);
        const records = await world.prisma.transferRecord.findMany({ where: { ticketId: id }, orderBy: { id: "asc" } });
        expect(records.map((r) => [r.senderId, r.receiverId, r.qrGeneration])).toEqual([
          [world.owner.id, world.student.id, 1],
          [world.student.id, second.id, 2],
        ]);
      });
    });
  });
}
