import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { getMeta, type KioskDb } from "../src/db.ts";
import { getTicket, putTickets } from "../src/tickets.ts";
import { recordScan } from "../src/scan/record.ts";
import { metaKeys } from "../src/sync/download.ts";
import { SyncLoops, type SyncTiming } from "../src/sync/loops.ts";
import { uploadAll, uploadBatch } from "../src/sync/upload.ts";
import { codeFor, DoorServerStandIn, doorContext, freshDb, networkDown, refusal, ticket } from "./helpers.ts";

async function admitMany(db: KioskDb, server: DoorServerStandIn, count: number) {
  const tickets = Array.from({ length: count }, () => ticket());
  for (const t of tickets) server.put(t);
  await putTickets(db, tickets);
  const ctx = doorContext(db);
  const ids: string[] = [];
  for (const t of tickets) ids.push((await recordScan(ctx, codeFor(t.id))).clientScanId!);
  return ids;
}

/** Outbox rows as recording would leave them, written directly (recording 450 scans one by one is slow here). */
async function queueDirectly(db: KioskDb, server: DoorServerStandIn, count: number) {
  const start = Date.parse("2026-12-01T19:00:00.000Z");
  const rows = Array.from({ length: count }, (_, i) => {
    const t = ticket();
    server.put(t);
    return {
      clientScanId: randomUUID(),
      ticketId: t.id,
      showingId: t.showingId,
      action: "ADMIT" as const,
      undoesScanId: null,
      // Stored out of order, so the loop has to sort by door time.
      scannedAt: new Date(start + ((i * 7919) % count) * 1000).toISOString(),
      door: "North door",
      generation: 0,
      state: "pending" as const,
      uploadedAt: null,
      outcome: null,
    };
  });
  await db.outbox.bulkAdd(rows);
}

const states = async (db: KioskDb) => (await db.outbox.toArray()).map((s) => s.state).sort();

describe("the upload loop", () => {
  it("marks scans uploaded only on the server's answer and keeps them pending when it cannot be reached", async () => {
    const db = freshDb();
    const server = new DoorServerStandIn();
    const [id] = await admitMany(db, server, 1);
    server.failUploads = networkDown();
    await expect(uploadBatch(db, server, () => 1)).rejects.toThrow();
    expect(await db.outbox.get(id!)).toMatchObject({ state: "pending", uploadedAt: null });

    server.failUploads = null;
    expect(await uploadBatch(db, server, () => 2)).toBe(1);
    expect(await db.outbox.get(id!)).toMatchObject({
      state: "uploaded",
      uploadedAt: 2,
      outcome: { status: "recorded", conflict: false, conflictReason: null, message: null },
    });
    expect(await uploadBatch(db, server, () => 3)).toBe(0);
    expect(server.uploadCalls).toHaveLength(2);
  });

  it("keeps scans pending through a server error (5xx), which is no refusal", async () => {
    const db = freshDb();
    const server = new DoorServerStandIn();
    const [id] = await admitMany(db, server, 1);
    server.failUploads = refusal(500, "INTERNAL_SERVER_ERROR", "Something went wrong on our side.");
    await expect(uploadBatch(db, server, () => 1)).rejects.toThrow("Something went wrong");
    expect(await db.outbox.get(id!)).toMatchObject({ state: "pending" });
  });

  it("leaves scans the server's reply does not mention pending, and sends them again (idempotent by scan id)", async () => {
    const db = freshDb();
    const server = new DoorServerStandIn();
    const ids = await admitMany(db, server, 4);
    const answered = new Set(ids.slice(0, 2));
    server.answerOnly = (scan) => answered.has(scan.clientScanId);
    expect(await uploadBatch(db, server, () => 1)).toBe(2);
    expect(await states(db)).toEqual(["pending", "pending", "uploaded", "uploaded"]);
    server.answerOnly = null;
    expect(await uploadAll(db, server, () => 2)).toBe(2);
    expect(await states(db)).toEqual(["uploaded", "uploaded", "uploaded", "uploaded"]);
    expect(server.recorded.size).toBe(4);
  });

  it("sends in batches of 500 (the server's limit) in door-time order", async () => {
    const db = freshDb();
    const server = new DoorServerStandIn();
    await queueDirectly(db, server, 1100);
    expect(await uploadAll(db, server, () => 1)).toBe(1100);
    expect(server.uploadCalls.map((c) => c.length)).toEqual([500, 500, 100]);
    const sent = server.uploadCalls.flat().map((s) => s.scannedAt);
    expect(sent).toEqual([...sent].sort());
  });

  it("does not let one malformed scan hold up the others", async () => {
    const db = freshDb();
    const server = new DoorServerStandIn();
    const ids = await admitMany(db, server, 3);
    server.refuseBatchesContaining = ids[1]!;
    expect(await uploadAll(db, server, () => 1)).toBe(3);
    expect((await db.outbox.get(ids[1]!))?.state).toBe("rejected");
    expect((await db.outbox.get(ids[1]!))?.outcome?.message).toContain("Invalid ISO datetime");
    expect([(await db.outbox.get(ids[0]!))?.state, (await db.outbox.get(ids[2]!))?.state]).toEqual(["uploaded", "uploaded"]);
  });

  it("sets aside a scan for a ticket the server does not know, instead of retrying it forever", async () => {
    const db = freshDb();
    const server = new DoorServerStandIn();
    const id = (await recordScan(doorContext(db), codeFor(randomUUID()))).clientScanId!;
    expect(await uploadAll(db, server, () => 1)).toBe(1);
    expect(await db.outbox.get(id)).toMatchObject({ state: "rejected", outcome: { status: "rejected", message: "No such ticket." } });
  });
});

const fast: SyncTiming = { downloadEveryMs: 20, uploadEveryMs: 20, retryAfterMs: 10, maxBackoffMs: 40 };

async function until(check: () => Promise<boolean> | boolean, ms = 5000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("upload and download loops", () => {
  it("keep downloading while every upload fails, and drain the outbox once uploads work", async () => {
    const db = freshDb();
    const server = new DoorServerStandIn();
    const ids = await admitMany(db, server, 3);
    server.failUploads = networkDown();
    const loops = new SyncLoops(db, server, { unpaired: () => undefined, changed: () => undefined }, fast);
    loops.start();
    await until(async () => (await getMeta(db, metaKeys.lastSyncAt)) !== undefined);
    const late = ticket({ holderName: "Late Buyer" });
    server.put(late);
    await until(async () => (await getTicket(db, late.id)) !== undefined);
    expect(loops.download.reachable).toBe(true);
    expect(loops.upload.reachable).toBe(false);
    expect(await states(db)).toEqual(["pending", "pending", "pending"]);

    server.failUploads = null;
    loops.wakeUpload();
    await until(async () => (await db.outbox.where("state").equals("pending").count()) === 0);
    await loops.stop();
    expect([...server.recorded.keys()].sort()).toEqual([...ids].sort());
  });

  it("do not turn each offline scan into a failing upload: new scans wait out the back-off", async () => {
    const db = freshDb();
    const server = new DoorServerStandIn();
    server.failUploads = networkDown();
    const loops = new SyncLoops(db, server, { unpaired: () => undefined, changed: () => undefined }, {
      downloadEveryMs: 60_000,
      uploadEveryMs: 60_000,
      retryAfterMs: 5_000,
      maxBackoffMs: 5_000,
    });
    await admitMany(db, server, 1);
    loops.start();
    await until(() => loops.upload.reachable === false);
    const callsBefore = server.uploadCalls.length;
    const ids = await admitMany(db, server, 5);
    for (let i = 0; i < ids.length; i++) loops.wakeUpload();
    await new Promise((r) => setTimeout(r, 100));
    expect(server.uploadCalls.length).toBe(callsBefore);
    // The network coming back ends the back-off at once.
    server.failUploads = null;
    loops.wakeAll();
    await until(async () => (await db.outbox.where("state").equals("pending").count()) === 0);
    await loops.stop();
  });

  it("stop everything when the server says the device was revoked", async () => {
    const db = freshDb();
    const server = new DoorServerStandIn();
    server.failDownloads = refusal(403, "DEVICE_REVOKED", "This door device was revoked by an officer.");
    const messages: string[] = [];
    const loops = new SyncLoops(db, server, { unpaired: (m) => messages.push(m), changed: () => undefined }, fast);
    loops.start();
    await until(() => messages.length > 0);
    await loops.stop();
    expect(messages[0]).toBe("This door device was revoked by an officer.");
  });
});
