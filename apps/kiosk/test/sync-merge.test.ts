import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { OutboxScan } from "../src/db.ts";
import { getTicket } from "../src/tickets.ts";
import { recordScan, recordUndo } from "../src/scan/record.ts";
import { downloadOnce, metaKeys } from "../src/sync/download.ts";
import { displayedTicket } from "../src/sync/merge.ts";
import { uploadAll } from "../src/sync/upload.ts";
import { TicketSearch } from "../src/search.ts";
import { codeFor, DoorServerStandIn, doorContext, freshDb, ticket } from "./helpers.ts";

function scan(over: Partial<OutboxScan> & Pick<OutboxScan, "ticketId">): OutboxScan {
  return {
    clientScanId: randomUUID(),
    showingId: 7,
    action: "ADMIT",
    undoesScanId: null,
    scannedAt: "2026-12-01T19:05:00.000Z",
    door: "North door",
    generation: 0,
    state: "pending",
    uploadedAt: null,
    outcome: null,
    ...over,
  };
}

describe("the door's view: server state with this door's scans laid on top", () => {
  it("lays unreflected admits on the server's state, and drops them once settled", () => {
    const server = ticket();
    const admit = scan({ ticketId: server.id });
    expect(displayedTicket(server, [admit], server)).toMatchObject({ attended: true, attendedAt: admit.scannedAt, attendedDoor: "North door" });
    expect(displayedTicket(server, [{ ...admit, state: "uploaded" }], server)).toMatchObject({ attended: true });
    // Settled: the server's data has it; if the server now says "not in" (an officer's correction), that stands.
    expect(displayedTicket(server, [{ ...admit, state: "settled" }], server)).toMatchObject({ attended: false });
  });

  it("keeps another door's earlier admit, and this door's own when it came first", () => {
    const south = ticket({ attended: true, attendedAt: "2026-12-01T19:01:00.000Z", attendedDoor: "South door" });
    const later = scan({ ticketId: south.id, scannedAt: "2026-12-01T19:05:00.000Z" });
    expect(displayedTicket(south, [later], south)).toMatchObject({ attendedDoor: "South door" });
    const earlier = scan({ ticketId: south.id, scannedAt: "2026-12-01T19:00:30.000Z" });
    expect(displayedTicket(south, [earlier], south)).toMatchObject({ attendedDoor: "North door", attendedAt: earlier.scannedAt });
  });

  it("takes a ticket out for an unsent undo, also when the server already has the admit", () => {
    const admit = scan({ ticketId: randomUUID(), state: "settled" });
    const server = ticket({ id: admit.ticketId, attended: true, attendedAt: admit.scannedAt, attendedDoor: "North door" });
    const undo = scan({ ticketId: server.id, action: "UNDO", undoesScanId: admit.clientScanId, scannedAt: "2026-12-01T19:06:00.000Z" });
    expect(displayedTicket(server, [admit, undo], server)).toMatchObject({ attended: false });
    // An undo of this door's admit does not take out a check-in another door made.
    const other = { ...server, attendedAt: "2026-12-01T19:04:00.000Z", attendedDoor: "South door" };
    expect(displayedTicket(other, [admit, undo], other)).toMatchObject({ attended: true, attendedDoor: "South door" });
    // Uploaded but not settled: a download that started before the upload was answered may already show it.
    expect(displayedTicket(server, [{ ...admit, state: "uploaded", uploadedAt: 1 }, undo], server)).toMatchObject({ attended: false });
    const pendingAdmit = { ...admit, state: "pending" as const };
    expect(displayedTicket(ticket({ id: admit.ticketId }), [pendingAdmit, undo], server)).toMatchObject({ attended: false });
  });

  it("knows nothing of a ticket with neither server data nor unsent scans", () => {
    expect(displayedTicket(undefined, [], ticket())).toBeUndefined();
  });
});

describe("downloads merged with pending scans", () => {
  it("applies the change feed (other doors, transfers, refunds) under this door's unsent scans", async () => {
    const db = freshDb();
    const server = new DoorServerStandIn();
    const [mine, theirs, moved, refunded] = [ticket(), ticket(), ticket(), ticket({ holderName: "José Núñez" })];
    for (const t of [mine, theirs, moved, refunded]) server.put(t);
    expect(await downloadOnce(db, server, Date.now)).toMatchObject({ kind: "manifest", tickets: 4 });

    const ctx = doorContext(db);
    expect((await recordScan(ctx, codeFor(mine.id))).verdict).toBe("ADMIT"); // offline, not uploaded

    server.put({ ...theirs, attended: true, attendedAt: "2026-12-01T18:59:00.000Z", attendedDoor: "South door" });
    server.put({ ...moved, qrGeneration: 1, holderName: "New Owner" });
    server.put({ ...refunded, valid: false });
    expect(await downloadOnce(db, server, Date.now)).toMatchObject({ kind: "changes", tickets: 3 });

    expect(await recordScan(ctx, codeFor(mine.id))).toMatchObject({ verdict: "ALREADY_IN", firstAdmittedDoor: "North door" });
    expect(await recordScan(ctx, codeFor(theirs.id))).toMatchObject({ verdict: "ALREADY_IN", firstAdmittedDoor: "South door" });
    expect((await recordScan(ctx, codeFor(moved.id, undefined, 0))).verdict).toBe("OLD_QR");
    expect((await recordScan(ctx, codeFor(refunded.id))).verdict).toBe("NOT_VALID");
    expect(await recordScan(ctx, codeFor(moved.id, undefined, 1))).toMatchObject({ verdict: "ADMIT", holderName: "New Owner" });

    const found = await new TicketSearch(db).search("jose nu");
    expect(found).toEqual([expect.objectContaining({ id: refunded.id, valid: false })]);
    expect((await new TicketSearch(db).search("new")).map((t) => [t.holderName, t.attended])).toEqual([["New Owner", true]]);
  });

  it("settles an upload only by a download that started after the server answered it", async () => {
    const db = freshDb();
    const server = new DoorServerStandIn();
    const t = ticket();
    server.put(t);
    let clock = 1000;
    const now = () => clock;
    await downloadOnce(db, server, now);
    const ctx = doorContext(db);
    const admit = await recordScan(ctx, codeFor(t.id));
    clock = 2000;
    await uploadAll(db, server, now);
    expect(await db.outbox.get(admit.clientScanId!)).toMatchObject({ state: "uploaded", uploadedAt: 2000 });
    clock = 3000;
    await downloadOnce(db, server, now);
    expect(await db.outbox.get(admit.clientScanId!)).toMatchObject({ state: "settled" });
    expect((await recordScan(ctx, codeFor(t.id))).verdict).toBe("ALREADY_IN");

    // An undo travels the same way, and the ticket stays out throughout.
    await recordUndo(ctx, admit.clientScanId!);
    expect(displayedTicket(await getTicket(db, t.id), await db.outbox.where("ticketId").equals(t.id).toArray(), t)).toMatchObject({ attended: false });
    clock = 4000;
    await uploadAll(db, server, now);
    clock = 5000;
    await downloadOnce(db, server, now);
    expect((await recordScan(ctx, codeFor(t.id))).verdict).toBe("ADMIT");
  });

  it("keeps tickets a fresh manifest no longer lists as not valid, so their codes do not admit as new sales", async () => {
    const db = freshDb();
    const server = new DoorServerStandIn();
    const gone = ticket();
    server.put(gone);
    await downloadOnce(db, server, Date.now);
    server.tickets.delete(gone.id);
    await db.meta.put({ key: metaKeys.refreshWanted, value: true });
    expect((await downloadOnce(db, server, Date.now)).kind).toBe("manifest");
    expect(await getTicket(db, gone.id)).toMatchObject({ valid: false });
    expect((await recordScan(doorContext(db), codeFor(gone.id))).verdict).toBe("NOT_VALID");
  });
});
