import type { Prisma } from "@admit/db";
import { replayCheckIns, type ReplayResult } from "./replay.ts";

export interface NewLogEntry {
  ticketId: string;
  showingId: number;
  action: "ADMIT" | "EXIT" | "UNDO" | "MARK_ATTENDED" | "MARK_NOT_ATTENDED";
  occurredAt: Date;
  clientScanId?: string | null;
  undoesScanId?: string | null;
  conflictReason?: string | null;
  deviceId?: string | null;
  actorUserId?: string | null;
}

export interface AppendedEntry {
  seq: bigint;
  conflict: boolean;
  conflictReason: string | null;
  attended: boolean;
}

const logSelect = {
  seq: true,
  ticketId: true,
  action: true,
  occurredAt: true,
  clientScanId: true,
  undoesScanId: true,
  conflictReason: true,
  conflict: true,
  deviceId: true,
  actorUserId: true,
} as const;

/**
 * Appends to a ticket's check-in log and brings the ticket row and every entry's conflict flag in line with a replay
 * of the whole log. Call inside a transaction. Every writer of attendance (kiosk uploads, the seed PATCH, officers'
 * toggles) goes through here or through appendCheckIns.
 */
export async function appendCheckIn(tx: Prisma.TransactionClient, entry: NewLogEntry): Promise<AppendedEntry> {
  const [appended] = await appendCheckIns(tx, [entry]);
  return appended!;
}

/**
 * The batch form, in a fixed number of statements however many entries: the tickets are locked first (in id order, so
 * two doors uploading overlapping batches cannot deadlock), entries are inserted at once, then each ticket's whole log
 * is replayed. An entry whose client scan id is already in the log is skipped and comes back as undefined.
 */
export async function appendCheckIns(
  tx: Prisma.TransactionClient,
  entries: readonly NewLogEntry[],
): Promise<Array<AppendedEntry | undefined>> {
  if (!entries.length) return [];
  const ticketIds = [...new Set(entries.map((e) => e.ticketId))].sort();
  const current = await tx.$queryRaw<Array<TicketAttendance & { id: string }>>`
    SELECT id::text AS id, attended, "attendedAt", "attendedByDeviceId", "attendedById", "exitedAt"
    FROM "Ticket" WHERE id = ANY(${ticketIds}::uuid[]) ORDER BY id FOR UPDATE`;

  const seqs = await insertEntries(tx, entries);
  const log = await tx.checkInEntry.findMany({ where: { ticketId: { in: ticketIds } }, select: logSelect });
  const logByTicket = new Map<string, typeof log>();
  for (const row of log) {
    const rows = logByTicket.get(row.ticketId);
    if (rows) rows.push(row);
    else logByTicket.set(row.ticketId, [row]);
  }
  const replays = new Map<string, ReplayResult>();
  const flagChanges: Array<{ seq: bigint; conflict: boolean; reason: string | null }> = [];
  for (const ticketId of ticketIds) {
    const rows = logByTicket.get(ticketId) ?? [];
    const replay = replayCheckIns(rows);
    replays.set(ticketId, replay);
    for (const row of rows) {
      const wanted = replay.conflicts.get(row.seq);
      if (wanted && (wanted.conflict !== row.conflict || (wanted.conflict && wanted.reason !== row.conflictReason))) {
        flagChanges.push({ seq: row.seq, conflict: wanted.conflict, reason: wanted.conflict ? wanted.reason : row.conflictReason });
      }
    }
  }
  // Flags change only when a late upload reorders a ticket's history: rare, so one statement each is fine.
  for (const change of flagChanges) {
    await tx.checkInEntry.update({ where: { seq: change.seq }, data: { conflict: change.conflict, conflictReason: change.reason } });
  }
  await updateAttendance(
    tx,
    current.filter((row) => !sameAttendance(row, replays.get(row.id)!)).map((row) => ({ id: row.id, ...replays.get(row.id)! })),
  );

  return entries.map((entry, index) => {
    const seq = seqs[index];
    if (seq === undefined) return undefined;
    const replay = replays.get(entry.ticketId)!;
    const mine = replay.conflicts.get(seq);
    return { seq, conflict: mine?.conflict ?? false, conflictReason: mine?.conflict ? mine.reason : null, attended: replay.attended };
  });
}

/** The new entries' sequence numbers, in the order given; undefined where the client scan id was already logged. */
async function insertEntries(tx: Prisma.TransactionClient, entries: readonly NewLogEntry[]): Promise<Array<bigint | undefined>> {
  const data = entries.map((entry) => ({
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
  }));
  // Officers' marks carry no scan id, so rows cannot be matched back by it: they come one at a time.
  if (data.some((row) => row.clientScanId === null)) {
    const seqs: bigint[] = [];
    for (const row of data) seqs.push((await tx.checkInEntry.create({ data: row, select: { seq: true } })).seq);
    return seqs;
  }
  // One statement with one array per column: Prisma's createManyAndReturn binds every value of every row on its
  // own (5,000 parameters for a batch of 500) and took 300-800 ms a batch where this takes 30-45 ms.
  const column = <T>(pick: (row: (typeof data)[number]) => T) => data.map(pick);
  const created = await tx.$queryRaw<Array<{ seq: bigint; clientScanId: string }>>`
    INSERT INTO "CheckInEntry"
      ("ticketId", "showingId", action, "occurredAt", "clientScanId", "undoesScanId", "conflictReason", conflict, "deviceId", "actorUserId")
    SELECT * FROM unnest(
      ${column((r) => r.ticketId)}::uuid[],
      ${column((r) => r.showingId)}::integer[],
      ${column((r) => r.action)}::"CheckInAction"[],
      ${column((r) => r.occurredAt.toISOString())}::timestamp(3)[],
      ${column((r) => r.clientScanId)}::text[],
      ${column((r) => r.undoesScanId)}::text[],
      ${column((r) => r.conflictReason)}::text[],
      ${column((r) => r.conflict)}::boolean[],
      ${column((r) => r.deviceId)}::uuid[],
      ${column((r) => r.actorUserId)}::text[]
    )
    ON CONFLICT ("clientScanId") DO NOTHING
    RETURNING seq, "clientScanId"`;
  const seqByScanId = new Map<string | null, bigint>(created.map((row) => [row.clientScanId, BigInt(row.seq)]));
  return data.map((row) => seqByScanId.get(row.clientScanId));
}

interface TicketAttendance {
  attended: boolean;
  attendedAt: Date | null;
  attendedByDeviceId: string | null;
  attendedById: string | null;
  exitedAt: Date | null;
}

function sameAttendance(a: TicketAttendance, b: TicketAttendance) {
  return (
    a.attended === b.attended &&
    timeOf(a.attendedAt) === timeOf(b.attendedAt) &&
    a.attendedByDeviceId === b.attendedByDeviceId &&
    a.attendedById === b.attendedById &&
    timeOf(a.exitedAt) === timeOf(b.exitedAt)
  );
}

const timeOf = (value: Date | string | null) => (value === null ? null : new Date(value).getTime());

/** One statement for the whole batch: a door uploading 500 first admits changes 500 tickets. */
async function updateAttendance(tx: Prisma.TransactionClient, rows: Array<TicketAttendance & { id: string }>) {
  if (!rows.length) return;
  const column = <T>(pick: (row: TicketAttendance & { id: string }) => T) => rows.map(pick);
  await tx.$executeRaw`
    UPDATE "Ticket" AS t
    SET attended = v.attended, "attendedAt" = v.at, "attendedByDeviceId" = v.device, "attendedById" = v.actor,
        "exitedAt" = v.exited, "updatedAt" = (now() AT TIME ZONE 'UTC')
    FROM unnest(
      ${column((r) => r.id)}::uuid[],
      ${column((r) => r.attended)}::boolean[],
      ${column((r) => r.attendedAt?.toISOString() ?? null)}::timestamp(3)[],
      ${column((r) => r.attendedByDeviceId)}::text[],
      ${column((r) => r.attendedById)}::text[],
      ${column((r) => r.exitedAt?.toISOString() ?? null)}::timestamp(3)[]
    ) AS v(id, attended, at, device, actor, exited)
    WHERE t.id = v.id`;
}
