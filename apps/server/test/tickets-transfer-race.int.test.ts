import { createUser } from "@admit/db/factories";
import { racesRunOn, testBackends } from "@admit/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./harness.ts";
import { rest, ticketWorld, type TicketWorld } from "./tickets-fixture.ts";

for (const backend of testBackends()) {
  describe.skipIf(!racesRunOn(backend))(`race on PostgreSQL: simultaneous transfers of one ticket (${backend.kind})`, () => {
    let server: TestServer;
    let world: TicketWorld;

    beforeAll(async () => {
      server = await startTestServer(backend);
      world = await ticketWorld(server);
    });
    afterAll(async () => server?.close());

    it("20 parallel transfers to different people leave exactly one new owner and one record", async () => {
      const id = await world.ticket();
      // Receivers need only an account (no password or token) to be given a ticket.
      const receivers = await Promise.all(Array.from({ length: 20 }, () => createUser(world.prisma)));
      const answers = await Promise.all(
        receivers.map((r) =>
          rest(server, "POST", `/api/tickets/${id}/transfer/`, { token: world.owner.token, body: { username: r.username } }),
        ),
      );
      const statuses = answers.map((a) => a.status).sort();
      expect(statuses).toEqual([200, ...Array<number>(19).fill(404)]);
      const winner = receivers[answers.findIndex((a) => a.status === 200)]!;
      const ticket = await world.prisma.ticket.findUniqueOrThrow({ where: { id } });
      expect([ticket.ownerId, ticket.qrGeneration]).toEqual([winner.id, 1]);
      const records = await world.prisma.transferRecord.findMany({ where: { ticketId: id } });
      expect(records.map((r) => [r.senderId, r.receiverId])).toEqual([[world.owner.id, winner.id]]);
      expect(await world.prisma.outgoingEmail.count({ where: { dedupeKey: { startsWith: `transfer:${records[0]!.id}:` } } })).toBe(2);
    });
  });
}
