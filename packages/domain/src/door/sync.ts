import { decideScan, type DoorTicket } from "@admit/door";
import type { DeviceActor } from "../actor.ts";
import type { DomainDeps } from "../deps.ts";
import { DomainError } from "../errors.ts";
import { appendCheckIns, type NewLogEntry } from "./check-in-log.ts";
import { doorGate } from "./door-stats.ts";
import { doorConflicts, doorCounts, doorTickets } from "./state.ts";

/** The public keys that verify ticket QR codes, by key id (rotation keeps several valid). */
export type PublicKeyProvider = () => Promise<Array<{ kid: string; publicKey: string }>>;

export interface UploadedScan {
  clientScanId: string;
  ticketId: string;
  showingId: number;
  action: "ADMIT" | "EXIT" | "UNDO";
  undoesScanId?: string | null | undefined;
  scannedAt: Date;
  /** The QR generation the door saw, so the server can tell an old code from a current one. */
  generation?: number | null | undefined;
}

export interface UploadResult {
  clientScanId: string;
  status: "recorded" | "duplicate" | "rejected";
  conflict: boolean;
  conflictReason: string | null;
  message: string | null;
}

/**
 * Everything a paired door device pulls and pushes. Pull: a manifest, then changes by cursor. The cursor is a
 * transaction id: changes written by transactions below the oldest running one are final, so nothing is skipped
 * however transactions interleave. Push: scans in batches, idempotent by the door's scan id, never refused.
 */
export class DoorSync {
  constructor(
    private readonly deps: DomainDeps,
    private readonly publicKeys: PublicKeyProvider,
  ) {}

  /** Every change with a transaction id below this is visible now and final. */
  private async horizon(): Promise<bigint> {
    const [row] = await this.deps.prisma.$queryRaw<Array<{ horizon: bigint }>>`
      SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS horizon`;
    return row!.horizon;
  }

  /** The device was heard from; with its count of scans not uploaded yet when it reported one. */
  private async touch(device: DeviceActor, unsent?: number) {
    await this.deps.prisma.kioskDevice.update({
      where: { id: device.deviceId },
      data: { lastSeenAt: this.deps.clock.now(), ...(unsent === undefined ? {} : { unsentScans: unsent }) },
    });
  }

  async manifest(device: DeviceActor) {
    const cursor = await this.horizon();
    const showingIds = device.showingIds;
    const [tickets, conflicts, keys, counts, showings, self, gate] = await Promise.all([
      doorTickets(this.deps.prisma, { showingIds }),
      doorConflicts(this.deps.prisma, { showingIds }),
      this.publicKeys(),
      doorCounts(this.deps.prisma, showingIds),
      this.deps.prisma.showing.findMany({
        where: { id: { in: showingIds } },
        select: { id: true, startTime: true, endTime: true, location: true, event: { select: { id: true, name: true } } },
        orderBy: { startTime: "asc" },
      }),
      this.deps.prisma.kioskDevice.findUniqueOrThrow({
        where: { id: device.deviceId },
        select: { name: true, club: { select: { code: true, name: true } } },
      }),
      doorGate(this.deps.prisma, device.deviceId, showingIds),
    ]);
    await this.touch(device);
    return {
      device: { id: device.deviceId, name: self.name, club: self.club },
      showings: showings.map((s) => ({
        id: s.id,
        eventId: s.event.id,
        eventName: s.event.name,
        startTime: s.startTime,
        endTime: s.endTime,
        location: s.location,
      })),
      tickets,
      conflicts,
      keys,
      counts,
      gate,
      cursor: cursor.toString(),
      serverTime: this.deps.clock.now(),
    };
  }

  async changes(device: DeviceActor, input: { cursor: string; unsent?: number | undefined }) {
    const since = parseCursor(input.cursor);
    const cursor = await this.horizon();
    const showingIds = device.showingIds;
    const changed = await this.deps.prisma.doorChange.findMany({
      where: { showingId: { in: showingIds }, txid: { gte: since } },
      select: { ticketId: true },
      distinct: ["ticketId"],
    });
    const ticketIds = changed.map((c) => c.ticketId);
    const [tickets, conflicts, counts, gate] = await Promise.all([
      ticketIds.length ? doorTickets(this.deps.prisma, { showingIds, ticketIds }) : Promise.resolve([] as DoorTicket[]),
      ticketIds.length ? doorConflicts(this.deps.prisma, { showingIds, ticketIds }) : Promise.resolve([]),
      doorCounts(this.deps.prisma, showingIds),
      doorGate(this.deps.prisma, device.deviceId, showingIds),
    ]);
    await this.touch(device, input.unsent);
    return { tickets, conflicts, counts, gate, cursor: cursor.toString(), serverTime: this.deps.clock.now() };
  }

  /**
   * Records a batch of door scans in a fixed number of statements: one lookup of known scan ids, one of the tickets,
   * then one transaction that locks the tickets, inserts the new entries and replays each ticket's log.
   */
  async upload(
    device: DeviceActor,
    scans: UploadedScan[],
    options: { revokedAt?: Date | null; unsent?: number | undefined } = {},
  ): Promise<UploadResult[]> {
    const { prisma } = this.deps;
    const results = new Map<string, UploadResult>();
    const reject = (scan: UploadedScan, message: string) =>
      results.set(scan.clientScanId, { clientScanId: scan.clientScanId, status: "rejected", conflict: false, conflictReason: null, message });
    const duplicate = (scan: UploadedScan, known: { ticketId: string; conflict: boolean; conflictReason: string | null }) => {
      if (known.ticketId !== scan.ticketId) reject(scan, "This scan id was already used for another ticket.");
      else results.set(scan.clientScanId, { clientScanId: scan.clientScanId, status: "duplicate", conflict: known.conflict, conflictReason: known.conflictReason, message: null });
    };

    const seen = new Set<string>();
    const uniqueScans = scans.filter((scan) => !seen.has(scan.clientScanId) && Boolean(seen.add(scan.clientScanId)));
    const [known, tickets] = await Promise.all([
      this.loggedScans(uniqueScans.map((scan) => scan.clientScanId)),
      prisma.ticket.findMany({
        where: { id: { in: [...new Set(uniqueScans.map((scan) => scan.ticketId))] } },
        select: { id: true, showingId: true, ownerId: true, qrGeneration: true },
      }),
    ]);
    const ticketById = new Map(tickets.map((ticket) => [ticket.id, ticket]));
    const fresh: Array<{ scan: UploadedScan; entry: NewLogEntry }> = [];
    for (const scan of uniqueScans) {
      const ticket = ticketById.get(scan.ticketId);
      const logged = known.get(scan.clientScanId);
      if (!device.showingIds.includes(scan.showingId)) reject(scan, "This door device is not set up for that showing.");
      // A revoked device delivers what it did before the revocation (it may have been offline); nothing after.
      else if (options.revokedAt && scan.scannedAt >= options.revokedAt) reject(scan, "This door device was revoked before this scan.");
      else if (logged) duplicate(scan, logged);
      // A door writes only to its own showings' tickets; the same answer as for an unknown id, so no door can probe
      // another club's tickets. An honest kiosk never sends such a scan: a code's showing is signed and never changes.
      else if (!ticket || !device.showingIds.includes(ticket.showingId)) reject(scan, "No such ticket.");
      else
        fresh.push({
          scan,
          entry: {
            ticketId: ticket.id,
            showingId: ticket.showingId,
            action: scan.action,
            occurredAt: scan.scannedAt,
            clientScanId: scan.clientScanId,
            undoesScanId: scan.action === "UNDO" ? (scan.undoesScanId ?? null) : null,
            conflictReason: scan.action === "ADMIT" ? ineligibleReason(scan, ticket) : null,
            deviceId: device.deviceId,
          },
        });
    }

    if (fresh.length) {
      const appended = await prisma.$transaction((tx) => appendCheckIns(tx, fresh.map((f) => f.entry)), { timeout: 60_000 });
      // A concurrent upload of the same scans won the race for their ids: report them as the duplicates they are.
      const raced = fresh.filter((_, index) => !appended[index]).map((f) => f.scan);
      const racedLog = raced.length ? await this.loggedScans(raced.map((scan) => scan.clientScanId)) : new Map<string, { ticketId: string; conflict: boolean; conflictReason: string | null }>();
      fresh.forEach(({ scan }, index) => {
        const outcome = appended[index];
        if (outcome) {
          results.set(scan.clientScanId, { clientScanId: scan.clientScanId, status: "recorded", conflict: outcome.conflict, conflictReason: outcome.conflictReason, message: null });
        } else duplicate(scan, racedLog.get(scan.clientScanId)!);
      });
    }
    await this.touch(device, options.unsent);
    return scans.map((scan) => results.get(scan.clientScanId)!);
  }

  private async loggedScans(clientScanIds: string[]) {
    const rows = await this.deps.prisma.checkInEntry.findMany({
      where: { clientScanId: { in: clientScanIds } },
      select: { clientScanId: true, conflict: true, conflictReason: true, ticketId: true },
    });
    return new Map(rows.map((row) => [row.clientScanId!, row]));
  }
}

/** Transaction ids are 64-bit: anything else (not a number, or one PostgreSQL cannot compare) was never given out. */
function parseCursor(cursor: string): bigint {
  let since: bigint | undefined;
  try {
    since = BigInt(cursor);
  } catch {
    since = undefined;
  }
  if (since === undefined || since < 0n || since > 0x7fff_ffff_ffff_ffffn) {
    throw new DomainError("VALIDATION_FAILED", "cursor: not a cursor this server gave out.");
  }
  return since;
}

/** The same policy the door ran, on the server's data, says why an admit cannot count (it is still recorded). */
function ineligibleReason(scan: UploadedScan, ticket: { id: string; showingId: number; ownerId: string | null; qrGeneration: number }) {
  const { verdict } = decideScan({
    code: { ok: true, ticketId: ticket.id, showingId: scan.showingId, generation: scan.generation ?? ticket.qrGeneration },
    showingIds: [scan.showingId],
    ticket: {
      id: ticket.id,
      showingId: ticket.showingId,
      type: "",
      holderName: "",
      qrGeneration: ticket.qrGeneration,
      valid: ticket.ownerId !== null,
      attended: false,
      attendedAt: null,
      attendedDoor: null,
      exitedAt: null,
    },
  });
  return ({ WRONG_SHOWING: "wrong-showing", OLD_QR: "old-qr", NOT_VALID: "not-sold" } as Record<string, string>)[verdict] ?? null;
}
