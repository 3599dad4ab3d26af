import { randomUUID } from "node:crypto";
import type { DoorTicket } from "@admit/door";
import { generateSigningKey, signTicketCode, toBase64Url, type SigningKey } from "@admit/ticket-codes";
import { uploadInput } from "@admit/validators";
import { TRPCClientError } from "@trpc/client";
import type { Changes, DoorApi, Manifest, UploadResult, UploadScan } from "../src/api.ts";
import { openKioskDb, type KioskDb } from "../src/db.ts";
import type { DoorContext } from "../src/scan/record.ts";
import { verifyingKeys } from "../src/scan/verify.ts";

export const SHOWING = 7;
export const OTHER_SHOWING = 8;

/** A fresh, empty kiosk database (fake-indexeddb keeps each name separate). */
export function freshDb(): KioskDb {
  return openKioskDb(`kiosk-test-${randomUUID()}`);
}

export const signingKey: SigningKey = generateSigningKey(3);

export function codeFor(ticketId: string, showingId = SHOWING, generation = 0, key = signingKey): string {
  return signTicketCode({ ticketId, showingId, generation }, key);
}

export function ticket(over: Partial<DoorTicket> = {}): DoorTicket {
  return {
    id: randomUUID(),
    showingId: SHOWING,
    type: "General",
    holderName: "Ana Lee",
    qrGeneration: 0,
    valid: true,
    attended: false,
    attendedAt: null,
    attendedDoor: null,
    exitedAt: null,
    ...over,
  };
}

export function doorContext(db: KioskDb, over: Partial<DoorContext> = {}): DoorContext {
  let clock = Date.parse("2026-12-01T19:00:00.000Z");
  return {
    db,
    showingIds: [SHOWING],
    keys: verifyingKeys([{ kid: String(signingKey.kid), publicKey: toBase64Url(signingKey.publicKey) }]),
    door: "North door",
    now: () => new Date((clock += 1000)),
    newScanId: () => randomUUID(),
    ...over,
  };
}

/** A fetch that never reached the server, as the tRPC client reports it. */
export function networkDown(): Error {
  return TRPCClientError.from(new TypeError("Failed to fetch"));
}

/** An answer from the server refusing the request, as the tRPC client reports it. */
export function refusal(httpStatus: number, appCode: string, message = "Refused."): Error {
  return TRPCClientError.from({ error: { code: -32600, message, data: { httpStatus, appCode, code: "BAD_REQUEST" } } });
}

/**
 * Stands in for the server's door API so the kiosk's loops can be driven without a network: it keeps tickets and
 * recorded scans, answers uploads per scan (idempotent by scan id) and can be told to fail. The real server is
 * exercised by the end-to-end tests in apps/server/test/e2e.
 */
export class DoorServerStandIn implements DoorApi {
  tickets = new Map<string, DoorTicket>();
  recorded = new Map<string, UploadScan>();
  uploadCalls: UploadScan[][] = [];
  failUploads: Error | null = null;
  failDownloads: Error | null = null;
  /** Scan ids the server answers for; others are left out of its reply (as if cut short). */
  answerOnly: ((scan: UploadScan) => boolean) | null = null;
  refuseBatchesContaining: string | null = null;
  private txid = 100;
  private changedAt = new Map<string, number>();
  serverTime = "2026-12-01T19:00:00.000Z";

  put(t: DoorTicket) {
    this.tickets.set(t.id, t);
    this.changedAt.set(t.id, ++this.txid);
  }

  async manifest(): Promise<Manifest> {
    if (this.failDownloads) throw this.failDownloads;
    const tickets = [...this.tickets.values()];
    return {
      device: { id: "device-1", name: "North door", club: { code: "jazz", name: "Jazz Ensemble" } },
      showings: [{ id: SHOWING, eventId: 1, eventName: "Winter Concert", startTime: this.serverTime, endTime: this.serverTime, location: null }],
      tickets,
      conflicts: [],
      keys: [{ kid: String(signingKey.kid), publicKey: toBase64Url(signingKey.publicKey) }],
      counts: this.counts(),
      gate: this.gate,
      cursor: String(this.txid + 1),
      serverTime: this.serverTime,
    };
  }

  async changes(cursor: string): Promise<Changes> {
    if (this.failDownloads) throw this.failDownloads;
    const since = Number(cursor);
    const tickets = [...this.tickets.values()].filter((t) => (this.changedAt.get(t.id) ?? 0) >= since);
    return { tickets, conflicts: [], counts: this.counts(), gate: this.gate, cursor: String(this.txid + 1), serverTime: this.serverTime };
  }

  async upload(scans: UploadScan[]): Promise<{ results: UploadResult[] }> {
    this.uploadCalls.push(scans);
    if (this.failUploads) throw this.failUploads;
    // The server's own input schema, so a kiosk that sends more than the server takes fails here too.
    const checked = uploadInput.safeParse({ scans });
    if (!checked.success) throw refusal(400, "VALIDATION_FAILED", checked.error.issues[0]!.message);
    if (this.refuseBatchesContaining && scans.some((s) => s.clientScanId === this.refuseBatchesContaining)) {
      throw refusal(400, "VALIDATION_FAILED", "scans.0.scannedAt: Invalid ISO datetime");
    }
    const results: UploadResult[] = [];
    for (const scan of scans) {
      if (this.answerOnly && !this.answerOnly(scan)) continue;
      const duplicate = this.recorded.has(scan.clientScanId);
      const known = this.tickets.get(scan.ticketId);
      if (!known) {
        results.push({ clientScanId: scan.clientScanId, status: "rejected", conflict: false, conflictReason: null, message: "No such ticket." });
        continue;
      }
      if (!duplicate) {
        this.recorded.set(scan.clientScanId, scan);
        const admit = scan.action === "ADMIT";
        this.put({ ...known, attended: admit, attendedAt: admit ? scan.scannedAt : null, attendedDoor: admit ? "North door" : null });
      }
      results.push({ clientScanId: scan.clientScanId, status: duplicate ? "duplicate" : "recorded", conflict: false, conflictReason: null, message: null });
    }
    return { results };
  }

  /** The ticket types this door admits and the other doors, as the officer set them. */
  gate: Manifest["gate"] = { allowedTypes: [], otherDoors: [] };
  capacity: number | null = null;

  private counts() {
    const all = [...this.tickets.values()];
    const sold = all.filter((t) => t.valid).length;
    const checkedIn = all.filter((t) => t.attended).length;
    const inside = all.filter((t) => t.attended && !t.exitedAt).length;
    return { sold, checkedIn, inside, showings: [{ id: SHOWING, sold, checkedIn, inside, capacity: this.capacity }] };
  }
}
