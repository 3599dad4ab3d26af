import { atCapacity, type DoorGate } from "@admit/door";
import type { PrismaClient } from "@admit/db";
import type { UserActor } from "../actor.ts";
import type { DomainDeps } from "../deps.ts";
import type { Roles } from "../roles.ts";

/** The live chart's bars: 5 minutes each, the latest six hours at most. */
export const ARRIVAL_BUCKET_MINUTES = 5;
const MAX_BUCKETS = 72;

export interface ShowingDoorCounts {
  id: number;
  sold: number;
  checkedIn: number;
  /** Admitted and not out since (exits subtracted, re-entries added back). */
  inside: number;
  /** The officer's alarm level; null: none. */
  capacity: number | null;
}

export interface DoorCounts {
  sold: number;
  checkedIn: number;
  inside: number;
  showings: ShowingDoorCounts[];
}

/** Sold, checked in and inside now, per showing and in total, in one statement. */
export async function doorCounts(prisma: PrismaClient, showingIds: readonly number[]): Promise<DoorCounts> {
  const rows = await prisma.$queryRaw<Array<{ id: number; capacity: number | null; sold: number; checkedIn: number; inside: number }>>`
    SELECT s.id, s."doorCapacity" AS capacity,
      count(t.id) FILTER (WHERE t."ownerId" IS NOT NULL)::int AS sold,
      count(t.id) FILTER (WHERE t.attended)::int AS "checkedIn",
      count(t.id) FILTER (WHERE t.attended AND t."exitedAt" IS NULL)::int AS inside
    FROM "Showing" s LEFT JOIN "Ticket" t ON t."showingId" = s.id
    WHERE s.id = ANY(${[...showingIds]}::int[])
    GROUP BY s.id ORDER BY s.id`;
  const showings = rows.map((row) => ({ id: row.id, sold: row.sold, checkedIn: row.checkedIn, inside: row.inside, capacity: row.capacity }));
  const sum = (pick: (s: ShowingDoorCounts) => number) => showings.reduce((total, s) => total + pick(s), 0);
  return { sold: sum((s) => s.sold), checkedIn: sum((s) => s.checkedIn), inside: sum((s) => s.inside), showings };
}

/**
 * What a door needs to turn away the wrong ticket types: the types it admits, and the other live doors of its
 * showings with theirs, so a refusal can say where to go.
 */
export async function doorGate(
  prisma: PrismaClient,
  deviceId: string,
  showingIds: readonly number[],
): Promise<DoorGate & { allowedTypes: string[]; otherDoors: Array<{ name: string; allowedTypes: string[] }> }> {
  const devices = await prisma.kioskDevice.findMany({
    where: { OR: [{ id: deviceId }, { revokedAt: null, showings: { some: { showingId: { in: [...showingIds] } } } }] },
    select: { id: true, name: true, allowedTypes: true },
    orderBy: { name: "asc" },
  });
  const self = devices.find((d) => d.id === deviceId);
  return {
    allowedTypes: self?.allowedTypes ?? [],
    otherDoors: devices.filter((d) => d.id !== deviceId).map((d) => ({ name: d.name, allowedTypes: d.allowedTypes })),
  };
}

/** Door privacy: the holder's first name only (the first word of the full name). */
export function firstName(fullName: string): string {
  return fullName.trim().split(/\s+/)[0] ?? "";
}

/**
 * The officer's live door view of one showing: arrivals and exits per 5 minutes, inside now against the capacity,
 * each door's counts and the conflicts; and the showing's door settings (capacity alarm, privacy).
 */
export class DoorStats {
  constructor(
    private readonly deps: DomainDeps,
    private readonly roles: Roles,
  ) {}

  private async requireShowing(actor: UserActor, clubId: number, showingId: number) {
    await this.roles.requireClubManager(actor, clubId);
    await this.roles.requireShowingInClub(showingId, clubId);
  }

  async live(actor: UserActor, input: { clubId: number; showingId: number }) {
    await this.requireShowing(actor, input.clubId, input.showingId);
    const { prisma } = this.deps;
    const now = this.deps.clock.now();
    const bucketMs = ARRIVAL_BUCKET_MINUTES * 60_000;
    // Admits and exits that count: not conflicts, not taken back by an UNDO. Re-entries count as arrivals.
    const [counts, showing, buckets, perDoor, devices, conflicts] = await Promise.all([
      doorCounts(prisma, [input.showingId]),
      prisma.showing.findUniqueOrThrow({ where: { id: input.showingId }, select: { doorCapacity: true, doorPrivate: true } }),
      prisma.$queryRaw<Array<{ bucket: number; arrivals: number; exits: number }>>`
        SELECT floor(extract(epoch FROM e."occurredAt")::float8 * 1000 / ${bucketMs}::float8) * ${bucketMs}::float8 AS bucket,
          count(*) FILTER (WHERE e.action IN ('ADMIT', 'MARK_ATTENDED'))::int AS arrivals,
          count(*) FILTER (WHERE e.action = 'EXIT')::int AS exits
        FROM "CheckInEntry" e
        WHERE e."showingId" = ${input.showingId} AND e.action IN ('ADMIT', 'MARK_ATTENDED', 'EXIT') AND NOT e.conflict
          AND NOT EXISTS (SELECT 1 FROM "CheckInEntry" u WHERE u."showingId" = e."showingId" AND u.action = 'UNDO' AND u."undoesScanId" = e."clientScanId")
        GROUP BY 1 ORDER BY 1`,
      prisma.$queryRaw<Array<{ deviceId: string | null; admits: number; exits: number; conflicts: number }>>`
        SELECT e."deviceId"::text AS "deviceId",
          count(*) FILTER (WHERE e.action IN ('ADMIT', 'MARK_ATTENDED') AND NOT e.conflict)::int AS admits,
          count(*) FILTER (WHERE e.action = 'EXIT')::int AS exits,
          count(*) FILTER (WHERE e.action = 'ADMIT' AND e.conflict)::int AS conflicts
        FROM "CheckInEntry" e
        WHERE e."showingId" = ${input.showingId} AND e.action IN ('ADMIT', 'MARK_ATTENDED', 'EXIT')
          AND NOT EXISTS (SELECT 1 FROM "CheckInEntry" u WHERE u."showingId" = e."showingId" AND u.action = 'UNDO' AND u."undoesScanId" = e."clientScanId")
        GROUP BY 1`,
      prisma.kioskDevice.findMany({
        where: { showings: { some: { showingId: input.showingId } } },
        select: { id: true, name: true, allowedTypes: true, lastSeenAt: true, revokedAt: true },
        orderBy: { name: "asc" },
      }),
      prisma.checkInEntry.count({ where: { showingId: input.showingId, action: "ADMIT", conflict: true } }),
    ]);
    const own = counts.showings[0] ?? { sold: 0, checkedIn: 0, inside: 0 };
    const byDevice = new Map(perDoor.map((row) => [row.deviceId, row]));
    const doors = devices
      .map((d) => ({
        // Widened for the officers' row pushed below (deviceId null); the rule does not see that push.
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
        deviceId: d.id as string | null,
        name: d.name,
        allowedTypes: d.allowedTypes,
        lastSeenAt: d.lastSeenAt,
        revoked: d.revokedAt !== null,
        admits: byDevice.get(d.id)?.admits ?? 0,
        exits: byDevice.get(d.id)?.exits ?? 0,
        conflicts: byDevice.get(d.id)?.conflicts ?? 0,
      }))
      .filter((d) => !d.revoked || d.admits + d.exits + d.conflicts > 0);
    const officers = byDevice.get(null);
    if (officers?.admits) {
      doors.push({ deviceId: null, name: "Officers (marked by hand)", allowedTypes: [], lastSeenAt: null, revoked: false, admits: officers.admits, exits: 0, conflicts: 0 });
    }
    return {
      sold: own.sold,
      checkedIn: own.checkedIn,
      inside: own.inside,
      capacity: showing.doorCapacity,
      atCapacity: atCapacity({ inside: own.inside, capacity: showing.doorCapacity }),
      privateNames: showing.doorPrivate,
      conflicts,
      bucketMinutes: ARRIVAL_BUCKET_MINUTES,
      arrivals: fillBuckets(buckets, bucketMs, now.getTime()),
      doors,
      at: now,
    };
  }

  async setSettings(actor: UserActor, input: { clubId: number; showingId: number; capacity: number | null; privateNames: boolean }) {
    await this.requireShowing(actor, input.clubId, input.showingId);
    return this.deps.prisma.$transaction(async (tx) => {
      const before = await tx.showing.findUniqueOrThrow({ where: { id: input.showingId }, select: { doorPrivate: true } });
      const saved = await tx.showing.update({
        where: { id: input.showingId },
        data: { doorCapacity: input.capacity, doorPrivate: input.privateNames },
        select: { doorCapacity: true, doorPrivate: true },
      });
      if (before.doorPrivate !== saved.doorPrivate) {
        // The names already on the doors' tablets must change too: every ticket goes into the change feed, which
        // re-sends it as the door may now see it (first name only, or the full name again) within one sync.
        await tx.$executeRaw`
          INSERT INTO "DoorChange" ("showingId", "ticketId", "txid")
          SELECT "showingId", id, pg_current_xact_id()::text::bigint FROM "Ticket"
          WHERE "showingId" = ${input.showingId} AND ("ownerId" IS NOT NULL OR attended)`;
      }
      return { capacity: saved.doorCapacity, privateNames: saved.doorPrivate };
    });
  }
}

/** Every 5-minute slot from the first arrival (at most six hours back) to now, empty ones included. */
function fillBuckets(rows: ReadonlyArray<{ bucket: number; arrivals: number; exits: number }>, bucketMs: number, now: number) {
  const byStart = new Map(rows.map((row) => [Number(row.bucket), row]));
  const last = Math.floor(now / bucketMs) * bucketMs;
  const firstSeen = rows.length ? Number(rows[0]!.bucket) : last;
  const first = Math.max(Math.min(firstSeen, last), last - (MAX_BUCKETS - 1) * bucketMs);
  const out: Array<{ start: Date; arrivals: number; exits: number }> = [];
  for (let start = first; start <= last; start += bucketMs) {
    const row = byStart.get(start);
    out.push({ start: new Date(start), arrivals: row?.arrivals ?? 0, exits: row?.exits ?? 0 });
  }
  return out;
}
