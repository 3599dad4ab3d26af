import { describe, expect, it } from "vitest";
import type { Changes, UploadResult, UploadScan } from "../src/api.ts";
import { recordScan } from "../src/scan/record.ts";
import { SyncLoops, type SyncTiming } from "../src/sync/loops.ts";
import { putTickets } from "../src/tickets.ts";
import { codeFor, DoorServerStandIn, doorContext, freshDb, networkDown, refusal, ticket } from "./helpers.ts";

const fast: SyncTiming = { downloadEveryMs: 20, uploadEveryMs: 20, retryAfterMs: 10, maxBackoffMs: 40 };

async function until(check: () => Promise<boolean> | boolean, ms = 5000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The stand-in, also noting the unsent counts the kiosk reports and what push wake-ups it asked for. */
class ReportingServer extends DoorServerStandIn {
  reportedUnsent: Array<number | undefined> = [];
  wake: (() => void) | null = null;
  pushClosed = false;

  override changes(cursor: string, unsent?: number): Promise<Changes> {
    this.reportedUnsent.push(unsent);
    return super.changes(cursor);
  }

  override upload(scans: UploadScan[], unsent?: number): Promise<{ results: UploadResult[] }> {
    this.reportedUnsent.push(unsent);
    return super.upload(scans);
  }

  push(changed: () => void): () => void {
    this.wake = changed;
    return () => {
      this.pushClosed = true;
    };
  }
}

describe("sync loops: revocation, unsent counts and push", () => {
  it("a revoked door stops deciding, delivers the scans it still holds, and only then is unpaired", async () => {
    const db = freshDb();
    const server = new ReportingServer();
    const tickets = [ticket(), ticket()];
    for (const t of tickets) server.put(t);
    await putTickets(db, tickets);
    const ctx = doorContext(db);
    for (const t of tickets) await recordScan(ctx, codeFor(t.id));

    // Offline when the officer revoked it: uploads fail; then the server answers again, and says "revoked".
    server.failUploads = networkDown();
    server.failDownloads = refusal(403, "DEVICE_REVOKED", "This door device was revoked by an officer.");
    const events: string[] = [];
    const loops = new SyncLoops(
      db,
      server,
      {
        revoked: () => events.push("revoked"),
        unpaired: () => events.push(`unpaired with ${server.recorded.size} delivered`),
        changed: () => undefined,
      },
      fast,
    );
    loops.start();
    await until(() => events.includes("revoked"));
    // Still undelivered (the uploads fail): it keeps trying rather than wiping.
    await until(() => server.uploadCalls.length >= 3);
    expect(events).toEqual(["revoked"]);
    server.failUploads = null;
    await until(() => events.length === 2);
    await loops.stop();
    expect(events).toEqual(["revoked", "unpaired with 2 delivered"]);
    expect(server.pushClosed).toBe(true);
  });

  it("a new pairing can stop a revoked door whose last delivery keeps failing", async () => {
    const db = freshDb();
    const server = new ReportingServer();
    const t = ticket();
    server.put(t);
    await putTickets(db, [t]);
    await recordScan(doorContext(db), codeFor(t.id));
    server.failUploads = refusal(503, "INTERNAL_SERVER_ERROR", "Down for a moment.");
    server.failDownloads = refusal(403, "DEVICE_REVOKED", "This door device was revoked by an officer.");
    const events: string[] = [];
    const slowRetries: SyncTiming = { ...fast, retryAfterMs: 60_000, maxBackoffMs: 60_000 };
    const loops = new SyncLoops(db, server, { revoked: () => events.push("revoked"), unpaired: () => events.push("unpaired"), changed: () => undefined }, slowRetries);
    loops.start();
    await until(() => events.includes("revoked") && server.uploadCalls.length > 0);
    const stopping = Date.now();
    await loops.stop();
    expect(Date.now() - stopping).toBeLessThan(2000);
    expect(events).toEqual(["revoked"]);
  });

  it("a revoked door stopped during its last delivery and started again delivers and is unpaired then", async () => {
    const db = freshDb();
    const server = new ReportingServer();
    const t = ticket();
    server.put(t);
    await putTickets(db, [t]);
    await recordScan(doorContext(db), codeFor(t.id));
    server.failUploads = networkDown();
    server.failDownloads = refusal(403, "DEVICE_REVOKED", "This door device was revoked by an officer.");
    const events: string[] = [];
    const loops = new SyncLoops(
      db,
      server,
      { revoked: () => events.push("revoked"), unpaired: () => events.push(`unpaired with ${server.recorded.size} delivered`), changed: () => undefined },
      fast,
    );
    loops.start();
    await until(() => events.includes("revoked") && server.uploadCalls.length > 0);
    // A pairing link opened on the door, then cancelled: the door screen stops the loops and starts them again.
    await loops.stop();
    expect(events).toEqual(["revoked"]);
    server.failUploads = null;
    loops.start();
    await until(() => events.length === 3);
    await loops.stop();
    expect(events).toEqual(["revoked", "revoked", "unpaired with 1 delivered"]);
  });

  it("reports how many scans wait in the outbox with every pull and upload, and pulls at once when pushed", async () => {
    const db = freshDb();
    const server = new ReportingServer();
    const tickets = [ticket(), ticket(), ticket()];
    for (const t of tickets) server.put(t);
    await putTickets(db, tickets);
    const ctx = doorContext(db);
    for (const t of tickets) await recordScan(ctx, codeFor(t.id));
    server.failUploads = networkDown();
    const slow: SyncTiming = { ...fast, downloadEveryMs: 60_000 };
    let pulls = 0;
    const loops = new SyncLoops(db, server, { unpaired: () => undefined, changed: () => undefined, downloaded: () => pulls++ }, slow);
    loops.start();
    // The first pull is a manifest; the next one waits a minute unless the server pushes.
    await until(() => pulls === 1 && server.wake !== null);
    server.wake!();
    await until(() => pulls === 2);
    expect(server.reportedUnsent).toContain(3);
    server.failUploads = null;
    await until(() => server.recorded.size === 3);
    server.wake!();
    await until(() => pulls === 3);
    await loops.stop();
    expect(server.reportedUnsent.at(-1)).toBe(0);
  });
});
