import { randomUUID } from "node:crypto";
import { testBackends, type TestBackend } from "@admit/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDoor, doorWorld, type DoorWorld } from "./e2e/kiosk-fixtures.ts";
import { startTestServer, trpc, type TestServer } from "./harness.ts";

interface PushEvent {
  event: string;
  data: string;
}

/**
 * Reads a server-sent event stream as it arrives. `next` resolves with the next event that matches, or fails after
 * `ms` (the stream staying silent is what the push must not do).
 */
async function openStream(server: TestServer, token: string, headers: Record<string, string> = {}) {
  const abort = new AbortController();
  const res = await fetch(`${server.url}/api/door/stream`, { headers: { authorization: `Bearer ${token}`, ...headers }, signal: abort.signal });
  const events: PushEvent[] = [];
  const waiters: Array<() => void> = [];
  let buffer = "";
  void (async () => {
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const field = (name: string) => block.split("\n").find((line) => line.startsWith(`${name}: `))?.slice(name.length + 2);
          const event = field("event");
          if (event) events.push({ event, data: field("data") ?? "" });
          for (const wake of waiters.splice(0)) wake();
        }
      }
    } catch {
      // aborted by the test
    }
  })();
  return {
    res,
    events,
    close: () => abort.abort(),
    async next(match: (e: PushEvent) => boolean, ms = 10_000): Promise<PushEvent> {
      const end = Date.now() + ms;
      for (;;) {
        const found = events.findIndex(match);
        if (found >= 0) return events.splice(found, 1)[0]!;
        const left = end - Date.now();
        if (left <= 0) throw new Error(`No matching event within ${ms} ms; got ${JSON.stringify(events)}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
  };
}

async function pairedDoor(server: TestServer, world: DoorWorld, name: string) {
  const door = await createDoor(server, world, name);
  const paired = await trpc(server, "kiosk.pair", { mutation: true, input: { code: door.code } });
  expect(paired.status).toBe(200);
  return { ...door, token: (paired.data as { token: string }).token };
}

const admit = (ticketId: string, showingId: number, scannedAt = new Date()) => ({
  clientScanId: randomUUID(),
  ticketId,
  showingId,
  action: "ADMIT" as const,
  scannedAt: scannedAt.toISOString(),
  generation: 0,
});

const changeFor = (showingId: number) => (e: PushEvent) => e.event === "change" && JSON.parse(e.data).showingId === showingId;

for (const backend of testBackends()) {
  describe(`door push (${backend.kind})`, () => {
    let server: TestServer;
    let world: DoorWorld;
    const streams: Array<{ close(): void }> = [];

    beforeAll(async () => {
      server = await startTestServer(backend);
      world = await doorWorld(server);
    });
    afterAll(async () => {
      for (const stream of streams) stream.close();
      await server?.close();
    });

    it("tells a paired door at once when another door's check-in commits, uncompressed, and only for its own showings", async () => {
      const north = await pairedDoor(server, world, "North");
      const south = await pairedDoor(server, world, "South");
      const elsewhere = await doorWorld(server);
      const other = await pairedDoor(server, elsewhere, "Other club's door");

      const stream = await openStream(server, south.token, { "accept-encoding": "gzip, br" });
      const otherStream = await openStream(server, other.token);
      const ownStream = await openStream(server, north.token);
      streams.push(stream, otherStream, ownStream);
      expect(stream.res.status).toBe(200);
      expect(stream.res.headers.get("content-type")).toMatch(/^text\/event-stream/);
      // Compressed, an event would sit in the compressor's buffer instead of reaching the door.
      expect(stream.res.headers.get("content-encoding")).toBeNull();
      await stream.next((e) => e.event === "ready");
      await otherStream.next((e) => e.event === "ready");
      await ownStream.next((e) => e.event === "ready");

      const { id } = await world.ticket("Pia Push");
      const started = Date.now();
      const uploaded = await trpc(server, "door.upload", { token: north.token, mutation: true, input: { scans: [admit(id, world.showingId)] } });
      expect(uploaded.status).toBe(200);
      await stream.next(changeFor(world.showingId));
      expect(Date.now() - started).toBeLessThan(3000);
      // Another club's door hears nothing of it, and the door that sent the scan is not woken by its own upload.
      expect(otherStream.events.filter((e) => e.event === "change")).toEqual([]);
      expect(ownStream.events.filter((e) => e.event === "change")).toEqual([]);

      // An officer's mark is a check-in too, whichever code path writes it.
      const { id: marked } = await world.ticket("Mo Marked");
      const mark = await trpc(server, "ticket.setAttended", { token: world.officer.token, mutation: true, input: { id: marked, attended: true } });
      expect(mark.status).toBe(200);
      await stream.next(changeFor(world.showingId));
      await ownStream.next(changeFor(world.showingId));
    });

    it("refuses the stream to anything but a paired, unrevoked door device", async () => {
      const user = await trpc(server, "kiosk.listDevices", { token: world.officer.token, input: { clubId: world.clubId } });
      expect(user.status).toBe(200);
      const asOfficer = await fetch(`${server.url}/api/door/stream`, { headers: { authorization: `Bearer ${world.officer.token}` } });
      expect(asOfficer.status).toBe(401);
      expect(((await asOfficer.json()) as { error: { code: string } }).error.code).toBe("UNAUTHENTICATED");

      const door = await pairedDoor(server, world, "Soon revoked");
      await trpc(server, "kiosk.revokeDevice", { token: world.officer.token, mutation: true, input: { clubId: world.clubId, deviceId: door.deviceId } });
      const revoked = await fetch(`${server.url}/api/door/stream`, { headers: { authorization: `Bearer ${door.token}` } });
      expect(revoked.status).toBe(403);
      expect(((await revoked.json()) as { error: { code: string } }).error.code).toBe("DEVICE_REVOKED");
    });

    it("records a revoked device's scans made before the revocation, refuses later ones, and nothing else works for it", async () => {
      const door = await pairedDoor(server, world, "Offline when revoked");
      const [before, after] = [await world.ticket("Bea Before"), await world.ticket("Al After")];
      // The door reported two scans it had not sent, then lost the network.
      const cursor = ((await trpc(server, "door.manifest", { token: door.token })).data as { cursor: string }).cursor;
      expect((await trpc(server, "door.changes", { token: door.token, input: { cursor, unsent: 2 } })).status).toBe(200);
      const listed = await trpc(server, "kiosk.listDevices", { token: world.officer.token, input: { clubId: world.clubId } });
      expect((listed.data as Array<{ id: string; unsentScans: number | null }>).find((d) => d.id === door.deviceId)?.unsentScans).toBe(2);

      const revokedAt = server.clock.now();
      await trpc(server, "kiosk.revokeDevice", { token: world.officer.token, mutation: true, input: { clubId: world.clubId, deviceId: door.deviceId } });
      const scans = [admit(before.id, world.showingId, new Date(revokedAt.getTime() - 60_000)), admit(after.id, world.showingId, new Date(revokedAt.getTime() + 1))];
      const uploaded = await trpc(server, "door.upload", { token: door.token, mutation: true, input: { scans, unsent: 0 } });
      expect(uploaded.status).toBe(200);
      const results = (uploaded.data as { results: Array<{ status: string; message: string | null }> }).results;
      expect(results.map((r) => r.status)).toEqual(["recorded", "rejected"]);
      expect(results[1]!.message).toMatch(/revoked/);
      expect(await server.db.prisma.checkInEntry.count({ where: { ticketId: before.id } })).toBe(1);
      expect(await server.db.prisma.checkInEntry.count({ where: { ticketId: after.id } })).toBe(0);

      for (const call of [trpc(server, "door.manifest", { token: door.token }), trpc(server, "door.changes", { token: door.token, input: { cursor } })]) {
        const res = await call;
        expect(res.status).toBe(403);
        expect(res.error?.data.appCode).toBe("DEVICE_REVOKED");
      }
    });

    it("a revoked device delivers for 48 hours only: after that even a backdated scan is refused and nothing is written", async () => {
      const door = await pairedDoor(server, world, "Lost tablet");
      const ticket = await world.ticket("Lena Late");
      const revokedAt = server.clock.now();
      await trpc(server, "kiosk.revokeDevice", { token: world.officer.token, mutation: true, input: { clubId: world.clubId, deviceId: door.deviceId } });
      const backdated = [admit(ticket.id, world.showingId, new Date(revokedAt.getTime() - 60_000))];

      server.clock.advance(48 * 3_600_000);
      const inTime = await trpc(server, "door.upload", { token: door.token, mutation: true, input: { scans: backdated, unsent: 0 } });
      expect((inTime.data as { results: Array<{ status: string }> }).results.map((r) => r.status)).toEqual(["recorded"]);

      const later = [admit(ticket.id, world.showingId, new Date(revokedAt.getTime() - 120_000))];
      server.clock.advance(1);
      const tooLate = await trpc(server, "door.upload", { token: door.token, mutation: true, input: { scans: later, unsent: 0 } });
      expect(tooLate.status).toBe(403);
      expect(tooLate.error?.data.appCode).toBe("DEVICE_REVOKED");
      expect(await server.db.prisma.checkInEntry.count({ where: { ticketId: ticket.id } })).toBe(1);
    });
  });
}

/** Two server processes on one PostgreSQL: a check-in through one reaches a door's stream held by the other. */
const postgres = testBackends().find((b): b is TestBackend => b.kind === "postgresql");
describe.runIf(postgres)("door push across server processes (postgresql)", () => {
  let first: TestServer;
  let second: TestServer;
  let stream: Awaited<ReturnType<typeof openStream>> | undefined;

  beforeAll(async () => {
    // Each has its own connection pool and its own LISTEN connection, as separate processes would.
    first = await startTestServer(postgres!);
    second = await startTestServer(postgres!);
  });
  afterAll(async () => {
    stream?.close();
    await first?.close();
    await second?.close();
  });

  it("delivers the push through PostgreSQL's NOTIFY", async () => {
    const world = await doorWorld(first);
    const north = await pairedDoor(first, world, "North on process 1");
    const south = await pairedDoor(first, world, "South on process 2");
    stream = await openStream(second, south.token);
    await stream.next((e) => e.event === "ready");
    const { id } = await world.ticket("Xavi Crossprocess");
    const uploaded = await trpc(first, "door.upload", { token: north.token, mutation: true, input: { scans: [admit(id, world.showingId)] } });
    expect(uploaded.status).toBe(200);
    await stream.next(changeFor(world.showingId), 5000);
  });
});
