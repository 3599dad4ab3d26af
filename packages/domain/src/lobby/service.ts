import { randomUUID } from "node:crypto";
import { Prisma } from "@admit/db";
import type { UserActor } from "../actor.ts";
import type { DomainDeps } from "../deps.ts";
import { DomainError, notFound } from "../errors.ts";
import type { Roles } from "../roles.ts";
import { sqlTime, UTC_TEXT } from "../sql-time.ts";
import { formatInZone, showingTimeZone } from "../time-zone.ts";
import { ADVANCE_INTERVAL_MS, advanceLobby, runningLobbies, type AdvanceResult } from "./advance.ts";
import { drawKey, newSeed, seedCommitment } from "./draw.ts";
import { waitlistOfferSql, type LobbyEntryState } from "./gate.ts";
import { lobbyOpensAt, lobbyPhase, type LobbyPhase } from "./phase.ts";
import { lobbyView, type LobbyRow, type LobbyStatus } from "./status.ts";

export interface LobbySettingsInput {
  showingId: number;
  enabled: boolean;
  /** Students may join this many minutes before the drop (0..1440). */
  opensMinutesBefore: number;
  /** An admitted student's window to check out (1..120 minutes). */
  admitMinutes: number;
}

/** The waiting count is for show: a process reads it at most once a second per lobby (and after its own joins). */
const WAITING_COUNT_TTL_MS = 1_000;

/**
 * Fair drop lobbies: officers turn one on for a showing, students join before the drop, the draw places them at
 * random, and the advance (advance.ts) admits them in batches sized to what is left. Status reads are one indexed
 * statement (plus a memoised count), take no lock and write only when an advance is due.
 */
export class Lobbies {
  private readonly waitingCounts = new Map<number, { version: number; readAt: number; count: number }>();
  private readonly advancing = new Set<number>();

  constructor(
    private readonly deps: DomainDeps,
    private readonly roles: Roles,
  ) {}

  /** Turns the lobby on or off and sets its minutes; the seed is made once, with the lobby, and never changes. */
  async configure(actor: UserActor, input: LobbySettingsInput) {
    const showing = await this.officersShowing(actor, input.showingId);
    const now = this.deps.clock.now();
    if (showing.cancelledAt) throw new DomainError("SHOWING_CANCELLED", "This showing has been cancelled, so it has no drop to queue for.");
    if (showing.endTime <= now) throw new DomainError("SHOWING_ENDED", "This showing has already ended.");
    const settings = { enabled: input.enabled, opensMinutesBefore: input.opensMinutesBefore, admitMinutes: input.admitMinutes };
    const existing = await this.deps.prisma.lobby.findUnique({ where: { showingId: input.showingId }, select: { showingId: true } });
    if (!existing && input.enabled && !showing.ticketDropTime) {
      throw new DomainError("CONFLICT", "Set a ticket drop time for this showing first: the lobby opens before it and draws places at it.");
    }
    const seed = newSeed();
    await this.deps.prisma.lobby.upsert({
      where: { showingId: input.showingId },
      create: { showingId: input.showingId, ...settings, seed, seedCommitment: seedCommitment(seed) },
      update: { ...settings, version: { increment: 1 } },
    });
    return this.overview(actor, input.showingId);
  }

  /** Officers' view: settings, phase, the draw's commitment and how many places are in each state. */
  async overview(actor: UserActor, showingId: number) {
    const showing = await this.officersShowing(actor, showingId);
    const [lobby, counts] = await Promise.all([
      this.deps.prisma.lobby.findUnique({ where: { showingId } }),
      this.deps.prisma.lobbyEntry.groupBy({ by: ["state"], where: { showingId }, _count: { _all: true } }),
    ]);
    const byState = Object.fromEntries(counts.map((c) => [c.state, c._count._all])) as Partial<Record<LobbyEntryState, number>>;
    const now = this.deps.clock.now();
    return {
      showingId,
      configured: lobby !== null,
      enabled: lobby?.enabled ?? false,
      opensMinutesBefore: lobby?.opensMinutesBefore ?? 15,
      admitMinutes: lobby?.admitMinutes ?? 10,
      phase: lobbyPhase(lobby, showing, now),
      opensAt: lobby ? lobbyOpensAt(lobby, showing) : null,
      dropAt: showing.ticketDropTime,
      seedCommitment: lobby?.seedCommitment ?? null,
      drawnAt: lobby?.drawnAt ?? null,
      drawnEntries: lobby?.drawnEntries ?? null,
      admittedThrough: lobby?.admittedThrough ?? 0,
      soldOutAt: lobby?.soldOutAt ?? null,
      counts: {
        waiting: byState.WAITING ?? 0,
        admitted: byState.ADMITTED ?? 0,
        done: byState.DONE ?? 0,
        expired: byState.EXPIRED ?? 0,
        left: byState.LEFT ?? 0,
      },
    };
  }

  /**
   * A place in the lobby: one per account, so joining again returns the same place. Someone who left joins again
   * where they were if their place has not come up yet (their draw key is the same, so nothing is re-drawn), else
   * behind everyone there now.
   */
  async join(actor: UserActor, showingId: number): Promise<LobbyStatus> {
    const row = await this.read(actor.userId, showingId);
    const now = this.deps.clock.now();
    const phase = this.phaseOf(row, now);
    if (phase === "OFF") throw noLobby();
    if (phase === "ENDED") throw new DomainError("CONFLICT", "This showing is over, so its lobby is closed.");
    if (phase === "NOT_OPEN") {
      const opensAt = lobbyOpensAt(row.lobby, row.showing);
      const when = opensAt ? formatInZone(opensAt, await showingTimeZone(this.deps.prisma, this.deps, showingId)) : "a time not set yet";
      throw new DomainError("LOBBY_NOT_OPEN", `The lobby opens at ${when}; join then.`, {
        details: { opensAt: opensAt?.toISOString() ?? null },
      });
    }
    const at = sqlTime(now);
    // Places up to here have come up: someone who left one of them queues again at the back.
    const passed = Prisma.sql`(SELECT "admittedThrough" FROM "Lobby" WHERE "showingId" = ${showingId})`;
    await this.deps.prisma.$executeRaw`
      INSERT INTO "LobbyEntry" (id, "showingId", "userId", "joinedAt", "drawKey", state)
      VALUES (${randomUUID()}::uuid, ${showingId}, ${actor.userId}, ${at}, ${drawKey(row.lobby.seed, actor.userId)}, 'WAITING')
      ON CONFLICT ("showingId", "userId") DO UPDATE SET state = 'WAITING', "endedAt" = NULL,
        position = CASE WHEN "LobbyEntry".position > ${passed} THEN "LobbyEntry".position END,
        "joinedAt" = CASE WHEN "LobbyEntry".position IS NULL OR "LobbyEntry".position > ${passed}
                          THEN "LobbyEntry"."joinedAt" ELSE ${at} END
      WHERE "LobbyEntry".state = 'LEFT'`;
    this.waitingCounts.delete(showingId);
    return this.status(actor, showingId);
  }

  /** Gives the place up (an admitted student's turn passes on at the next advance). Leaving twice changes nothing. */
  async leave(actor: UserActor, showingId: number): Promise<LobbyStatus> {
    await this.read(actor.userId, showingId);
    await this.deps.prisma.lobbyEntry.updateMany({
      where: { showingId, userId: actor.userId, state: { in: ["WAITING", "ADMITTED"] } },
      data: { state: "LEFT", endedAt: this.deps.clock.now() },
    });
    this.waitingCounts.delete(showingId);
    return this.status(actor, showingId);
  }

  /** What a student's lobby page shows (anyone may look; `you` is null without a place). Advances first when due. */
  async status(actor: UserActor | null, showingId: number): Promise<LobbyStatus> {
    const userId = actor?.userId ?? null;
    let row = await this.read(userId, showingId);
    const now = this.deps.clock.now();
    const phase = this.phaseOf(row, now);
    const due = !row.lobby.advancedAt || now.getTime() - row.lobby.advancedAt.getTime() >= ADVANCE_INTERVAL_MS;
    if ((phase === "RUNNING" || phase === "SOLD_OUT") && due && (await this.advanceUnlessBusy(showingId))) {
      row = await this.read(userId, showingId);
    }
    return lobbyView(row, await this.waitingCount(showingId, row.lobby.version), now);
  }

  /**
   * The public record of the draw: the commitment from the start, the seed once drawn, and every place with its
   * draw key and join time (no names), so anyone can recompute HMAC-SHA256(seed, their user id) and the order.
   */
  async drawAudit(showingId: number) {
    const row = await this.read(null, showingId);
    const drawn = row.lobby.drawnAt !== null;
    const entries = drawn
      ? await this.deps.prisma.lobbyEntry.findMany({
          where: { showingId, position: { not: null } },
          select: { position: true, drawKey: true, joinedAt: true },
          orderBy: { position: "asc" },
        })
      : [];
    const drawnEntries = row.lobby.drawnEntries ?? 0;
    return {
      showingId,
      seedCommitment: row.lobby.seedCommitment,
      seed: drawn ? row.lobby.seed : null,
      dropAt: row.showing.ticketDropTime,
      drawnAt: row.lobby.drawnAt,
      drawnEntries: row.lobby.drawnEntries,
      entries: entries.map((e) => ({
        position: e.position ?? 0,
        drawKey: e.drawKey ?? "",
        joinedAt: e.joinedAt,
        /** Placed by the draw (joined before the drop) rather than in arrival order after it. */
        inDraw: (e.position ?? 0) <= drawnEntries,
      })),
    };
  }

  /** One advance of one lobby (null when it is not running, or another caller advanced it in the last second). */
  advance(showingId: number, opts: { force?: boolean } = {}): Promise<AdvanceResult | null> {
    return advanceLobby(this.deps, showingId, opts);
  }

  /** The periodic job: advances every running lobby; lobbies another process is advancing are skipped. */
  async advanceRunning() {
    const results: AdvanceResult[] = [];
    for (const showingId of await runningLobbies(this.deps)) {
      const result = await advanceLobby(this.deps, showingId);
      if (result) results.push(result);
    }
    return {
      lobbies: results.length,
      admitted: results.reduce((sum, r) => sum + r.admitted, 0),
      expired: results.reduce((sum, r) => sum + r.expired, 0),
    };
  }

  /**
   * The opportunistic advance of a status read: while one is under way in this process, the other readers of the
   * lobby skip it (as readers in other processes do through SKIP LOCKED) instead of opening transactions that would.
   */
  private async advanceUnlessBusy(showingId: number): Promise<AdvanceResult | null> {
    if (this.advancing.has(showingId)) return null;
    this.advancing.add(showingId);
    try {
      return await advanceLobby(this.deps, showingId);
    } finally {
      this.advancing.delete(showingId);
    }
  }

  private phaseOf(row: LobbyRow, now: Date): LobbyPhase {
    return lobbyPhase(row.lobby, row.showing, now);
  }

  private async waitingCount(showingId: number, version: number): Promise<number> {
    const memo = this.waitingCounts.get(showingId);
    const readAt = performance.now();
    if (memo && memo.version === version && readAt - memo.readAt < WAITING_COUNT_TTL_MS) return memo.count;
    const count = await this.deps.prisma.lobbyEntry.count({ where: { showingId, state: "WAITING" } });
    this.waitingCounts.set(showingId, { version, readAt, count });
    return count;
  }

  /** The showing, its lobby and the person's place, in one statement; NOT_FOUND without showing or lobby. */
  private async read(userId: string | null, showingId: number): Promise<LobbyRow> {
    const [row] = await this.deps.prisma.$queryRaw<RawLobbyRow[]>`
      SELECT to_char(s."ticketDropTime", ${UTC_TEXT}) AS "ticketDropTime", to_char(s."endTime", ${UTC_TEXT}) AS "endTime",
             to_char(s."cancelledAt", ${UTC_TEXT}) AS "cancelledAt", l."showingId" AS "lobbyId", l.enabled,
             l."opensMinutesBefore", l."admitMinutes", l.seed, l."seedCommitment", to_char(l."drawnAt", ${UTC_TEXT}) AS "drawnAt",
             l."drawnEntries", l."admittedThrough", l.version, to_char(l."advancedAt", ${UTC_TEXT}) AS "advancedAt",
             to_char(l."soldOutAt", ${UTC_TEXT}) AS "soldOutAt", e.state::text AS state, e.position, e."drawKey",
             to_char(e."joinedAt", ${UTC_TEXT}) AS "joinedAt", to_char(e."admitUntil", ${UTC_TEXT}) AS "admitUntil",
             ${waitlistOfferSql({ showing: "s", lobby: "l", entry: "e", userId: Prisma.sql`${userId}`, now: this.deps.clock.now() })} AS "waitlistOffer"
      FROM "Showing" s
      LEFT JOIN "Lobby" l ON l."showingId" = s.id
      LEFT JOIN "LobbyEntry" e ON e."showingId" = s.id AND e."userId" = ${userId}
      WHERE s.id = ${showingId}`;
    if (!row) throw notFound("Showing");
    if (row.lobbyId === null) throw noLobby();
    return toLobbyRow(showingId, row);
  }

  private async officersShowing(actor: UserActor, showingId: number) {
    const showing = await this.deps.prisma.showing.findUnique({
      where: { id: showingId },
      select: { ticketDropTime: true, endTime: true, cancelledAt: true, event: { select: { clubId: true } } },
    });
    if (!showing) throw notFound("Showing");
    await this.roles.requireClubManager(actor, showing.event.clubId, "Showing");
    return showing;
  }
}

const noLobby = () => new DomainError("NOT_FOUND", "This showing has no lobby: its tickets go on sale to everyone at the drop time.");

interface RawLobbyRow {
  ticketDropTime: string | null;
  endTime: string;
  cancelledAt: string | null;
  lobbyId: number | null;
  enabled: boolean;
  opensMinutesBefore: number;
  admitMinutes: number;
  seed: string;
  seedCommitment: string;
  drawnAt: string | null;
  drawnEntries: number | null;
  admittedThrough: number;
  version: number;
  advancedAt: string | null;
  soldOutAt: string | null;
  state: LobbyEntryState | null;
  position: number | null;
  drawKey: string | null;
  joinedAt: string | null;
  admitUntil: string | null;
  waitlistOffer: boolean;
}

const date = (text: string | null) => (text === null ? null : new Date(text));

function toLobbyRow(showingId: number, row: RawLobbyRow): LobbyRow {
  return {
    showingId,
    showing: { ticketDropTime: date(row.ticketDropTime), endTime: new Date(row.endTime), cancelledAt: date(row.cancelledAt) },
    lobby: {
      enabled: row.enabled,
      opensMinutesBefore: row.opensMinutesBefore,
      admitMinutes: row.admitMinutes,
      seed: row.seed,
      seedCommitment: row.seedCommitment,
      drawnAt: date(row.drawnAt),
      drawnEntries: row.drawnEntries,
      admittedThrough: row.admittedThrough,
      version: row.version,
      advancedAt: date(row.advancedAt),
      soldOutAt: date(row.soldOutAt),
    },
    entry:
      row.state === null
        ? null
        : {
            state: row.state,
            position: row.position,
            drawKey: row.drawKey,
            joinedAt: new Date(row.joinedAt ?? 0),
            admitUntil: date(row.admitUntil),
          },
    waitlistOffer: row.waitlistOffer,
  };
}
