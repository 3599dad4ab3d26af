import { decideScan, type Decision, type DoorGate, type DoorMode, type ScannedCode } from "@admit/door";
import type { VerifyingKey } from "@admit/ticket-codes";
import type { KioskDb, OutboxScan } from "../db.ts";
import { displayedTicket } from "../sync/merge.ts";
import { getTicket } from "../tickets.ts";
import { checkScannedCode } from "./verify.ts";

/** What deciding a scan needs to know about this door. */
export interface DoorContext {
  db: KioskDb;
  showingIds: readonly number[];
  keys: readonly VerifyingKey[];
  /** This door's name, shown to other doors as "admitted at ...". */
  door: string;
  now: () => Date;
  newScanId: () => string;
  /** Entrance (the default) or exit, switched on the tablet. */
  mode?: DoorMode;
  /** The ticket types this door admits and the other doors, from the server. */
  gate?: DoorGate;
}

export interface ScanOutcome extends Decision {
  /** The outbox id of the ADMIT (or EXIT) this scan recorded (for undo); null when nothing was recorded. */
  clientScanId: string | null;
  /** The key id the code was signed with is unknown here: the door's keys may be out of date. */
  unknownKey: boolean;
}

/**
 * Decides a scan from the door's own data and, for an ADMIT, writes it to the outbox before returning: a verdict is
 * only ever shown for a scan that is already stored. The look-up and the write share one transaction, so two scans
 * of one ticket (camera and hand scanner at once) cannot both be admitted.
 */
export async function decideAndRecord(ctx: DoorContext, code: ScannedCode, generationSeen: number | null): Promise<ScanOutcome> {
  const unknownKey = !code.ok && code.reason === "unknown-key";
  const rules = { showingIds: ctx.showingIds, ...(ctx.mode ? { mode: ctx.mode } : {}), ...(ctx.gate ? { gate: ctx.gate } : {}) };
  if (!code.ok) return { ...decideScan({ code, ...rules, ticket: undefined }), clientScanId: null, unknownKey };
  const { db } = ctx;
  return db.transaction("rw", db.buckets, db.outbox, async () => {
    const [server, scans] = await Promise.all([
      getTicket(db, code.ticketId),
      db.outbox.where("ticketId").equals(code.ticketId).toArray(),
    ]);
    const ticket = displayedTicket(server, scans, {
      id: code.ticketId,
      showingId: code.showingId,
      type: server?.type ?? "",
      holderName: server?.holderName ?? "",
      qrGeneration: code.generation,
      valid: true,
    });
    const decision = decideScan({ code, ...rules, ticket });
    if (decision.verdict !== "ADMIT" && decision.verdict !== "EXIT") return { ...decision, clientScanId: null, unknownKey };
    const admit: OutboxScan = {
      clientScanId: ctx.newScanId(),
      ticketId: code.ticketId,
      showingId: code.showingId,
      action: decision.verdict,
      ...(decision.reentry ? { reentry: true } : {}),
      undoesScanId: null,
      scannedAt: ctx.now().toISOString(),
      door: ctx.door,
      generation: generationSeen,
      state: "pending",
      uploadedAt: null,
      outcome: null,
    };
    await db.outbox.add(admit);
    return { ...decision, clientScanId: admit.clientScanId, unknownKey };
  });
}

/** A scanned text (camera, hand scanner): verify the signature, then decide and record. */
export async function recordScan(ctx: DoorContext, text: string): Promise<ScanOutcome> {
  const code = await checkScannedCode(text, ctx.keys);
  return decideAndRecord(ctx, code, code.ok ? code.generation : null);
}

/**
 * A ticket picked from the search list: the same policy, as if its current QR code had been shown at an entrance
 * (the list's button checks in, whichever way the door is switched).
 */
export async function recordManualAdmit(door: DoorContext, ticketId: string): Promise<ScanOutcome> {
  const ctx: DoorContext = { ...door, mode: "ENTRANCE" };
  const ticket = await getTicket(ctx.db, ticketId);
  if (!ticket) return { ...decideScan({ code: { ok: false, reason: "malformed" }, showingIds: ctx.showingIds, ticket: undefined }), clientScanId: null, unknownKey: false };
  return decideAndRecord(ctx, { ok: true, ticketId, showingId: ticket.showingId, generation: ticket.qrGeneration }, null);
}

export class UndoError extends Error {
  override name = "UndoError";
}

/** Annuls an ADMIT (or EXIT) this door recorded: an UNDO scan naming it goes to the outbox like any other scan. */
export async function recordUndo(ctx: DoorContext, admitScanId: string): Promise<OutboxScan> {
  const { db } = ctx;
  return db.transaction("rw", db.outbox, async () => {
    const admit = await db.outbox.get(admitScanId);
    if (!admit || admit.action === "UNDO") throw new UndoError("That admit is not on this door.");
    const already = await db.outbox.where("ticketId").equals(admit.ticketId).filter((s) => s.undoesScanId === admitScanId).count();
    if (already) throw new UndoError("That admit was already undone.");
    const undo: OutboxScan = {
      clientScanId: ctx.newScanId(),
      ticketId: admit.ticketId,
      showingId: admit.showingId,
      action: "UNDO",
      undoesScanId: admitScanId,
      scannedAt: ctx.now().toISOString(),
      door: ctx.door,
      generation: null,
      state: "pending",
      uploadedAt: null,
      outcome: null,
    };
    await db.outbox.add(undo);
    return undo;
  });
}
