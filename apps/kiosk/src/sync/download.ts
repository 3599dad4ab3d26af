import { classifyFailure, type Changes, type DoorApi, type Manifest } from "../api.ts";
import type { DoorTicket } from "@admit/door";
import { getMeta, setMeta, type KioskDb } from "../db.ts";
import { putTickets, replaceAllTickets } from "../tickets.ts";

/** A full download now and then refreshes the keys and showings and repairs anything the change feed missed. */
export const FULL_REFRESH_MS = 60 * 60_000;
/** Uploaded scans the server's data has long reflected are dropped from the outbox after this. */
const KEEP_SETTLED_MS = 48 * 3_600_000;

export const metaKeys = {
  cursor: "cursor",
  counts: "counts",
  gate: "gate",
  mode: "mode",
  showings: "showings",
  keys: "keys",
  door: "door",
  lastSyncAt: "lastSyncAt",
  manifestAt: "manifestAt",
  clockOffsetMs: "clockOffsetMs",
  refreshWanted: "refreshWanted",
} as const;

export type Showing = Manifest["showings"][number];
export type Counts = Manifest["counts"];
export type PublishedKeys = Manifest["keys"];
export type Gate = Manifest["gate"];

/**
 * Replaces the door's data with a manifest (tickets the manifest no longer lists stay, marked not valid). The cursor
 * is written last, so an interrupted first download starts again from scratch.
 */
export async function storeManifest(db: KioskDb, manifest: Manifest): Promise<void> {
  await db.transaction("rw", db.buckets, db.conflicts, db.meta, async () => {
    await replaceAllTickets(db, manifest.tickets);
    await db.conflicts.clear();
    await db.conflicts.bulkPut(manifest.conflicts);
    await setMeta(db, metaKeys.showings, manifest.showings);
    await setMeta(db, metaKeys.keys, manifest.keys);
    await setMeta(db, metaKeys.door, manifest.device);
    await setMeta(db, metaKeys.counts, manifest.counts);
    await setMeta(db, metaKeys.gate, manifest.gate);
    await setMeta(db, metaKeys.cursor, manifest.cursor);
    await setMeta(db, metaKeys.refreshWanted, false);
  });
}

/** Applies the change feed: tickets are absolute states, and a changed ticket's conflicts replace the old ones. */
export async function storeChanges(db: KioskDb, changes: Changes): Promise<void> {
  await db.transaction("rw", db.buckets, db.conflicts, db.meta, async () => {
    if (changes.tickets.length) {
      await putTickets(db, changes.tickets);
      await db.conflicts.where("ticketId").anyOf(changes.tickets.map((t) => t.id)).delete();
    }
    await db.conflicts.bulkPut(changes.conflicts);
    await setMeta(db, metaKeys.counts, changes.counts);
    await setMeta(db, metaKeys.gate, changes.gate);
    await setMeta(db, metaKeys.cursor, changes.cursor);
  });
}

/** Scans the server answered before this download started are in its data now: stop laying them on top. */
async function settleUploads(db: KioskDb, startedAt: number, now: number): Promise<void> {
  await db.transaction("rw", db.outbox, async () => {
    await db.outbox
      .where("state")
      .equals("uploaded")
      .filter((s) => s.uploadedAt !== null && s.uploadedAt < startedAt)
      .modify({ state: "settled" });
    const oldest = new Date(now - KEEP_SETTLED_MS).toISOString();
    await db.outbox
      .where("state")
      .anyOf("settled", "rejected")
      .filter((s) => s.scannedAt < oldest)
      .delete();
  });
}

export interface DownloadReport {
  kind: "manifest" | "changes";
  tickets: number;
  /** The tickets that changed (for the search index), or "all" after a manifest. */
  changed: DoorTicket[] | "all";
  /** Of the whole pull, the time spent waiting for the server's answer (the rest is storing it). */
  fetchMs: number;
}

/**
 * One pull: the whole manifest when the door has no cursor, a full refresh is due or wanted (an unknown key id was
 * scanned) or the server no longer accepts the cursor; otherwise the changes since the cursor.
 */
export async function downloadOnce(db: KioskDb, api: DoorApi, now: () => number): Promise<DownloadReport> {
  const startedAt = now();
  const [cursor, manifestAt, refreshWanted, unsent] = await Promise.all([
    getMeta<string>(db, metaKeys.cursor),
    getMeta<number>(db, metaKeys.manifestAt),
    getMeta<boolean>(db, metaKeys.refreshWanted),
    db.outbox.where("state").equals("pending").count(),
  ]);
  const fullDue = !cursor || refreshWanted || manifestAt === undefined || startedAt - manifestAt > FULL_REFRESH_MS;
  if (fullDue) return fullDownload(db, api, now, startedAt);
  let changes: Changes;
  try {
    changes = await api.changes(cursor, unsent);
  } catch (error) {
    // The server no longer knows the cursor (say, restored from a backup): start over from a manifest.
    if (classifyFailure(error) !== "refused") throw error;
    return fullDownload(db, api, now, startedAt);
  }
  const fetchMs = now() - startedAt;
  await storeChanges(db, changes);
  await afterDownload(db, startedAt, changes.serverTime, now());
  return { kind: "changes", tickets: changes.tickets.length, changed: changes.tickets, fetchMs };
}

async function fullDownload(db: KioskDb, api: DoorApi, now: () => number, startedAt: number): Promise<DownloadReport> {
  const manifest = await api.manifest();
  const fetchMs = now() - startedAt;
  await storeManifest(db, manifest);
  await setMeta(db, metaKeys.manifestAt, startedAt);
  await afterDownload(db, startedAt, manifest.serverTime, now());
  return { kind: "manifest", tickets: manifest.tickets.length, changed: "all", fetchMs };
}

async function afterDownload(db: KioskDb, startedAt: number, serverTime: string, finishedAt: number) {
  await settleUploads(db, startedAt, finishedAt);
  await setMeta(db, metaKeys.lastSyncAt, finishedAt);
  // How far this tablet's clock is from the server's, for the "check the tablet's clock" warning.
  await setMeta(db, metaKeys.clockOffsetMs, Date.parse(serverTime) - (startedAt + finishedAt) / 2);
}
