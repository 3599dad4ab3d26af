import type { Prisma, PrismaClient } from "@admit/db";
import type { DoorConflict, DoorTicket } from "@admit/door";
import { firstName } from "./door-stats.ts";

export { doorCounts } from "./door-stats.ts";

/**
 * Tickets are read in pages: the related rows are fetched with one bind parameter per ticket, and PostgreSQL takes
 * at most 32,767 parameters in a statement, so one query for a 50,000-seat showing would fail.
 */
const PAGE = 5_000;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += PAGE) out.push(items.slice(i, i + PAGE));
  return out;
}

/** The door's view of tickets: only what the door needs (holder display name, type, check-in state). */
export async function doorTickets(
  prisma: PrismaClient,
  where: { showingIds: number[]; ticketIds?: string[] },
): Promise<DoorTicket[]> {
  const out: DoorTicket[] = [];
  if (where.ticketIds) {
    for (const ids of chunks(where.ticketIds)) out.push(...(await doorTicketPage(prisma, { showingId: { in: where.showingIds }, id: { in: ids } })));
    return out;
  }
  let after: string | undefined;
  for (;;) {
    const page = await doorTicketPage(
      prisma,
      { showingId: { in: where.showingIds }, OR: [{ ownerId: { not: null } }, { attended: true }], ...(after ? { id: { gt: after } } : {}) },
      PAGE,
    );
    out.push(...page);
    if (page.length < PAGE) return out;
    after = page.at(-1)!.id;
  }
}

async function doorTicketPage(prisma: PrismaClient, where: Prisma.TicketWhereInput, take?: number): Promise<DoorTicket[]> {
  const rows = await prisma.ticket.findMany({
    where,
    orderBy: { id: "asc" },
    ...(take ? { take } : {}),
    select: {
      id: true,
      showingId: true,
      type: true,
      qrGeneration: true,
      ownerId: true,
      attended: true,
      attendedAt: true,
      exitedAt: true,
      owner: { select: { fullName: true } },
      showing: { select: { doorPrivate: true } },
      checkIns: {
        where: { conflict: false, action: { in: ["ADMIT", "MARK_ATTENDED"] } },
        orderBy: { occurredAt: "desc" },
        take: 1,
        select: { device: { select: { name: true } }, actor: { select: { fullName: true } } },
      },
    },
  });
  return rows.map((t) => {
    const entry = t.attended ? t.checkIns[0] : undefined;
    return {
      id: t.id,
      showingId: t.showingId,
      type: t.type,
      // A private showing's doors get the first name only.
      holderName: t.showing.doorPrivate ? firstName(t.owner?.fullName ?? "") : (t.owner?.fullName ?? ""),
      qrGeneration: t.qrGeneration,
      valid: t.ownerId !== null,
      attended: t.attended,
      attendedAt: t.attendedAt?.toISOString() ?? null,
      attendedDoor: entry ? (entry.device?.name ?? (entry.actor ? `Officer ${entry.actor.fullName}` : null)) : null,
      exitedAt: t.exitedAt?.toISOString() ?? null,
    };
  });
}

/** `audience`: a door gets first names only for a private showing; officers always see full names. */
export async function doorConflicts(
  prisma: PrismaClient,
  where: { showingIds: number[]; ticketIds?: string[] },
  audience: "door" | "officer" = "door",
): Promise<DoorConflict[]> {
  if (!where.ticketIds) return doorConflictPage(prisma, { showingId: { in: where.showingIds } }, audience);
  const out: DoorConflict[] = [];
  for (const ids of chunks(where.ticketIds)) out.push(...(await doorConflictPage(prisma, { showingId: { in: where.showingIds }, ticketId: { in: ids } }, audience)));
  return out;
}

async function doorConflictPage(prisma: PrismaClient, where: Prisma.CheckInEntryWhereInput, audience: "door" | "officer"): Promise<DoorConflict[]> {
  const rows = await prisma.checkInEntry.findMany({
    where: { ...where, conflict: true, action: "ADMIT" },
    orderBy: { occurredAt: "desc" },
    select: {
      clientScanId: true,
      ticketId: true,
      showingId: true,
      occurredAt: true,
      conflictReason: true,
      device: { select: { name: true } },
      ticket: { select: { type: true, attendedAt: true, owner: { select: { fullName: true } }, showing: { select: { doorPrivate: true } } } },
    },
  });
  return rows.map((c) => ({
    clientScanId: c.clientScanId ?? "",
    ticketId: c.ticketId,
    showingId: c.showingId,
    holderName: audience === "door" && c.ticket.showing.doorPrivate ? firstName(c.ticket.owner?.fullName ?? "") : (c.ticket.owner?.fullName ?? ""),
    type: c.ticket.type,
    scannedAt: c.occurredAt.toISOString(),
    door: c.device?.name ?? null,
    reason: c.conflictReason ?? "already-in",
    admittedAt: c.ticket.attendedAt?.toISOString() ?? null,
  }));
}
