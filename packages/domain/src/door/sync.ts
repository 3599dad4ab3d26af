import { decideScan, type DoorTicket } from "@admit/door";
import type { DeviceActor } from "../actor.ts";
import type { DomainDeps } from "../deps.ts";
import { DomainError } from "../errors.ts";
import { appendCheckIn } from "./check-in-log.ts";
import { doorConflicts, doorCounts, doorTickets } from "./state.ts";

/** The public keys that verify ticket QR codes, by key id (rotation keeps several valid). */
export type PublicKeyProvider = () => Promise<Array<{ kid: string; publicKey: string }>>;

export interface UploadedScan {
  clientScanId: string;
  ticketId: string;
  showingId: number;
  action: "ADMIT" | "UNDO";
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

  private showingsOf(device: DeviceActor, requested?: number[]): number[] {
    if (!requested?.length) return device.showingIds;
    const outside = requested.filter((id) => !device.showingIds.includes(id));
    if (outside.length) throw new DomainError("NOT_FOUND", "This door device is not set up for that showing.");
    return requested;
  }

  /** Every change with a transaction id below this is visible now and final. */
  private async horizon(): Promise<bigint> {
    const [row] = await this.deps.prisma.$queryRaw<Array<{ horizon: bigint }>>`
      SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS horizon`;
    return row!.horizon;
  }

  private async touch(device: DeviceActor) {
    await this.deps.prisma.kioskDevice.update({ where: { id: device.deviceId }, data: { lastSeenAt: this.deps.clock.now() } });
  }

  async manifest(device: DeviceActor) {
    const cursor = await this.horizon();
    const showingIds = device.showingIds;
    const [tickets, conflicts, keys, counts, showings, self] = await Promise.all([
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
      cursor: cursor.toString(),
      serverTime: this.deps.clock.now(),
    };
  }

  async changes(device: DeviceActor, input: { cursor: string }) {
    let since: bigint;
    try {
      since = BigInt(input.cursor);
    } catch {
      throw new DomainError("VALIDATION_FAILED", "cursor: not a cursor this server gave out.");
    }
    const cursor = await this.horizon();
    const showingIds = device.showingIds;
    const changed = await this.deps.prisma.doorChange.findMany({
      where: { showingId: { in: showingIds }, txid: { gte: since } },
      select: { ticketId: true },
      distinct: ["ticketId"],
    });
    const ticketIds = changed.map((c) => c.ticketId);
    const [tickets, conflicts, counts] = await Promise.all([
      ticketIds.length ? doorTickets(this.deps.prisma, { showingIds, ticketIds }) : Promise.resolve([] as DoorTicket[]),
      ticketIds.length ? doorConflicts(this.deps.prisma, { showingIds, ticketIds }) : Promise.resolve([]),
      doorCounts(this.deps.prisma, showingIds),
    ]);
    await this.touch(device);
    return { tickets, conflicts, counts, cursor: cursor.toString(), serverTime: this.deps.clock.now() };
  }

  async upload(device: DeviceActor, scans: UploadedScan[]): Promise<UploadResult[]> {
    const results: UploadResult[] = [];
    for (const scan of scans) results.push(await this.uploadOne(device, scan));
    await this.touch(device);
    return results;
  }

  private async uploadOne(device: DeviceActor, scan: UploadedScan): Promise<UploadResult> {
    const { prisma } = this.deps;
    const reject = (message: string): UploadResult => ({ clientScanId: scan.clientScanId, status: "rejected", conflict: false, conflictReason: null, message });
    if (!device.showingIds.includes(scan.showingId)) return reject("This door device is not set up for that showing.");

    const existing = await prisma.checkInEntry.findUnique({
      where: { clientScanId: scan.clientScanId },
      select: { conflict: true, conflictReason: true, ticketId: true },
    });
    if (existing) {
      if (existing.ticketId !== scan.ticketId) return reject("This scan id was already used for another ticket.");
      return { clientScanId: scan.clientScanId, status: "duplicate", conflict: existing.conflict, conflictReason: existing.conflictReason, message: null };
    }
    const ticket = await prisma.ticket.findUnique({
      where: { id: scan.ticketId },
      select: { id: true, showingId: true, ownerId: true, qrGeneration: true },
    });
    if (!ticket) return reject("No such ticket.");

    // The same policy the door ran, on the server's data, says why an admit cannot count (it is still recorded).
    let reason: string | null = null;
    if (scan.action === "ADMIT") {
      const verdict = decideScan({
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
        },
      }).verdict;
      reason = { WRONG_SHOWING: "wrong-showing", OLD_QR: "old-qr", NOT_VALID: "not-sold" }[verdict as string] ?? null;
    }
    try {
      const outcome = await prisma.$transaction((tx) =>
        appendCheckIn(tx, {
          ticketId: ticket.id,
          showingId: ticket.showingId,
          action: scan.action,
          occurredAt: scan.scannedAt,
          clientScanId: scan.clientScanId,
          undoesScanId: scan.action === "UNDO" ? (scan.undoesScanId ?? null) : null,
          conflictReason: reason,
          deviceId: device.deviceId,
        }),
      );
      return { clientScanId: scan.clientScanId, status: "recorded", conflict: outcome.conflict, conflictReason: outcome.conflictReason, message: null };
    } catch (error) {
      // Another upload of the same scan won the race for the unique scan id: report it as the duplicate it is.
      if ((error as { code?: string }).code === "P2002") {
        const again = await prisma.checkInEntry.findUnique({ where: { clientScanId: scan.clientScanId }, select: { conflict: true, conflictReason: true } });
        if (again) return { clientScanId: scan.clientScanId, status: "duplicate", conflict: again.conflict, conflictReason: again.conflictReason, message: null };
      }
      throw error;
    }
  }

  /** For officers: every conflicting admit of a showing. */
  async conflictsForShowings(showingIds: number[]) {
    return doorConflicts(this.deps.prisma, { showingIds });
  }
}
