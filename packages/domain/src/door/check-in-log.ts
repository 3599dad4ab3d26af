import type { Prisma } from "@admit/db";
import { replayCheckIns } from "./replay.ts";

export interface NewLogEntry {
  ticketId: string;
  showingId: number;
  action: "ADMIT" | "UNDO" | "MARK_ATTENDED" | "MARK_NOT_ATTENDED";
  occurredAt: Date;
  clientScanId?: string | null;
  undoesScanId?: string | null;
  conflictReason?: string | null;
  deviceId?: string | null;
  actorUserId?: string | null;
}

/**
 * Appends to a ticket's check-in log and brings the ticket row and every entry's conflict flag in line with a replay
 * of the whole log. Call inside a transaction; the ticket row is locked first so two doors cannot interleave.
 * Every writer of attendance (kiosk uploads, the seed PATCH, officers' toggles) goes through here.
 */
export async function appendCheckIn(tx: Prisma.TransactionClient, entry: NewLogEntry) {
  await tx.$queryRaw`SELECT id FROM "Ticket" WHERE id = ${entry.ticketId}::uuid FOR UPDATE`;
  const created = await tx.checkInEntry.create({
    data: {
      ticketId: entry.ticketId,
      showingId: entry.showingId,
      action: entry.action,
      occurredAt: entry.occurredAt,
      clientScanId: entry.clientScanId ?? null,
      undoesScanId: entry.undoesScanId ?? null,
      conflictReason: entry.conflictReason ?? null,
      conflict: Boolean(entry.conflictReason),
      deviceId: entry.deviceId ?? null,
      actorUserId: entry.actorUserId ?? null,
    },
    select: { seq: true },
  });
  const log = await tx.checkInEntry.findMany({
    where: { ticketId: entry.ticketId },
    select: {
      seq: true,
      action: true,
      occurredAt: true,
      clientScanId: true,
      undoesScanId: true,
      conflictReason: true,
      conflict: true,
      deviceId: true,
      actorUserId: true,
    },
  });
  const replay = replayCheckIns(log);
  for (const row of log) {
    const wanted = replay.conflicts.get(row.seq);
    if (wanted && (wanted.conflict !== row.conflict || (wanted.conflict && wanted.reason !== row.conflictReason))) {
      await tx.checkInEntry.update({
        where: { seq: row.seq },
        data: { conflict: wanted.conflict, conflictReason: wanted.conflict ? wanted.reason : row.conflictReason },
      });
    }
  }
  await tx.ticket.update({
    where: { id: entry.ticketId },
    data: {
      attended: replay.attended,
      attendedAt: replay.attendedAt,
      attendedByDeviceId: replay.attendedByDeviceId,
      attendedById: replay.attendedById,
    },
  });
  const mine = replay.conflicts.get(created.seq);
  return { seq: created.seq, conflict: mine?.conflict ?? false, conflictReason: mine?.conflict ? mine.reason : null, attended: replay.attended };
}
