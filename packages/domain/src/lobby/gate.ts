import { Prisma } from "@admit/db";
import { DomainError } from "../errors.ts";
import { sqlTime } from "../sql-time.ts";
import { lobbyPhase, type LobbyPhase } from "./phase.ts";

/**
 * The one home of "may this student put this showing's tickets in a cart, or check them out, right now" while its
 * drop runs through a lobby. Outside the lobby's life (no lobby, turned off, not open yet, showing over) the lobby
 * has no say and the sale window decides as usual. From the moment the lobby opens until the showing is over, only
 * a student whose turn it is (admitted, window not run out) or who holds an unexpired waitlist offer for the showing
 * may: everyone else queues in the lobby. `lobbyAdmission` decides on loaded facts; `lobbyAdmitsSql` is the same
 * rule inside a statement that must not write for a refused student (the add to cart), as order-limit.ts does.
 */

export type LobbyEntryState = "WAITING" | "ADMITTED" | "DONE" | "EXPIRED" | "LEFT";

export interface LobbyGateFacts {
  /** The showing's lobby phase now (phase.ts). */
  phase: LobbyPhase;
  /** This student's place in the lobby; null when they have not joined. */
  entry: { state: LobbyEntryState; admitUntil: Date | null } | null;
  /** They hold a waitlist offer for this showing that has not expired (its tickets are held for them). */
  waitlistOffer: boolean;
  /**
   * A checkout of theirs already holds exactly these tickets under a hold that has not expired, and is being
   * resumed: that purchase began during their turn, so it may go on to payment after the turn ends.
   */
  resumesHeldCheckout?: boolean;
}

export type LobbyAdmission =
  | { allowed: true }
  | { allowed: false; code: "LOBBY_REQUIRED" | "LOBBY_WINDOW_ENDED"; reason: "NOT_JOINED" | "WAITING" | "LEFT" | "WINDOW_ENDED" | "TURN_USED" };

/** Phases in which the lobby decides who may buy: from its opening until the showing is over. */
export const GATED_PHASES: ReadonlySet<LobbyPhase> = new Set<LobbyPhase>(["OPEN", "RUNNING", "SOLD_OUT"]);

export function lobbyAdmission(facts: LobbyGateFacts, now: Date): LobbyAdmission {
  if (!GATED_PHASES.has(facts.phase)) return { allowed: true };
  if (facts.waitlistOffer || facts.resumesHeldCheckout) return { allowed: true };
  const { entry } = facts;
  if (!entry) return { allowed: false, code: "LOBBY_REQUIRED", reason: "NOT_JOINED" };
  switch (entry.state) {
    case "ADMITTED":
      return entry.admitUntil !== null && entry.admitUntil > now
        ? { allowed: true }
        : { allowed: false, code: "LOBBY_WINDOW_ENDED", reason: "WINDOW_ENDED" };
    case "EXPIRED":
      return { allowed: false, code: "LOBBY_WINDOW_ENDED", reason: "WINDOW_ENDED" };
    case "DONE":
      return { allowed: false, code: "LOBBY_WINDOW_ENDED", reason: "TURN_USED" };
    case "WAITING":
      return { allowed: false, code: "LOBBY_REQUIRED", reason: "WAITING" };
    case "LEFT":
      return { allowed: false, code: "LOBBY_REQUIRED", reason: "LEFT" };
  }
}

/** Where the storefront shows a showing's lobby. */
export const lobbyPath = (showing: { eventId: number; showingId: number }) =>
  `/events/${showing.eventId}/showings/${showing.showingId}/lobby`;

/** Refuses with LOBBY_REQUIRED (403) or LOBBY_WINDOW_ENDED (409) unless `lobbyAdmission` allows. */
export function requireLobbyAdmission(facts: LobbyGateFacts, showing: { eventId: number; showingId: number }, now: Date): void {
  const verdict = lobbyAdmission(facts, now);
  if (verdict.allowed) return;
  const path = lobbyPath(showing);
  const details = { showingId: showing.showingId, eventId: showing.eventId, lobbyPath: path, reason: verdict.reason };
  const messages: Record<typeof verdict.reason, string> = {
    NOT_JOINED: `This drop has a lobby: join it at ${path}, and you can pick tickets when your turn comes.`,
    WAITING: `You're in this drop's lobby: you can pick tickets when your turn comes (see ${path}).`,
    LEFT: `You left this drop's lobby: join it again at ${path} to get a turn.`,
    WINDOW_ENDED: `Your turn in this drop's lobby has ended, so your place passed to the next student (see ${path}).`,
    TURN_USED: `Your turn in this drop's lobby ended with your order (see ${path}).`,
  };
  throw new DomainError(verdict.code, messages[verdict.reason], { details });
}

/** The gate's columns as a statement reads them (UTC text times, JSON objects; NULL when there is no lobby or place). */
export interface LobbyGateRow {
  lobby: { enabled: boolean; opensMinutesBefore: number; soldOutAt: string | null } | null;
  entry: { state: LobbyEntryState; admitUntil: string | null } | null;
  waitlistOffer: boolean;
}

/** `LobbyGateFacts` from a statement's row and its showing, the phase decided by phase.ts. */
export function lobbyGateFacts(
  row: LobbyGateRow,
  showing: { ticketDropTime: Date | null; endTime: Date; cancelledAt: Date | null },
  now: Date,
): LobbyGateFacts {
  const lobby = row.lobby && { ...row.lobby, soldOutAt: row.lobby.soldOutAt === null ? null : new Date(row.lobby.soldOutAt) };
  return {
    phase: lobbyPhase(lobby, showing, now),
    entry: row.entry && { state: row.entry.state, admitUntil: row.entry.admitUntil === null ? null : new Date(row.entry.admitUntil) },
    waitlistOffer: row.waitlistOffer,
  };
}

/** SQL aliases and values the gate reads inside a statement. */
export interface LobbyGateSqlSource {
  /** Alias of the "Showing" row. */
  showing: string;
  /** Alias of the showing's "Lobby" row (LEFT JOINed: all NULL when there is none). */
  lobby: string;
  /** Alias of the student's "LobbyEntry" row (LEFT JOINed). */
  entry: string;
  /** The student (a SQL expression of a user id), for the waitlist offer. */
  userId: Prisma.Sql;
  now: Date;
}

const column = (alias: string, name: string) => Prisma.raw(`${alias}."${name}"`);

/** The LEFT JOINs that give `lobbyGateSql` its rows: the showing's lobby and the student's place in it. */
export function lobbyGateJoinsSql(source: LobbyGateSqlSource): Prisma.Sql {
  return Prisma.sql`LEFT JOIN "Lobby" ${Prisma.raw(source.lobby)} ON ${column(source.lobby, "showingId")} = ${column(source.showing, "id")}
      LEFT JOIN "LobbyEntry" ${Prisma.raw(source.entry)} ON ${column(source.entry, "showingId")} = ${column(source.showing, "id")} AND ${column(source.entry, "userId")} = ${source.userId}`;
}

/**
 * The student holds an OFFERED waitlist place for the showing whose offer has not expired. Looked up only where a
 * lobby is on (elsewhere the gate has no say), so a sale without a lobby pays nothing for it.
 */
export function waitlistOfferSql(source: LobbyGateSqlSource): Prisma.Sql {
  return Prisma.sql`(${column(source.lobby, "enabled")} IS TRUE AND EXISTS (SELECT 1 FROM "WaitlistEntry" offer
      WHERE offer."showingId" = ${column(source.showing, "id")} AND offer."userId" = ${source.userId}
        AND offer.state = 'OFFERED' AND offer."offerExpiresAt" > ${sqlTime(source.now)}))`;
}

/**
 * The lobby decides (`GATED_PHASES`): it is on, has opened (drop time minus its opening minutes has come), and
 * the showing is neither over nor cancelled. phase.ts is the same rule for loaded rows.
 */
export function lobbyGatesSql(source: LobbyGateSqlSource): Prisma.Sql {
  const { showing, lobby } = source;
  const at = sqlTime(source.now);
  return Prisma.sql`(${column(lobby, "enabled")} IS TRUE AND ${column(showing, "cancelledAt")} IS NULL AND ${column(showing, "endTime")} > ${at}
      AND (${column(showing, "ticketDropTime")} IS NULL
           OR ${column(showing, "ticketDropTime")} - make_interval(mins => ${column(lobby, "opensMinutesBefore")}) <= ${at}))`;
}

/** `lobbyAdmission(...).allowed` inside a statement: never NULL. */
export function lobbyAdmitsSql(source: LobbyGateSqlSource, waitlistOffer: Prisma.Sql = waitlistOfferSql(source)): Prisma.Sql {
  const { entry } = source;
  return Prisma.sql`(NOT ${lobbyGatesSql(source)}
      OR (${column(entry, "state")} IS NOT DISTINCT FROM 'ADMITTED' AND ${column(entry, "admitUntil")} > ${sqlTime(source.now)}) IS TRUE
      OR ${waitlistOffer})`;
}
