import { randomUUID } from "node:crypto";
import { generateSigningKey } from "@admit/ticket-codes";
import { describe, expect, it } from "vitest";
import { openKioskDb } from "../src/db.ts";
import { putTickets } from "../src/tickets.ts";
import { recordManualAdmit, recordScan, recordUndo, UndoError } from "../src/scan/record.ts";
import { codeFor, doorContext, freshDb, OTHER_SHOWING, ticket } from "./helpers.ts";

describe("deciding and recording a scan", () => {
  it("has the admit committed to the outbox by the time the verdict comes back", async () => {
    const db = freshDb();
    const t = ticket();
    await putTickets(db, [t]);
    const outcome = await recordScan(doorContext(db), codeFor(t.id));
    expect(outcome.verdict).toBe("ADMIT");

    // A second connection (as after a reload or crash) sees the row: the transaction had committed, not just queued.
    const afterReload = openKioskDb(db.name);
    const stored = await afterReload.outbox.get(outcome.clientScanId!);
    expect(stored).toMatchObject({ ticketId: t.id, action: "ADMIT", state: "pending", door: "North door", generation: 0 });
    afterReload.close();
  });

  it("shows no admit when the outbox write fails", async () => {
    const db = freshDb();
    const [a, b] = [ticket(), ticket()];
    await putTickets(db, [a, b]);
    const sameId = randomUUID();
    const ctx = doorContext(db, { newScanId: () => sameId });
    expect((await recordScan(ctx, codeFor(a.id))).verdict).toBe("ADMIT");
    // The id is taken, so the write fails: the scan must fail rather than show a verdict nothing remembers.
    await expect(recordScan(ctx, codeFor(b.id))).rejects.toThrow();
    expect(await db.outbox.where("ticketId").equals(b.id).count()).toBe(0);
    expect((await recordScan(doorContext(db), codeFor(b.id))).verdict).toBe("ADMIT");
  });

  it("answers ALREADY IN with the first admit's time and door for the same ticket again", async () => {
    const db = freshDb();
    const t = ticket();
    await putTickets(db, [t]);
    const ctx = doorContext(db);
    const first = await recordScan(ctx, codeFor(t.id));
    const second = await recordScan(ctx, codeFor(t.id));
    const firstRow = await db.outbox.get(first.clientScanId!);
    expect(second).toMatchObject({ verdict: "ALREADY_IN", firstAdmittedDoor: "North door", firstAdmittedAt: firstRow!.scannedAt, clientScanId: null });
    expect(await db.outbox.count()).toBe(1);
  });

  it("admits only one of two scans of one ticket arriving at the same moment", async () => {
    const db = freshDb();
    const t = ticket();
    await putTickets(db, [t]);
    const ctx = doorContext(db);
    const outcomes = await Promise.all([recordScan(ctx, codeFor(t.id)), recordScan(ctx, codeFor(t.id)), recordManualAdmit(ctx, t.id)]);
    expect(outcomes.map((o) => o.verdict).sort()).toEqual(["ADMIT", "ALREADY_IN", "ALREADY_IN"]);
    expect(await db.outbox.count()).toBe(1);
  });

  it("refuses replaced, refunded, other-showing, forged and foreign codes without recording anything", async () => {
    const db = freshDb();
    const transferred = ticket({ qrGeneration: 2 });
    const refunded = ticket({ valid: false });
    const elsewhere = ticket({ showingId: OTHER_SHOWING });
    await putTickets(db, [transferred, refunded, elsewhere]);
    const ctx = doorContext(db);
    const genuine = codeFor(transferred.id, undefined, 2);
    const at = genuine.length - 10; // inside the signature
    const tampered = genuine.slice(0, at) + (genuine[at] === "A" ? "B" : "A") + genuine.slice(at + 1);
    const cases: Array<[string, string]> = [
      [codeFor(transferred.id, undefined, 1), "OLD_QR"],
      [codeFor(refunded.id), "NOT_VALID"],
      [codeFor(elsewhere.id, OTHER_SHOWING), "WRONG_SHOWING"],
      [codeFor(randomUUID(), OTHER_SHOWING), "WRONG_SHOWING"],
      [tampered, "FORGED"],
      [codeFor(transferred.id, undefined, 2, generateSigningKey(3)), "FORGED"],
      ["https://example.com/not-a-ticket", "UNKNOWN"],
    ];
    for (const [code, verdict] of cases) {
      expect((await recordScan(ctx, code)).verdict, verdict).toBe(verdict);
    }
    expect(await db.outbox.count()).toBe(0);
    expect((await recordScan(ctx, genuine)).verdict).toBe("ADMIT");
  });

  it("flags a key id this door does not know, so it fetches the current keys", async () => {
    const db = freshDb();
    const outcome = await recordScan(doorContext(db), codeFor(randomUUID(), undefined, 0, generateSigningKey(9)));
    expect(outcome).toMatchObject({ verdict: "FORGED", unknownKey: true });
  });

  it("admits a ticket sold after the last sync on its signature, once", async () => {
    const db = freshDb();
    const ctx = doorContext(db);
    const id = randomUUID();
    expect(await recordScan(ctx, codeFor(id))).toMatchObject({ verdict: "ADMIT", provisional: true });
    expect(await recordScan(ctx, codeFor(id))).toMatchObject({ verdict: "ALREADY_IN", firstAdmittedDoor: "North door" });
  });

  it("undoes the last admit with an UNDO scan naming it, after which the ticket admits again", async () => {
    const db = freshDb();
    const t = ticket();
    await putTickets(db, [t]);
    const ctx = doorContext(db);
    const admit = await recordScan(ctx, codeFor(t.id));
    const undo = await recordUndo(ctx, admit.clientScanId!);
    expect(undo).toMatchObject({ action: "UNDO", undoesScanId: admit.clientScanId, ticketId: t.id, state: "pending" });
    await expect(recordUndo(ctx, admit.clientScanId!)).rejects.toBeInstanceOf(UndoError);
    await expect(recordUndo(ctx, undo.clientScanId)).rejects.toBeInstanceOf(UndoError);
    expect((await recordScan(ctx, codeFor(t.id))).verdict).toBe("ADMIT");
  });

  it("checks in from search through the same policy", async () => {
    const db = freshDb();
    const t = ticket({ qrGeneration: 4 });
    await putTickets(db, [t]);
    const ctx = doorContext(db);
    const manual = await recordManualAdmit(ctx, t.id);
    expect(manual.verdict).toBe("ADMIT");
    expect(await db.outbox.get(manual.clientScanId!)).toMatchObject({ generation: null, showingId: t.showingId });
    expect((await recordManualAdmit(ctx, t.id)).verdict).toBe("ALREADY_IN");
  });
});
