import { randomUUID } from "node:crypto";
import { createClub, createEvent, createShowing, createTickets, createUser } from "@admit/db/factories";
import { testBackends } from "@admit/db/testing";
import { RATE_RULES } from "@admit/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { doorClub } from "./door-fixtures.ts";
import { startTestServer, trpc, type TestServer } from "./harness.ts";
import { rest } from "./tickets-fixture.ts";

type Device = {
  id: string;
  name: string;
  clubId: number;
  createdAt: string;
  pairedAt: string | null;
  lastSeenAt: string | null;
  revokedAt: string | null;
  unsentScans: number | null;
  pairingOpen: boolean;
};
type Created = { device: Device; pairingCode: string; pairingExpiresAt: string };
type Renewed = { pairingCode: string; pairingExpiresAt: string };
type Paired = { token: string; device: Device; club: { id: number; code: string; name: string } };
type UploadResult = { clientScanId: string; status: string; conflict: boolean; conflictReason: string | null; message: string | null };
type ErrorData = { appCode: string; details: Record<string, unknown> | null };

const PAIRING_MS = 15 * 60_000;
const INVALID_CODE = "That pairing code is not valid. Ask an officer for a new one.";
const DEVICE_NOT_FOUND = "Door device was not found.";
const TOO_MANY_CODES = "Too many wrong pairing codes from your network. Wait a few minutes, then type the code the officer gives you.";

// Door device administration (pairing codes, the device list, revocation) and the edges of door sync, through the
// real API on both databases.
for (const backend of testBackends()) {
  describe(`door devices: pairing codes, device list, revocation, sync edges (${backend.kind})`, () => {
    let server: TestServer;
    let officerToken: string;
    let clubId: number;
    let showingId: number;
    let otherShowingId: number;
    let foreignToken: string;
    let foreignClubId: number;
    let foreignShowingId: number;
    let owned: string[];

    beforeAll(async () => {
      server = await startTestServer(backend);
      ({ officerToken, clubId, showingId, otherShowingId, owned } = await doorClub(server, { count: 4, sold: 4 }));
      const { prisma } = server.db;

      const foreigner = await server.createAccount();
      foreignToken = await server.tokenFor(foreigner.username);
      const foreignClub = await createClub(prisma, { officers: [foreigner.id] });
      foreignClubId = foreignClub.id;
      foreignShowingId = (await createShowing(prisma, (await createEvent(prisma, foreignClub.id)).id)).id;
    });
    // The wrong codes counted here would otherwise refuse pairings of other test files that share this database (the
    // mutation run keeps one database per test process), whose clocks stand earlier than this file's.
    afterAll(async () => {
      await server?.db.prisma.rateLimitCounter.deleteMany({ where: { bucket: RATE_RULES.failedPairing.bucket } });
      await server?.close();
    });

    const errorData = (res: { error?: { data: unknown } }) => res.error?.data as ErrorData | undefined;

    async function createDevice(name: string, opts: { token?: string; club?: number; showingIds?: number[] } = {}) {
      const res = await trpc(server, "kiosk.createDevice", {
        token: opts.token ?? officerToken,
        mutation: true,
        input: { clubId: opts.club ?? clubId, name, showingIds: opts.showingIds ?? [showingId] },
      });
      expect(res.status, JSON.stringify(res.error)).toBe(200);
      return res.data as Created;
    }
    const pair = (code: string) => trpc(server, "kiosk.pair", { mutation: true, input: { code } });
    const renew = (deviceId: string, opts: { token?: string; club?: number } = {}) =>
      trpc(server, "kiosk.renewPairingCode", { token: opts.token ?? officerToken, mutation: true, input: { clubId: opts.club ?? clubId, deviceId } });
    const revoke = (deviceId: string, opts: { token?: string; club?: number } = {}) =>
      trpc(server, "kiosk.revokeDevice", { token: opts.token ?? officerToken, mutation: true, input: { clubId: opts.club ?? clubId, deviceId } });
    async function list(opts: { token?: string; club?: number } = {}) {
      const res = await trpc(server, "kiosk.listDevices", { token: opts.token ?? officerToken, input: { clubId: opts.club ?? clubId } });
      expect(res.status).toBe(200);
      return res.data as Device[];
    }
    const listed = async (id: string) => (await list()).find((d) => d.id === id)!;
    async function pairedDevice(name: string) {
      const { pairingCode, device } = await createDevice(name);
      const res = await pair(pairingCode);
      expect(res.status).toBe(200);
      return { id: device.id, token: (res.data as Paired).token };
    }
    const scan = (ticketId: string, scannedAt: Date, over: Record<string, unknown> = {}) => ({
      clientScanId: randomUUID(),
      ticketId,
      showingId,
      action: "ADMIT",
      scannedAt: scannedAt.toISOString(),
      generation: 0,
      ...over,
    });
    const upload = (token: string, scans: unknown[], unsent?: number) =>
      trpc(server, "door.upload", { token, mutation: true, input: { scans, ...(unsent === undefined ? {} : { unsent }) } });

    function expectInvalidCode(res: Awaited<ReturnType<typeof pair>>) {
      expect(res.status).toBe(404);
      expect(errorData(res)?.appCode).toBe("NOT_FOUND");
      expect(res.error?.message).toBe(INVALID_CODE);
    }
    function expectNoDevice(res: Awaited<ReturnType<typeof renew>>) {
      expect(res.status).toBe(404);
      expect(errorData(res)?.appCode).toBe("NOT_FOUND");
      expect(res.error?.message).toBe(DEVICE_NOT_FOUND);
    }

    it("creates a door only for the club's own showings, naming the ones it did not find", async () => {
      const before = (await list()).length;
      const missing = 987_654_321;
      const res = await trpc(server, "kiosk.createDevice", {
        token: officerToken,
        mutation: true,
        input: { clubId, name: "Mixed door", showingIds: [showingId, foreignShowingId, missing, showingId, foreignShowingId] },
      });
      expect(res.status).toBe(404);
      expect(errorData(res)?.appCode).toBe("NOT_FOUND");
      expect(res.error?.message).toBe("Some showings were not found in this club.");
      expect(errorData(res)?.details).toEqual({ unknownShowingIds: [foreignShowingId, missing] });
      expect(await list()).toHaveLength(before);
    });

    it("keeps a pairing code open for exactly the pairing minutes, and a renewed code replaces the old one", async () => {
      const start = server.clock.now();
      const created = await createDevice("Expiring door");
      expect(created.pairingExpiresAt).toBe(new Date(start.getTime() + PAIRING_MS).toISOString());
      expect(created.device).toMatchObject({ pairingOpen: true, pairedAt: null, lastSeenAt: null, revokedAt: null, unsentScans: null });
      expect((await listed(created.device.id)).pairingOpen).toBe(true);

      server.clock.advance(PAIRING_MS - 1);
      expect((await listed(created.device.id)).pairingOpen).toBe(true);
      server.clock.advance(1);
      // At the expiry instant the code is over.
      expect((await listed(created.device.id)).pairingOpen).toBe(false);
      expectInvalidCode(await pair(created.pairingCode));

      const renewedAt = server.clock.now();
      const first = await renew(created.device.id);
      expect(first.status).toBe(200);
      const firstCode = (first.data as Renewed).pairingCode;
      expect(firstCode).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
      expect((first.data as Renewed).pairingExpiresAt).toBe(new Date(renewedAt.getTime() + PAIRING_MS).toISOString());
      expect((await listed(created.device.id)).pairingOpen).toBe(true);

      server.clock.advance(60_000);
      const second = await renew(created.device.id);
      expect(second.status).toBe(200);
      const { pairingCode, pairingExpiresAt } = second.data as Renewed;
      expect(pairingExpiresAt).toBe(new Date(renewedAt.getTime() + 60_000 + PAIRING_MS).toISOString());
      expect(pairingCode).not.toBe(firstCode);
      expectInvalidCode(await pair(firstCode));

      server.clock.advance(PAIRING_MS - 1);
      const pairedAt = server.clock.now();
      const paired = await pair(pairingCode.toLowerCase().replace("-", " "));
      expect(paired.status).toBe(200);
      const body = paired.data as Paired;
      expect(body.token.startsWith("admitdev_")).toBe(true);
      expect(body.device).toMatchObject({
        id: created.device.id,
        name: "Expiring door",
        clubId,
        pairingOpen: false,
        pairedAt: pairedAt.toISOString(),
        lastSeenAt: pairedAt.toISOString(),
        revokedAt: null,
      });
      expect(body.club.id).toBe(clubId);
      expect((await listed(created.device.id)).pairingOpen).toBe(false);
      expectInvalidCode(await pair(pairingCode));
    });

    it("accepts a code typed with O for zero and I or L for one", async () => {
      async function codeWith(name: string, char: string) {
        const { device, pairingCode } = await createDevice(name);
        let code = pairingCode;
        for (let i = 0; i < 300 && !code.includes(char); i++) code = ((await renew(device.id)).data as Renewed).pairingCode;
        expect(code).toContain(char);
        return { id: device.id, code };
      }
      const zero = await codeWith("Zero door", "0");
      const typedO = await pair(zero.code.replace(/0/g, "O"));
      expect(typedO.status).toBe(200);
      expect((typedO.data as Paired).device.id).toBe(zero.id);

      const one = await codeWith("One door", "1");
      const typedL = await pair(one.code.replace(/1/g, "l").replace("-", ""));
      expect(typedL.status).toBe(200);
      expect((typedL.data as Paired).device.id).toBe(one.id);
    });

    it("renews codes only for the club's own devices that are not revoked", async () => {
      expectNoDevice(await renew(randomUUID()));
      const foreign = await createDevice("Their door", { token: foreignToken, club: foreignClubId, showingIds: [foreignShowingId] });
      expectNoDevice(await renew(foreign.device.id));
      expect((await renew(foreign.device.id, { club: foreignClubId })).status).toBe(404);
      // Their code still works: nothing of theirs was touched.
      const theirs = await pair(foreign.pairingCode);
      expect(theirs.status).toBe(200);
      expect((theirs.data as Paired).club.id).toBe(foreignClubId);

      const lost = await createDevice("Revoked door");
      expect((await revoke(lost.device.id)).status).toBe(200);
      expectNoDevice(await renew(lost.device.id));
    });

    it("lists only the club's own devices, newest first, and revokes only those", async () => {
      const foreign = await createDevice("Foreign listed door", { token: foreignToken, club: foreignClubId, showingIds: [foreignShowingId] });
      const a = await createDevice("List A");
      const b = await createDevice("List B");
      const c = await createDevice("List C");
      const devices = await list();
      expect(devices.every((d) => d.clubId === clubId)).toBe(true);
      expect(devices.map((d) => d.id)).not.toContain(foreign.device.id);
      expect(devices.slice(0, 3).map((d) => d.name)).toEqual(["List C", "List B", "List A"]);
      const times = devices.map((d) => Date.parse(d.createdAt));
      expect(times).toEqual([...times].sort((x, y) => y - x));

      expectNoDevice(await revoke(foreign.device.id));
      expectNoDevice(await revoke(randomUUID()));
      const theirs = (await list({ token: foreignToken, club: foreignClubId })).find((d) => d.id === foreign.device.id)!;
      expect(theirs).toMatchObject({ revokedAt: null, pairingOpen: true });
      expect((await list()).every((d) => d.name === "Revoked door" || d.revokedAt === null)).toBe(true);

      const revokedAt = server.clock.now();
      const done = await revoke(a.device.id);
      expect(done.status).toBe(200);
      expect(done.data).toEqual({ revoked: true });
      expect(await listed(a.device.id)).toMatchObject({ revokedAt: revokedAt.toISOString(), pairingOpen: false });
      expect(await listed(b.device.id)).toMatchObject({ revokedAt: null, pairingOpen: true });
      expectInvalidCode(await pair(a.pairingCode));
      expect((await pair(b.pairingCode)).status).toBe(200);
      expect(c.device.pairingOpen).toBe(true);

      const types = await trpc(server, "kiosk.setAllowedTypes", {
        token: officerToken,
        mutation: true,
        input: { clubId, deviceId: foreign.device.id, allowedTypes: [] },
      });
      expectNoDevice(types);
    });

    it("records when a device was last heard from and how many scans it still holds", async () => {
      const pairedAt = server.clock.now();
      const door = await pairedDevice("Heartbeat door");
      expect(await listed(door.id)).toMatchObject({ lastSeenAt: pairedAt.toISOString(), unsentScans: null });

      server.clock.advance(60_000);
      const manifest = await trpc(server, "door.manifest", { token: door.token });
      expect(manifest.status).toBe(200);
      const { cursor } = manifest.data as { cursor: string };
      expect(await listed(door.id)).toMatchObject({ lastSeenAt: server.clock.now().toISOString(), unsentScans: null });

      server.clock.advance(60_000);
      expect((await trpc(server, "door.changes", { token: door.token, input: { cursor, unsent: 7 } })).status).toBe(200);
      expect(await listed(door.id)).toMatchObject({ lastSeenAt: server.clock.now().toISOString(), unsentScans: 7 });

      server.clock.advance(60_000);
      // A call that does not report a count keeps the last one.
      expect((await trpc(server, "door.changes", { token: door.token, input: { cursor } })).status).toBe(200);
      expect(await listed(door.id)).toMatchObject({ lastSeenAt: server.clock.now().toISOString(), unsentScans: 7 });

      server.clock.advance(60_000);
      const sent = await upload(door.token, [scan(owned[0]!, server.clock.now())], 0);
      expect(sent.status).toBe(200);
      expect(await listed(door.id)).toMatchObject({ lastSeenAt: server.clock.now().toISOString(), unsentScans: 0 });
    });

    it("rejects a scan id reused for another ticket and scans for showings the door is not set up for", async () => {
      const door = await pairedDevice("Strict door");
      const first = scan(owned[1]!, server.clock.now());
      expect(((await upload(door.token, [first])).data as { results: UploadResult[] }).results[0]).toMatchObject({ status: "recorded" });

      const reused = { ...first, ticketId: owned[2]! };
      const elsewhere = scan(owned[2]!, server.clock.now(), { showingId: otherShowingId });
      const res = await upload(door.token, [reused, first, elsewhere]);
      expect(res.status).toBe(200);
      expect((res.data as { results: UploadResult[] }).results).toEqual([
        { clientScanId: first.clientScanId, status: "rejected", conflict: false, conflictReason: null, message: "This scan id was already used for another ticket." },
        { clientScanId: first.clientScanId, status: "rejected", conflict: false, conflictReason: null, message: "This scan id was already used for another ticket." },
        { clientScanId: elsewhere.clientScanId, status: "rejected", conflict: false, conflictReason: null, message: "This door device is not set up for that showing." },
      ]);
      const again = await upload(door.token, [first]);
      expect((again.data as { results: UploadResult[] }).results).toEqual([
        { clientScanId: first.clientScanId, status: "duplicate", conflict: false, conflictReason: null, message: null },
      ]);
      expect(await server.db.prisma.checkInEntry.count({ where: { ticketId: owned[2]! } })).toBe(0);
      expect((await server.db.prisma.ticket.findUniqueOrThrow({ where: { id: owned[2]! } })).attended).toBe(false);
    });

    it("takes a revoked door's scans from before the revocation, and none from its instant on", async () => {
      const door = await pairedDevice("Revoked tablet");
      const revokedAt = server.clock.now();
      expect((await revoke(door.id)).status).toBe(200);
      server.clock.advance(5 * 60_000);
      const before = scan(owned[3]!, new Date(revokedAt.getTime() - 1));
      const at = scan(owned[2]!, revokedAt);
      const res = await upload(door.token, [before, at]);
      expect(res.status).toBe(200);
      expect((res.data as { results: UploadResult[] }).results).toEqual([
        { clientScanId: before.clientScanId, status: "recorded", conflict: false, conflictReason: null, message: null },
        { clientScanId: at.clientScanId, status: "rejected", conflict: false, conflictReason: null, message: "This door device was revoked before this scan." },
      ]);
      expect((await server.db.prisma.ticket.findUniqueOrThrow({ where: { id: owned[3]! } })).attended).toBe(true);
      expect((await server.db.prisma.ticket.findUniqueOrThrow({ where: { id: owned[2]! } })).attended).toBe(false);
    });

    it("refuses a cursor the server never gave out, saying so", async () => {
      const door = await pairedDevice("Cursor door");
      for (const cursor of ["not-a-cursor", "-1", "9223372036854775808"]) {
        const res = await trpc(server, "door.changes", { token: door.token, input: { cursor } });
        expect(res.status).toBe(400);
        expect(errorData(res)?.appCode).toBe("VALIDATION_FAILED");
        expect(res.error?.message).toBe("cursor: not a cursor this server gave out.");
      }
    });

    it("shows revoked doors in the live view only while they have counts, and the officers' marks as their own row", async () => {
      const { prisma } = server.db;
      const liveShowing = (await createShowing(prisma, (await createEvent(prisma, clubId)).id)).id;
      const tickets: string[] = [];
      for (const t of await createTickets(prisma, liveShowing, { type: "General", count: 3, price: "5.00" })) {
        const holder = await createUser(prisma, { fullName: `Live ${tickets.length}` });
        await prisma.ticket.update({ where: { id: t.id }, data: { ownerId: holder.id } });
        tickets.push(t.id);
      }
      async function door(name: string) {
        const created = await createDevice(name, { showingIds: [liveShowing] });
        const paired = await pair(created.pairingCode);
        expect(paired.status).toBe(200);
        return { id: created.device.id, token: (paired.data as Paired).token };
      }
      const kept = await door("Live kept");
      const busy = await door("Live busy");
      const leaving = await door("Live exits");
      const idle = await door("Live idle");
      const t0 = new Date(server.clock.now().getTime() - 10 * 60_000);
      const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
      const liveScan = (ticketId: string, minutes: number, action = "ADMIT") => scan(ticketId, at(minutes), { showingId: liveShowing, action });
      const statuses = async (token: string, scans: unknown[]) =>
        ((await upload(token, scans)).data as { results: UploadResult[] }).results.map((r) => [r.status, r.conflictReason]);
      expect(await statuses(kept.token, [liveScan(tickets[0]!, 0)])).toEqual([["recorded", null]]);
      expect(await statuses(busy.token, [liveScan(tickets[1]!, 1), liveScan(tickets[0]!, 2)])).toEqual([["recorded", null], ["recorded", "already-in"]]);
      expect(await statuses(leaving.token, [liveScan(tickets[0]!, 3, "EXIT")])).toEqual([["recorded", null]]);
      const marked = await rest(server, "PATCH", `/api/tickets/${tickets[2]!}/`, { token: officerToken, body: { attended: true } });
      expect(marked.status).toBe(200);
      for (const d of [busy, leaving, idle]) expect((await revoke(d.id)).status).toBe(200);

      const view = await trpc(server, "kiosk.doorLive", { token: officerToken, input: { clubId, showingId: liveShowing } });
      expect(view.status, JSON.stringify(view.error)).toBe(200);
      const doors = (view.data as { doors: Array<{ deviceId: string | null; name: string; revoked: boolean; admits: number; exits: number; conflicts: number }> }).doors;
      const counts = doors.map((d) => ({ name: d.name, revoked: d.revoked, admits: d.admits, exits: d.exits, conflicts: d.conflicts }));
      expect(counts).toEqual([
        { name: "Live busy", revoked: true, admits: 1, exits: 0, conflicts: 1 },
        { name: "Live exits", revoked: true, admits: 0, exits: 1, conflicts: 0 },
        { name: "Live kept", revoked: false, admits: 1, exits: 0, conflicts: 0 },
        { name: "Officers (marked by hand)", revoked: false, admits: 1, exits: 0, conflicts: 0 },
      ]);
      expect(doors.at(-1)).toEqual({
        deviceId: null,
        name: "Officers (marked by hand)",
        allowedTypes: [],
        lastSeenAt: null,
        revoked: false,
        admits: 1,
        exits: 0,
        conflicts: 0,
      });
    });

    // Races only show on PostgreSQL: PGlite runs one transaction at a time.
    if (backend.kind === "postgresql") it("gives a pairing code's token to exactly one of several tablets typing it at once", async () => {
      const { pairingCode, device } = await createDevice("Contested door");
      const attempts = await Promise.all(Array.from({ length: 8 }, () => pair(pairingCode)));
      const winners = attempts.filter((a) => a.status === 200);
      expect(winners).toHaveLength(1);
      for (const loser of attempts.filter((a) => a.status !== 200)) expectInvalidCode(loser);
      const { token } = winners[0]!.data as Paired;
      const manifest = await trpc(server, "door.manifest", { token });
      expect(manifest.status).toBe(200);
      expect((manifest.data as { device: { id: string } }).device.id).toBe(device.id);
    });

    // Last: it uses up this address's allowance of wrong codes.
    it("stops a network after too many wrong pairing codes, before looking at its code, until the window passes", async () => {
      server.clock.advance(11 * 60_000); // a fresh window, whatever earlier tests typed
      const { pairingCode, device } = await createDevice("Guessed door");
      for (let i = 0; i < 20; i++) expectInvalidCode(await pair("UUUU-UUUU"));
      const refused = await pair("UUUU-UUUU");
      expect(refused.status).toBe(429);
      expect(errorData(refused)?.appCode).toBe("RATE_LIMITED");
      expect(refused.error?.message).toBe(TOO_MANY_CODES);
      const right = await pair(pairingCode);
      expect(right.status).toBe(429);
      expect(right.error?.message).toBe(TOO_MANY_CODES);
      expect((await listed(device.id)).pairingOpen).toBe(true);

      server.clock.advance(10 * 60_000 + 1_000);
      const later = await pair(pairingCode);
      expect(later.status).toBe(200);
      expect((later.data as Paired).device.id).toBe(device.id);
    });
  });
}
