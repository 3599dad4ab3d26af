import { randomBytes } from "node:crypto";
import { testBackends } from "@admit/db/testing";
import { hashDeviceToken, DEVICE_TOKEN_PREFIX } from "@admit/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, TEST_PASSWORD, trpc, type TestServer } from "./harness.ts";
import { rest, revokedToken, ticketWorld, type TicketWorld } from "./tickets-fixture.ts";

type Caller = "owner" | "ownerCookie" | "student" | "officer" | "otherOfficer" | "admin" | "anonymous" | "revoked" | "device";

/** What each caller gets from each endpoint: the authorization matrix of the seed API's ticket routes. */
const matrix: Record<string, Record<Caller, number>> = {
  list: { owner: 200, ownerCookie: 200, student: 200, officer: 200, otherOfficer: 200, admin: 200, anonymous: 401, revoked: 401, device: 401 },
  detail: { owner: 200, ownerCookie: 200, student: 404, officer: 200, otherOfficer: 404, admin: 200, anonymous: 401, revoked: 401, device: 401 },
  qr: { owner: 200, ownerCookie: 200, student: 404, officer: 404, otherOfficer: 404, admin: 404, anonymous: 401, revoked: 401, device: 401 },
  attend: { owner: 404, ownerCookie: 404, student: 404, officer: 200, otherOfficer: 404, admin: 200, anonymous: 401, revoked: 401, device: 401 },
  transfer: { owner: 200, ownerCookie: 200, student: 404, officer: 404, otherOfficer: 404, admin: 404, anonymous: 401, revoked: 401, device: 401 },
};

for (const backend of testBackends()) {
  describe(`ticket routes: who may call what (${backend.kind})`, () => {
    let server: TestServer;
    let world: TicketWorld;
    const credentials = {} as Record<Caller, { token?: string; cookie?: string; origin?: string }>;

    beforeAll(async () => {
      server = await startTestServer(backend);
      world = await ticketWorld(server);
      const signIn = await fetch(`${server.url}/api/auth/sign-in/username`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: server.url },
        body: JSON.stringify({ username: world.owner.username, password: TEST_PASSWORD }),
      });
      const cookie = signIn.headers.getSetCookie().find((c) => c.startsWith("admit.session_token="))!.split(";")[0]!;
      const deviceToken = `${DEVICE_TOKEN_PREFIX}${randomBytes(24).toString("base64url")}`;
      await world.prisma.kioskDevice.create({
        data: {
          clubId: world.club.id,
          name: "Door 1",
          tokenHash: hashDeviceToken(deviceToken),
          createdById: world.officer.id,
          pairedAt: server.clock.now(),
          showings: { create: [{ showingId: world.showing.id }] },
        },
      });
      Object.assign(credentials, {
        owner: { token: world.owner.token },
        // A browser on our own origin: it sends Origin with every POST and PATCH (see csrf.int.test.ts).
        ownerCookie: { cookie, origin: server.url },
        student: { token: world.student.token },
        officer: { token: world.officer.token },
        otherOfficer: { token: world.otherOfficer.token },
        admin: { token: world.admin.token },
        anonymous: {},
        revoked: { token: await revokedToken(server, world.owner) },
        device: { token: deviceToken },
      });
    });
    afterAll(async () => server?.close());

    const callers = Object.keys(matrix.list!) as Caller[];

    function expectError(answer: { status: number; headers: Headers; body: unknown }, status: number) {
      expect(answer.headers.get("content-type")).toContain("application/json");
      expect(answer.body).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) }, detail: expect.any(String) });
      if (status === 401) expect(answer.body).toMatchObject({ error: { code: "UNAUTHENTICATED" } });
      if (status === 404) expect(answer.body).toMatchObject({ error: { code: "NOT_FOUND" } });
    }

    it.each(callers)("GET /api/tickets/ as %s", async (caller) => {
      const id = await world.ticket();
      const answer = await rest(server, "GET", "/api/tickets/", credentials[caller]);
      expect(answer.status).toBe(matrix.list![caller]);
      if (answer.status !== 200) return expectError(answer, answer.status);
      const ids = (answer.body as Array<{ id: string }>).map((t) => t.id);
      expect(ids.includes(id)).toBe(caller === "owner" || caller === "ownerCookie");
    });

    it.each(callers)("GET /api/tickets/{id}/ as %s", async (caller) => {
      const id = await world.ticket();
      const answer = await rest(server, "GET", `/api/tickets/${id}/`, credentials[caller]);
      expect(answer.status).toBe(matrix.detail![caller]);
      if (answer.status === 200) expect(answer.body).toMatchObject({ id, owner: "Olive Owner" });
      else expectError(answer, answer.status);
    });

    it.each(callers)("GET /api/tickets/{id}/qr/ as %s", async (caller) => {
      const id = await world.ticket();
      const answer = await rest(server, "GET", `/api/tickets/${id}/qr/`, credentials[caller]);
      expect(answer.status).toBe(matrix.qr![caller]);
      if (answer.status === 200) {
        expect(answer.headers.get("content-type")).toBe("image/png");
        expect(answer.bytes.subarray(1, 4).toString("latin1")).toBe("PNG");
      } else expectError(answer, answer.status);
    });

    it.each(callers)("PATCH /api/tickets/{id}/ as %s", async (caller) => {
      const id = await world.ticket();
      const answer = await rest(server, "PATCH", `/api/tickets/${id}/`, { ...credentials[caller], body: { attended: true } });
      expect(answer.status).toBe(matrix.attend![caller]);
      const after = await world.prisma.ticket.findUniqueOrThrow({ where: { id } });
      const log = await world.prisma.checkInEntry.count({ where: { ticketId: id } });
      if (answer.status === 200) {
        expect(answer.body).toMatchObject({ id, attended: true });
        expect([after.attended, log]).toEqual([true, 1]);
      } else {
        expectError(answer, answer.status);
        expect([after.attended, log]).toEqual([false, 0]);
      }
    });

    it.each(callers)("POST /api/tickets/{id}/transfer/ as %s", async (caller) => {
      const id = await world.ticket();
      const answer = await rest(server, "POST", `/api/tickets/${id}/transfer/`, {
        ...credentials[caller],
        body: { username: world.student.username },
      });
      expect(answer.status).toBe(matrix.transfer![caller]);
      const after = await world.prisma.ticket.findUniqueOrThrow({ where: { id } });
      const records = await world.prisma.transferRecord.count({ where: { ticketId: id } });
      if (answer.status === 200) {
        expect(answer.body).toMatchObject({ detail: "Successfully transferred ownership of ticket" });
        expect([after.ownerId, after.qrGeneration, records]).toEqual([world.student.id, 1, 1]);
      } else {
        expectError(answer, answer.status);
        expect([after.ownerId, after.qrGeneration, records]).toEqual([world.owner.id, 0, 0]);
      }
    });

    it("answers the tRPC procedures with the same rules", async () => {
      const id = await world.ticket();
      const as = (who: Caller) => credentials[who];
      expect((await trpc(server, "ticket.list", {})).status).toBe(401);
      expect((await trpc(server, "ticket.list", as("revoked"))).status).toBe(401);
      expect((await trpc(server, "ticket.transfers", {})).status).toBe(401);
      expect((await trpc(server, "ticket.get", { ...as("student"), input: { id } })).status).toBe(404);
      expect((await trpc(server, "ticket.get", { ...as("otherOfficer"), input: { id } })).status).toBe(404);
      const seen = await trpc(server, "ticket.get", { ...as("officer"), input: { id } });
      expect(seen.data).toMatchObject({ id, price: "15.00", owner: "Olive Owner" });
      const mine = await trpc(server, "ticket.list", as("owner"));
      expect((mine.data as Array<{ id: string }>).map((t) => t.id)).toContain(id);

      const byOwner = await trpc(server, "ticket.setAttended", { ...as("owner"), mutation: true, input: { id, attended: true } });
      expect(byOwner.status).toBe(404);
      const byOfficer = await trpc(server, "ticket.setAttended", { ...as("officer"), mutation: true, input: { id, attended: true } });
      expect(byOfficer.data).toMatchObject({ id, attended: true });

      const other = await world.ticket();
      const stranger = await trpc(server, "ticket.transfer", {
        ...as("student"),
        mutation: true,
        input: { id: other, username: world.student.username },
      });
      expect(stranger.status).toBe(404);
      const given = await trpc(server, "ticket.transfer", {
        ...as("owner"),
        mutation: true,
        input: { id: other, username: world.student.username },
      });
      expect(given.data).toMatchObject({ ticket_id: other, receiver: world.student.username });
      const received = await trpc(server, "ticket.transfers", as("student"));
      expect(received.data).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            ticket_id: other,
            direction: "received",
            counterpart: { username: world.owner.username, full_name: "Olive Owner" },
          }),
        ]),
      );
      const sent = await trpc(server, "ticket.transfers", as("owner"));
      expect(sent.data).toEqual(
        expect.arrayContaining([expect.objectContaining({ ticket_id: other, direction: "sent", event: { id: world.event.id, name: "Winter Concert" } })]),
      );
    });
  });
}
