import { Dexie } from "dexie";
import { classifyFailure, failureMessage, type DoorApi, type UploadResult, type UploadScan } from "../api.ts";
import type { KioskDb, OutboxScan } from "../db.ts";

// The server takes at most 500 scans per call and records a batch in a fixed number of statements.
export const UPLOAD_BATCH_SIZE = 500;
export const UPLOADS_IN_FLIGHT = 4;

function toUpload(scan: OutboxScan): UploadScan {
  return {
    clientScanId: scan.clientScanId,
    ticketId: scan.ticketId,
    showingId: scan.showingId,
    action: scan.action,
    undoesScanId: scan.undoesScanId,
    scannedAt: scan.scannedAt,
    generation: scan.generation,
  };
}

/** The oldest scans still waiting to be sent, in door-time order. */
export function pendingScans(db: KioskDb, limit: number): Promise<OutboxScan[]> {
  return db.outbox
    .where("[state+scannedAt]")
    .between(["pending", Dexie.minKey], ["pending", Dexie.maxKey])
    .limit(limit)
    .toArray();
}

/** Records the server's answers. Only scans the server answered for change state; the rest stay pending. */
async function applyResults(db: KioskDb, results: readonly UploadResult[], answeredAt: number): Promise<number> {
  return db.transaction("rw", db.outbox, async () => {
    const rows = await db.outbox.bulkGet(results.map((r) => r.clientScanId));
    const answered: OutboxScan[] = [];
    results.forEach((result, i) => {
      const row = rows[i];
      if (row?.state !== "pending") return;
      answered.push({
        ...row,
        state: result.status === "rejected" ? "rejected" : "uploaded",
        uploadedAt: answeredAt,
        outcome: { status: result.status, conflict: result.conflict, conflictReason: result.conflictReason, message: result.message },
      });
    });
    await db.outbox.bulkPut(answered);
    return answered.length;
  });
}

function refusedOutcome(scan: OutboxScan, message: string): UploadResult {
  return { clientScanId: scan.clientScanId, status: "rejected", conflict: false, conflictReason: null, message };
}

/**
 * Sends scans and records the answers; returns how many were answered. A failure to reach the server throws and
 * leaves every scan pending for the next try. When the server refuses a whole batch as malformed, the scans are sent
 * one by one so a single bad scan cannot hold up the rest; a scan refused on its own is set aside as rejected with
 * the server's message.
 */
async function send(db: KioskDb, api: DoorApi, now: () => number, batch: OutboxScan[], unsent?: number): Promise<number> {
  try {
    const { results } = await api.upload(batch.map(toUpload), unsent);
    return await applyResults(db, results, now());
  } catch (error) {
    if (classifyFailure(error) !== "refused") throw error;
    const [only] = batch;
    if (batch.length === 1 && only) return applyResults(db, [refusedOutcome(only, failureMessage(error))], now());
    let answered = 0;
    for (const scan of batch) answered += await send(db, api, now, [scan]);
    return answered;
  }
}

/** Sends the oldest batch of waiting scans; 0 when nothing was waiting. */
export async function uploadBatch(db: KioskDb, api: DoorApi, now: () => number, batchSize = UPLOAD_BATCH_SIZE): Promise<number> {
  const batch = await pendingScans(db, batchSize);
  return batch.length ? send(db, api, now, batch) : 0;
}

/**
 * Sends everything waiting until nothing is left or a batch fails (which throws once the batches in flight have
 * settled). A long outage leaves thousands of scans, so `inFlight` batches travel at once; the server takes them in
 * any order (each scan is idempotent and check-in state is a replay of the log), so that is safe.
 */
export async function uploadAll(
  db: KioskDb,
  api: DoorApi,
  now: () => number,
  batchSize = UPLOAD_BATCH_SIZE,
  inFlight = UPLOADS_IN_FLIGHT,
): Promise<number> {
  let total = 0;
  for (;;) {
    const [waiting, pending] = await Promise.all([pendingScans(db, batchSize * inFlight), db.outbox.where("state").equals("pending").count()]);
    if (!waiting.length) return total;
    const batches = Array.from({ length: Math.ceil(waiting.length / batchSize) }, (_, i) => waiting.slice(i * batchSize, (i + 1) * batchSize));
    // Every batch reports the scans left once this round is through; the server keeps it for the officers.
    const left = Math.max(0, pending - waiting.length);
    const outcomes = await Promise.allSettled(batches.map((batch) => send(db, api, now, batch, left)));
    const failed = outcomes.find((o) => o.status === "rejected");
    const answered = outcomes.reduce((sum, o) => sum + (o.status === "fulfilled" ? o.value : 0), 0);
    total += answered;
    if (failed) throw failed.reason;
    // The server left scans out of its answers: stop here and let the next tick try them again.
    if (answered === 0) return total;
  }
}
