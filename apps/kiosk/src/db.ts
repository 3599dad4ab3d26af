import type { DoorConflict, DoorTicket, LocalScan } from "@admit/door";
import { Dexie, type EntityTable } from "dexie";

/**
 * Tickets are kept in buckets of about fifty, keyed by the start of the ticket id: IndexedDB writes 50,000
 * one-row-per-ticket records in ~10 s on a modest machine but the same data in 1,024 records in under one, and a
 * look-up reads one small bucket.
 */
export interface TicketBucket {
  k: number;
  tickets: Record<string, DoorTicket>;
}

/**
 * Where a scan is on its way to the server:
 * - pending: recorded here only; the upload loop will send it
 * - uploaded: the server recorded it, but this door's ticket data may not show it yet
 * - settled: a download that started after the upload has brought the server's state, which includes it
 * - rejected: the server could not record it (unknown ticket, showing this door does not serve); nothing to retry
 */
export type OutboxState = "pending" | "uploaded" | "settled" | "rejected";

export interface UploadOutcome {
  status: "recorded" | "duplicate" | "rejected";
  conflict: boolean;
  conflictReason: string | null;
  message: string | null;
}

/** A scan this door made (ADMIT or UNDO), kept until the server has it and its ticket data reflects it. */
export interface OutboxScan extends Omit<LocalScan, "uploaded"> {
  /** The QR generation the door saw; null for a manual check-in from search. */
  generation: number | null;
  /** An ADMIT of a holder who had left: back inside, not a second check-in (for the door's counts). */
  reentry?: boolean;
  state: OutboxState;
  /** Local time (ms) the server's answer arrived; a download started later is known to include the scan. */
  uploadedAt: number | null;
  outcome: UploadOutcome | null;
}

export interface MetaRow {
  key: string;
  value: unknown;
}

export type KioskDb = Dexie & {
  buckets: EntityTable<TicketBucket, "k">;
  outbox: EntityTable<OutboxScan, "clientScanId">;
  conflicts: EntityTable<DoorConflict, "clientScanId">;
  meta: EntityTable<MetaRow, "key">;
};

export const KIOSK_DB_NAME = "admit-kiosk";

/**
 * Opens the door's database. Scans are written through a "strict" connection: the outbox row is flushed to disk
 * before the verdict shows, so even a power cut keeps it. Bulk data (manifests, changes) goes through a "relaxed"
 * one: it can always be downloaded again, and flushing 50,000 tickets would only slow the download.
 */
export function openKioskDb(name = KIOSK_DB_NAME, durability: "strict" | "relaxed" = "strict"): KioskDb {
  const db = new Dexie(name, { chromeTransactionDurability: durability }) as KioskDb;
  db.version(1).stores({
    buckets: "k",
    outbox: "clientScanId, ticketId, state, [state+scannedAt]",
    conflicts: "clientScanId, ticketId, scannedAt",
    meta: "key",
  });
  return db;
}

/** Lower case without accents, so "José" is found by "jose". */
export function foldText(text: string): string {
  return text.normalize("NFD").replace(/\p{Diacritic}/gu, "").toLowerCase();
}

export function nameWords(name: string): string[] {
  return [...new Set(foldText(name).split(/[^\p{L}\p{N}]+/u).filter(Boolean))];
}

export async function getMeta<T>(db: KioskDb, key: string): Promise<T | undefined> {
  return (await db.meta.get(key))?.value as T | undefined;
}

export async function setMeta(db: KioskDb, key: string, value: unknown): Promise<void> {
  await db.meta.put({ key, value });
}
