import { randomUUID } from "node:crypto";
import { createClub, createEvent, createShowing, createTickets, createUser } from "@admit/db/factories";
import { testBackends } from "@admit/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, trpc, type TestServer } from "./harness.ts";

type DoorTicket = { id: string; holderName: string; attended: boolean; attendedAt: string | null; exitedAt: string | null; type: string };
type Counts = { sold: number; checkedIn: number; inside: number; showings: Array<{ id: number; inside: number; capacity: number | null }> };
type Gate = { allowedTypes: string[]; otherDoors: Array<{ name: string; allowedTypes: string[] }> };
type Manifest = { tickets: DoorTicket[]; counts: Counts; gate: Gate; cursor: string; conflicts: Array<{ holderName: string }> };
type Live = {
  sold: number;
  checkedIn: number;
  inside: number;
  capacity: number | null;
  atCapacity: boolean;
  privateNames: boolean;
  conflicts: number;
  bucketMinutes: number;
  arrivals: Array<{ start: string; arrivals: number; exits: number }>;
  doors: Array<{ name: string; admits: number; exits: number; conflicts: number; allowedTypes: string[] }>;
};

// Exit and re-entry, doors for some ticket types, privacy at the door and the officers' live door view, through the
// real API on both databases.
for (const backend of testBackends()) {
  describe(`door rules: exits, gates, privacy, live view (${backend.kind})`, () => {
    let server: TestServer;
    let officerToken: string;
    let clubId: number;
    let showingId: number;
    let general: string[];
    let vip: string[];
    const t0 = new Date("2026-12-05T19:00:00.000Z");
    const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000).toISOString();

    beforeAll(async () => {
      server = await startTestServer(backend);
      server.clock.set(new Date(t0.getTime() + 60 * 60_000));
      const { prisma } = server.db;
      const officer = await server.createAccount();
      officerToken = await server.tokenFor(officer.username);
      const club = await createClub(prisma, { officers: [officer.id] });
      clubId = club.id;
      const event = await createEvent(prisma, club.id);
      showingId = (await createShowing(prisma, event.id)).id;
      const own = async (type: string, count: number) => {
        const ids: string[] = [];
        for (const t of await createTickets(prisma, showingId, { type, count, price: "10.00" })) {
          const holder = await createUser(prisma, { fullName: `Holder${ids.length} ${type} Lastname` });
          await prisma.ticket.update({ where: { id: t.id }, data: { ownerId: holder.id } });
          ids.push(t.id);
        }
        return ids;
      };
      general = await own("General", 5);
      vip = await own("VIP", 2);
    });
    afterAll(async () => server?.close());

    async function pairDevice(name: string, allowedTypes?: string[]) {
      const created = await trpc(server, "kiosk.createDevice", {
        token: officerToken,
        mutation: true,
        input: { clubId, name, showingIds: [showingId], ...(allowedTypes ? { allowedTypes } : {}) },
      });
      expect(created.status, JSON.stringify(created.error)).toBe(200);
      const { pairingCode, device } = created.data as { pairingCode: string; device: { id: string; allowedTypes: string[] } };
      const paired = await trpc(server, "kiosk.pair", { mutation: true, input: { code: pairingCode } });
      expect(paired.status).toBe(200);
      return { token: (paired.data as { token: string }).token, id: device.id, allowedTypes: device.allowedTypes };
    }

    const scan = (ticketId: string, action: "ADMIT" | "EXIT" | "UNDO", scannedAt: string, over: Record<string, unknown> = {}) => ({
      clientScanId: randomUUID(),
      ticketId,
      showingId,
      action,
      scannedAt,
      generation: 0,
      ...over,
    });
    const upload = async (token: string, scans: unknown[]) => {
      const res = await trpc(server, "door.upload", { token, mutation: true, input: { scans } });
      expect(res.status, JSON.stringify(res.error)).toBe(200);
      return (res.data as { results: Array<{ status: string; conflict: boolean; conflictReason: string | null }> }).results;
    };
    const ticketRow = (id: string) => server.db.prisma.ticket.findUniqueOrThrow({ where: { id }, select: { attended: true, attendedAt: true, exitedAt: true } });
    const manifest = async (token: string) => (await trpc(server, "door.manifest", { token })).data as Manifest;
    const live = async (input: object = { clubId, showingId }) => trpc(server, "kiosk.doorLive", { token: officerToken, input });

    it("an exit takes a guest out and a later admit brings them back in, neither counted as a conflict", async () => {
      const door = await pairDevice("Main door");
      const id = general[0]!;
      const [admit, exit, back] = await upload(door.token, [scan(id, "ADMIT", at(0)), scan(id, "EXIT", at(30)), scan(id, "ADMIT", at(45))]);
      expect([admit, exit, back].map((r) => [r!.status, r!.conflict])).toEqual([["recorded", false], ["recorded", false], ["recorded", false]]);
      const row = await ticketRow(id);
      expect(row).toMatchObject({ attended: true, exitedAt: null });
      expect(row.attendedAt?.toISOString()).toBe(at(0));

      // Out again: the door's data says so, and the counts have one checked in but nobody inside.
      await upload(door.token, [scan(id, "EXIT", at(50))]);
      expect((await ticketRow(id)).exitedAt?.toISOString()).toBe(at(50));
      const data = await manifest(door.token);
      expect(data.tickets.find((t) => t.id === id)).toMatchObject({ attended: true, exitedAt: at(50) });
      expect(data.counts).toMatchObject({ checkedIn: 1, inside: 0, showings: [{ id: showingId, inside: 0, capacity: null }] });
    });

    it("replays uploads that arrive out of order: an admit made while the guest was inside is still a conflict", async () => {
      const [a, b] = await Promise.all([pairDevice("North door"), pairDevice("South door")]);
      const id = general[1]!;
      await upload(a.token, [scan(id, "ADMIT", at(0)), scan(id, "EXIT", at(20))]);
      // South was offline: it admitted the ticket at 0:10 (inside: a conflict) and at 0:25 (after the exit: re-entry).
      const [inside, afterExit] = await upload(b.token, [scan(id, "ADMIT", at(10)), scan(id, "ADMIT", at(25))]);
      expect(inside).toMatchObject({ status: "recorded", conflict: true, conflictReason: "already-in" });
      expect(afterExit).toMatchObject({ status: "recorded", conflict: false });
      expect(await ticketRow(id)).toMatchObject({ attended: true, exitedAt: null });
      // An exit uploaded late, after the re-entry, takes the guest out again.
      await upload(a.token, [scan(id, "EXIT", at(40))]);
      expect((await ticketRow(id)).exitedAt?.toISOString()).toBe(at(40));
    });

    it("an undone exit puts the guest back inside", async () => {
      const door = await pairDevice("Undo door");
      const id = general[2]!;
      const exit = scan(id, "EXIT", at(15));
      await upload(door.token, [scan(id, "ADMIT", at(5)), exit]);
      expect((await ticketRow(id)).exitedAt).not.toBeNull();
      await upload(door.token, [scan(id, "UNDO", at(16), { undoesScanId: exit.clientScanId })]);
      expect(await ticketRow(id)).toMatchObject({ attended: true, exitedAt: null });
    });

    it("limits a door to some ticket types, tells it the other doors, and lets officers change it", async () => {
      const refused = await trpc(server, "kiosk.createDevice", {
        token: officerToken,
        mutation: true,
        input: { clubId, name: "Typo door", showingIds: [showingId], allowedTypes: ["VIPP"] },
      });
      expect(refused.status).toBe(400);
      expect(refused.error?.data.appCode).toBe("VALIDATION_FAILED");
      expect(refused.error?.message).toContain("VIPP");

      const vipDoor = await pairDevice("VIP door", ["VIP"]);
      expect(vipDoor.allowedTypes).toEqual(["VIP"]);
      const gate = (await manifest(vipDoor.token)).gate;
      expect(gate.allowedTypes).toEqual(["VIP"]);
      expect(gate.otherDoors).toContainEqual({ name: "Main door", allowedTypes: [] });
      const main = (await manifest((await pairDevice("Side door")).token)).gate;
      expect(main.otherDoors).toContainEqual({ name: "VIP door", allowedTypes: ["VIP"] });

      // The officer opens the VIP door to General too: the door hears it with its next change-feed pull.
      const cursor = (await manifest(vipDoor.token)).cursor;
      const changed = await trpc(server, "kiosk.setAllowedTypes", {
        token: officerToken,
        mutation: true,
        input: { clubId, deviceId: vipDoor.id, allowedTypes: ["VIP", "General"] },
      });
      expect(changed.status).toBe(200);
      expect((changed.data as { allowedTypes: string[] }).allowedTypes).toEqual(["VIP", "General"]);
      const changes = await trpc(server, "door.changes", { token: vipDoor.token, input: { cursor } });
      expect((changes.data as { gate: Gate }).gate.allowedTypes).toEqual(["VIP", "General"]);

      // Only the club's officers may change it.
      const stranger = await server.createAccount();
      const other = await trpc(server, "kiosk.setAllowedTypes", {
        token: await server.tokenFor(stranger.username),
        mutation: true,
        input: { clubId, deviceId: vipDoor.id, allowedTypes: [] },
      });
      expect(other.status).toBe(404);
    });

    it("a private showing's doors get first names only; officers still see full names", async () => {
      const door = await pairDevice("Private door");
      const before = await manifest(door.token);
      expect(before.tickets.find((t) => t.id === vip[0])!.holderName).toBe("Holder0 VIP Lastname");

      const set = await trpc(server, "kiosk.setDoorSettings", { token: officerToken, mutation: true, input: { clubId, showingId, capacity: null, privateNames: true } });
      expect(set.status).toBe(200);
      // Names already on the tablet are replaced through the change feed.
      const changes = await trpc(server, "door.changes", { token: door.token, input: { cursor: before.cursor } });
      const sent = (changes.data as { tickets: DoorTicket[] }).tickets;
      expect(sent.length).toBe(general.length + vip.length);
      expect(sent.every((t) => /^Holder\d$/.test(t.holderName))).toBe(true);
      const after = await manifest(door.token);
      expect(after.tickets.find((t) => t.id === vip[0])!.holderName).toBe("Holder0");
      expect(after.conflicts.every((c) => !c.holderName.includes(" "))).toBe(true);
      expect(after.conflicts.length).toBeGreaterThan(0);

      const officerConflicts = await trpc(server, "kiosk.conflicts", { token: officerToken, input: { clubId, showingId } });
      expect((officerConflicts.data as Array<{ holderName: string }>)[0]!.holderName).toContain("Lastname");

      await trpc(server, "kiosk.setDoorSettings", { token: officerToken, mutation: true, input: { clubId, showingId, capacity: null, privateNames: false } });
      expect((await manifest(door.token)).tickets.find((t) => t.id === vip[0])!.holderName).toBe("Holder0 VIP Lastname");
    });

    it("a capacity reaches every door with the counts, and bad capacities are refused", async () => {
      for (const capacity of [0, -3, 2.5]) {
        const bad = await trpc(server, "kiosk.setDoorSettings", { token: officerToken, mutation: true, input: { clubId, showingId, capacity, privateNames: false } });
        expect(bad.status).toBe(400);
      }
      const ok = await trpc(server, "kiosk.setDoorSettings", { token: officerToken, mutation: true, input: { clubId, showingId, capacity: 2, privateNames: false } });
      expect(ok.data).toEqual({ capacity: 2, privateNames: false });
      const door = await pairDevice("Counting door");
      expect((await manifest(door.token)).counts.showings).toEqual([expect.objectContaining({ id: showingId, capacity: 2 })]);
    });

    it("the live door view: arrivals per 5 minutes, inside now, each door's counts and the conflicts", async () => {
      const view = await live();
      expect(view.status, JSON.stringify(view.error)).toBe(200);
      const data = view.data as Live;
      expect(data).toMatchObject({ sold: 7, capacity: 2, privateNames: false, bucketMinutes: 5, conflicts: 1 });
      const rows = await server.db.prisma.ticket.findMany({ where: { showingId } });
      expect(data.inside).toBe(rows.filter((t) => t.attended && !t.exitedAt).length);
      expect(data.checkedIn).toBe(rows.filter((t) => t.attended).length);
      expect(data.atCapacity).toBe(data.inside >= 2);
      // Buckets run from the first arrival (19:00) to the clock's now (20:00), 13 slots of 5 minutes.
      expect(data.arrivals).toHaveLength(13);
      expect(data.arrivals[0]).toEqual({ start: at(0), arrivals: 2, exits: 0 });
      // 19:10: South's admit of a guest who was inside is a conflict, not an arrival; 19:15: an exit that was undone.
      expect(data.arrivals[2]).toEqual({ start: at(10), arrivals: 0, exits: 0 });
      expect(data.arrivals[3]).toEqual({ start: at(15), arrivals: 0, exits: 0 });
      expect(data.arrivals[4]).toEqual({ start: at(20), arrivals: 0, exits: 1 });
      expect(data.arrivals[5]).toEqual({ start: at(25), arrivals: 1, exits: 0 });
      expect(data.arrivals.reduce((n, b) => n + b.arrivals, 0)).toBe(5);
      expect(data.arrivals.reduce((n, b) => n + b.exits, 0)).toBe(4);
      expect(data).toMatchObject({ inside: 1, checkedIn: 3 });
      const door = (name: string) => data.doors.find((d) => d.name === name);
      expect(door("Main door")).toMatchObject({ admits: 2, exits: 2, conflicts: 0 });
      expect(door("North door")).toMatchObject({ admits: 1, exits: 2, conflicts: 0 });
      expect(door("South door")).toMatchObject({ admits: 1, exits: 0, conflicts: 1 });
      expect(door("Undo door")).toMatchObject({ admits: 1, exits: 0 });
      expect(door("VIP door")).toMatchObject({ admits: 0, allowedTypes: ["VIP", "General"] });

      const stranger = await server.createAccount();
      const refused = await trpc(server, "kiosk.doorLive", { token: await server.tokenFor(stranger.username), input: { clubId, showingId } });
      expect(refused.status).toBe(404);
    });
  });
}
