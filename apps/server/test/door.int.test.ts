import { randomUUID } from "node:crypto";
import { createEvent, createShowing, createTickets, createUser } from "@admit/db/factories";
import { testBackends } from "@admit/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { doorClub } from "./door-fixtures.ts";
import { startTestServer, trpc, type TestServer } from "./harness.ts";

type Manifest = {
  tickets: Array<{ id: string; attended: boolean; holderName: string; valid: boolean; qrGeneration: number }>;
  conflicts: Array<{ clientScanId: string; ticketId: string; reason: string }>;
  counts: { sold: number; checkedIn: number };
  cursor: string;
};
type UploadResult = { clientScanId: string; status: string; conflict: boolean; conflictReason: string | null };

for (const backend of testBackends()) {
  describe(`door devices: pairing, manifest, changes and uploads (${backend.kind})`, () => {
    let server: TestServer;
    let officerToken: string;
    let clubId: number;
    let showingId: number;
    let otherShowingId: number;
    let owned: string[];

    beforeAll(async () => {
      server = await startTestServer(backend);
      ({ officerToken, clubId, showingId, otherShowingId, owned } = await doorClub(server, { count: 6, sold: 4 }));
    });
    afterAll(async () => server?.close());

    async function pairDevice(name: string, showingIds = [showingId]) {
      const created = await trpc(server, "kiosk.createDevice", {
        token: officerToken,
        mutation: true,
        input: { clubId, name, showingIds },
      });
      expect(created.status).toBe(200);
      const { pairingCode } = created.data as { pairingCode: string };
      const paired = await trpc(server, "kiosk.pair", { mutation: true, input: { code: pairingCode.toLowerCase().replace("-", " ") } });
      expect(paired.status).toBe(200);
      return { code: pairingCode, token: (paired.data as { token: string }).token, id: (paired.data as { device: { id: string } }).device.id };
    }

    const scan = (ticketId: string, scannedAt: string, over: Record<string, unknown> = {}) => ({
      clientScanId: randomUUID(),
      ticketId,
      showingId,
      action: "ADMIT",
      scannedAt,
      generation: 0,
      ...over,
    });

    it("pairs a tablet once per code and refuses other clubs' officers", async () => {
      const { code, token } = await pairDevice("North door");
      expect(token.startsWith("admitdev_")).toBe(true);
      const again = await trpc(server, "kiosk.pair", { mutation: true, input: { code } });
      expect(again.status).toBe(404);

      const stranger = await server.createAccount();
      const strangerToken = await server.tokenFor(stranger.username);
      const refused = await trpc(server, "kiosk.createDevice", {
        token: strangerToken,
        mutation: true,
        input: { clubId, name: "Sneaky", showingIds: [showingId] },
      });
      expect(refused.status).toBe(404);
      const listed = await trpc(server, "kiosk.listDevices", { token: officerToken, input: { clubId } });
      expect((listed.data as Array<{ name: string }>).map((d) => d.name)).toContain("North door");
    });

    it("downloads a manifest of sold tickets with holder names and counts only", async () => {
      const { token } = await pairDevice("Manifest door");
      const manifest = await trpc(server, "door.manifest", { token });
      expect(manifest.status).toBe(200);
      const data = manifest.data as Manifest;
      expect(data.tickets.map((t) => t.id).sort()).toEqual([...owned].sort());
      expect(data.tickets[0]).toEqual(
        expect.objectContaining({ holderName: expect.stringMatching(/^Guest /), valid: true, attended: false }),
      );
      expect(Object.keys(data.tickets[0]!).sort()).toEqual(
        ["attended", "attendedAt", "attendedDoor", "exitedAt", "holderName", "id", "qrGeneration", "showingId", "type", "valid"].sort(),
      );
      expect(data.counts.sold).toBe(4);
    });

    it("pulls sales, transfers and refunds by cursor, each exactly once it happened", async () => {
      const { token } = await pairDevice("Changes door");
      const { cursor } = (await trpc(server, "door.manifest", { token })).data as Manifest;
      const quiet = (await trpc(server, "door.changes", { token, input: { cursor } })).data as Manifest;
      expect(quiet.tickets).toEqual([]);

      const { prisma } = server.db;
      const unsold = await prisma.ticket.findFirstOrThrow({ where: { showingId, ownerId: null } });
      const buyer = await createUser(prisma, { fullName: "Late Buyer" });
      await prisma.ticket.update({ where: { id: unsold.id }, data: { ownerId: buyer.id } });
      await prisma.ticket.update({ where: { id: owned[3]! }, data: { qrGeneration: { increment: 1 } } });

      const changes = (await trpc(server, "door.changes", { token, input: { cursor: quiet.cursor } })).data as Manifest;
      const byId = new Map(changes.tickets.map((t) => [t.id, t]));
      expect(byId.get(unsold.id)).toMatchObject({ holderName: "Late Buyer", valid: true });
      expect(byId.get(owned[3]!)).toMatchObject({ qrGeneration: 1 });
      const after = (await trpc(server, "door.changes", { token, input: { cursor: changes.cursor } })).data as Manifest;
      expect(after.tickets).toEqual([]);

      await prisma.ticket.update({ where: { id: unsold.id }, data: { ownerId: null } });
      const refund = (await trpc(server, "door.changes", { token, input: { cursor: after.cursor } })).data as Manifest;
      // A refunded ticket has no holder to name at the door.
      expect(refund.tickets).toEqual([expect.objectContaining({ id: unsold.id, valid: false, holderName: "" })]);
    });

    it("keeps the earliest of two offline admits, flags the other, and shows the conflict to both doors", async () => {
      const north = await pairDevice("North");
      const south = await pairDevice("South");
      const ticketId = owned[0]!;
      const northScan = scan(ticketId, "2026-12-01T19:05:00.000Z");
      const southScan = scan(ticketId, "2026-12-01T19:01:00.000Z");
      const { cursor } = (await trpc(server, "door.manifest", { token: north.token })).data as Manifest;

      const first = await trpc(server, "door.upload", { token: north.token, mutation: true, input: { scans: [northScan] } });
      expect((first.data as { results: UploadResult[] }).results[0]).toMatchObject({ status: "recorded", conflict: false });
      const second = await trpc(server, "door.upload", { token: south.token, mutation: true, input: { scans: [southScan] } });
      expect((second.data as { results: UploadResult[] }).results[0]).toMatchObject({ status: "recorded", conflict: false });

      const ticket = await server.db.prisma.ticket.findUniqueOrThrow({ where: { id: ticketId } });
      expect(ticket.attended).toBe(true);
      expect(ticket.attendedAt?.toISOString()).toBe("2026-12-01T19:01:00.000Z");
      const entries = await server.db.prisma.checkInEntry.findMany({ where: { ticketId }, orderBy: { occurredAt: "asc" } });
      expect(entries.map((e) => [e.clientScanId, e.conflict])).toEqual([
        [southScan.clientScanId, false],
        [northScan.clientScanId, true],
      ]);

      for (const door of [north, south]) {
        const changes = (await trpc(server, "door.changes", { token: door.token, input: { cursor } })).data as Manifest & {
          tickets: Array<{ id: string; attendedDoor: string | null }>;
        };
        expect(changes.conflicts).toEqual([expect.objectContaining({ clientScanId: northScan.clientScanId, reason: "already-in" })]);
        expect(changes.tickets.find((t) => t.id === ticketId)).toMatchObject({ attended: true, attendedDoor: "South" });
      }
      const officerView = await trpc(server, "kiosk.conflicts", { token: officerToken, input: { clubId, showingId } });
      expect((officerView.data as unknown[]).length).toBeGreaterThanOrEqual(1);
    });

    it("treats a re-sent batch as the same scans (idempotent by scan id)", async () => {
      const door = await pairDevice("Retry door");
      const batch = [scan(owned[1]!, "2026-12-01T19:10:00.000Z")];
      await trpc(server, "door.upload", { token: door.token, mutation: true, input: { scans: batch } });
      const again = await trpc(server, "door.upload", { token: door.token, mutation: true, input: { scans: batch } });
      expect((again.data as { results: UploadResult[] }).results[0]).toMatchObject({ status: "duplicate", conflict: false });
      expect(await server.db.prisma.checkInEntry.count({ where: { clientScanId: batch[0]!.clientScanId } })).toBe(1);
    });

    it("undoes an admit, letting a later admit from another door stand", async () => {
      const a = await pairDevice("Undo A");
      const b = await pairDevice("Undo B");
      const ticketId = owned[2]!;
      const admitA = scan(ticketId, "2026-12-01T19:20:00.000Z");
      const admitB = scan(ticketId, "2026-12-01T19:22:00.000Z");
      await trpc(server, "door.upload", { token: a.token, mutation: true, input: { scans: [admitA] } });
      await trpc(server, "door.upload", { token: b.token, mutation: true, input: { scans: [admitB] } });
      const undo = scan(ticketId, "2026-12-01T19:20:30.000Z", { action: "UNDO", undoesScanId: admitA.clientScanId });
      await trpc(server, "door.upload", { token: a.token, mutation: true, input: { scans: [undo] } });
      const ticket = await server.db.prisma.ticket.findUniqueOrThrow({ where: { id: ticketId } });
      expect(ticket.attendedAt?.toISOString()).toBe("2026-12-01T19:22:00.000Z");
      const b2 = await server.db.prisma.checkInEntry.findUniqueOrThrow({ where: { clientScanId: admitB.clientScanId } });
      expect(b2.conflict).toBe(false);
    });

    it("records an admit of a replaced QR code as a conflict, never refusing it", async () => {
      const door = await pairDevice("Old QR door");
      const ticketId = owned[3]!; // its generation was bumped above
      const old = scan(ticketId, "2026-12-01T19:30:00.000Z", { generation: 0 });
      const res = await trpc(server, "door.upload", { token: door.token, mutation: true, input: { scans: [old] } });
      expect((res.data as { results: UploadResult[] }).results[0]).toMatchObject({ status: "recorded", conflict: true, conflictReason: "old-qr" });
      expect((await server.db.prisma.ticket.findUniqueOrThrow({ where: { id: ticketId } })).attended).toBe(false);
    });

    it("rejects scans for showings the device is not set up for, and bad input with 400", async () => {
      const door = await pairDevice("Scoped door");
      const res = await trpc(server, "door.upload", {
        token: door.token,
        mutation: true,
        input: { scans: [scan(owned[0]!, "2026-12-01T19:40:00.000Z", { showingId: otherShowingId })] },
      });
      expect((res.data as { results: UploadResult[] }).results[0]).toMatchObject({ status: "rejected" });
      // Naming its own showing does not let a door write to another showing's ticket.
      const [elsewhere] = await createTickets(server.db.prisma, otherShowingId, { type: "Elsewhere", count: 1 });
      const forged = await trpc(server, "door.upload", {
        token: door.token,
        mutation: true,
        input: { scans: [scan(elsewhere!.id, "2026-12-01T19:41:00.000Z"), scan(elsewhere!.id, "2026-12-01T19:42:00.000Z", { action: "UNDO" })] },
      });
      expect((forged.data as { results: UploadResult[] }).results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
      expect(await server.db.prisma.checkInEntry.count({ where: { ticketId: elsewhere!.id } })).toBe(0);
      for (const input of [{ scans: [] }, { scans: [{ ...scan(owned[0]!, "yesterday") }] }, { scans: [{ ticketId: "x" }] }]) {
        expect((await trpc(server, "door.upload", { token: door.token, mutation: true, input })).status).toBe(400);
      }
      for (const cursor of ["not-a-number", "9".repeat(40)]) {
        expect((await trpc(server, "door.changes", { token: door.token, input: { cursor } })).status).toBe(400);
      }
    });

    it("stops a revoked device at its next contact, and keeps devices and people apart", async () => {
      const door = await pairDevice("Lost tablet");
      expect((await trpc(server, "door.manifest", { token: door.token })).status).toBe(200);
      const revoked = await trpc(server, "kiosk.revokeDevice", {
        token: officerToken,
        mutation: true,
        input: { clubId, deviceId: door.id },
      });
      expect(revoked.status).toBe(200);
      const after = await trpc(server, "door.manifest", { token: door.token });
      expect(after.status).toBe(403);
      expect(after.error?.data.appCode).toBe("DEVICE_REVOKED");
      expect((await trpc(server, "door.manifest", { token: officerToken })).status).toBe(401);
      const fresh = await pairDevice("Fresh tablet");
      expect((await trpc(server, "account.me", { token: fresh.token })).status).toBe(401);
    });

    it("records a full batch at once: first admits, a later admit of the same ticket, a repeat and an unknown ticket", async () => {
      const { prisma } = server.db;
      const event = await createEvent(prisma, clubId);
      const big = await createShowing(prisma, event.id);
      const tickets = await createTickets(prisma, big.id, { type: "Batch", count: 498 });
      const holder = await createUser(prisma, { fullName: "Batch Holder" });
      await prisma.ticket.updateMany({ where: { showingId: big.id }, data: { ownerId: holder.id } });
      const door = await pairDevice("Batch door", [big.id]);
      const at = (second: number) => new Date(Date.UTC(2026, 11, 1, 19, 0, second)).toISOString();
      const admits = tickets.map((t, i) => scan(t.id, at(i % 50), { showingId: big.id }));
      const later = scan(tickets[0]!.id, at(59), { showingId: big.id });
      const unknown = scan(randomUUID(), at(1), { showingId: big.id });
      const batch = [...admits, later, unknown];
      expect(batch).toHaveLength(500);

      const sent = await trpc(server, "door.upload", { token: door.token, mutation: true, input: { scans: batch } });
      expect(sent.status).toBe(200);
      const results = (sent.data as { results: Array<UploadResult & { message: string | null }> }).results;
      expect(results.map((r) => r.clientScanId)).toEqual(batch.map((b) => b.clientScanId));
      expect(results.filter((r) => r.status === "recorded" && !r.conflict)).toHaveLength(498);
      expect(results.at(-2)).toMatchObject({ status: "recorded", conflict: true, conflictReason: "already-in" });
      expect(results.at(-1)).toMatchObject({ status: "rejected", message: "No such ticket." });

      expect(await prisma.ticket.count({ where: { showingId: big.id, attended: true } })).toBe(498);
      const first = await prisma.ticket.findUniqueOrThrow({ where: { id: tickets[0]!.id } });
      expect(first.attendedAt?.toISOString()).toBe(at(0));
      expect(first.attendedByDeviceId).toBe(door.id);

      const again = await trpc(server, "door.upload", { token: door.token, mutation: true, input: { scans: admits.slice(0, 3) } });
      expect((again.data as { results: UploadResult[] }).results.map((r) => r.status)).toEqual(["duplicate", "duplicate", "duplicate"]);
      expect(await prisma.checkInEntry.count({ where: { showingId: big.id } })).toBe(499);
    });

    it("downloads a manifest larger than one statement's parameter limit", async () => {
      const { prisma } = server.db;
      const event = await createEvent(prisma, clubId);
      const arena = await createShowing(prisma, event.id);
      const holder = await createUser(prisma, { fullName: "Arena Holder" });
      await prisma.$executeRaw`
        INSERT INTO "Ticket" (id, "showingId", type, price, "ownerId", "updatedAt")
        SELECT gen_random_uuid(), ${arena.id}, 'Arena', 5, ${holder.id}, now() FROM generate_series(1, 33000)`;
      const door = await pairDevice("Arena door", [arena.id]);
      const manifest = await trpc(server, "door.manifest", { token: door.token });
      expect(manifest.status).toBe(200);
      const body = manifest.data as Manifest;
      expect(body.tickets).toHaveLength(33_000);
      expect(new Set(body.tickets.map((t) => t.id)).size).toBe(33_000);
      expect(body.tickets[0]).toMatchObject({ holderName: "Arena Holder", valid: true, attended: false });
      expect(body.counts).toMatchObject({ sold: 33_000, checkedIn: 0, inside: 0 });
    });

    // Races only show on PostgreSQL: PGlite runs one transaction at a time.
    if (backend.kind === "postgresql") it("two doors uploading the same ticket at once still leave exactly one check-in", async () => {
      const doors = await Promise.all([pairDevice("Race A"), pairDevice("Race B"), pairDevice("Race C")]);
      const { prisma } = server.db;
      const [ticket] = await createTickets(prisma, showingId, { type: "Race", count: 1 });
      const holder = await createUser(prisma);
      await prisma.ticket.update({ where: { id: ticket!.id }, data: { ownerId: holder.id } });
      await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          trpc(server, "door.upload", {
            token: doors[i % 3]!.token,
            mutation: true,
            input: { scans: [scan(ticket!.id, `2026-12-01T20:00:${String(10 + i).padStart(2, "0")}.000Z`)] },
          }),
        ),
      );
      const entries = await prisma.checkInEntry.findMany({ where: { ticketId: ticket!.id } });
      expect(entries).toHaveLength(12);
      expect(entries.filter((e) => !e.conflict)).toHaveLength(1);
      expect(entries.find((e) => !e.conflict)?.occurredAt.toISOString()).toBe("2026-12-01T20:00:10.000Z");
    });

    if (backend.kind === "postgresql") it("doors uploading overlapping batches at once neither deadlock nor admit a ticket twice", async () => {
      const doors = await Promise.all([pairDevice("Overlap A"), pairDevice("Overlap B"), pairDevice("Overlap C")]);
      const { prisma } = server.db;
      const tickets = await createTickets(prisma, showingId, { type: "Overlap", count: 60 });
      const holder = await createUser(prisma);
      await prisma.ticket.updateMany({ where: { id: { in: tickets.map((t) => t.id) } }, data: { ownerId: holder.id } });
      const uploads = doors.map((door, d) => {
        // Each door sees the tickets in a different order, so unordered locking would deadlock.
        const order = d === 1 ? [...tickets].reverse() : d === 2 ? [...tickets.slice(30), ...tickets.slice(0, 30)] : tickets;
        const scans = order.map((t) => scan(t.id, `2026-12-01T21:00:0${d}.000Z`));
        return trpc(server, "door.upload", { token: door.token, mutation: true, input: { scans } });
      });
      for (const sent of await Promise.all(uploads)) expect(sent.status).toBe(200);
      const entries = await prisma.checkInEntry.findMany({ where: { ticketId: { in: tickets.map((t) => t.id) } } });
      expect(entries).toHaveLength(180);
      const admitted = entries.filter((e) => !e.conflict);
      expect(admitted).toHaveLength(60);
      expect(admitted.every((e) => e.occurredAt.toISOString() === "2026-12-01T21:00:00.000Z")).toBe(true);
    });
  });
}
