import { lobbyAdmission, type LobbyEntryState } from "./gate.ts";
import { lobbyOpensAt, lobbyPhase, type LobbyPhase } from "./phase.ts";

/** A showing, its lobby and one person's place, as the status read loads them. */
export interface LobbyRow {
  showingId: number;
  showing: { ticketDropTime: Date | null; endTime: Date; cancelledAt: Date | null };
  lobby: {
    enabled: boolean;
    opensMinutesBefore: number;
    admitMinutes: number;
    seed: string;
    seedCommitment: string;
    drawnAt: Date | null;
    drawnEntries: number | null;
    admittedThrough: number;
    version: number;
    advancedAt: Date | null;
    soldOutAt: Date | null;
  };
  entry: { state: LobbyEntryState; position: number | null; drawKey: string | null; joinedAt: Date; admitUntil: Date | null } | null;
  /** The person holds an unexpired waitlist offer for the showing (the gate lets them buy). */
  waitlistOffer: boolean;
}

export interface LobbyStatus {
  showingId: number;
  phase: LobbyPhase;
  opensAt: Date | null;
  dropAt: Date | null;
  admitMinutes: number;
  seedCommitment: string;
  drawnAt: Date | null;
  /** Students waiting for their turn (read at most once a second). */
  waiting: number;
  you: {
    state: LobbyEntryState;
    /** Null until the draw places you. */
    position: number | null;
    /** Places before yours still to come up, while you wait after the draw. */
    ahead: number | null;
    /** From the pace of admissions since the drop; null while unknown. */
    estimatedWaitSeconds: number | null;
    admitUntil: Date | null;
    /** HMAC-SHA256(seed, your user id): find it in the draw record to check your place. */
    drawKey: string | null;
    joinedAt: Date;
  } | null;
  /** The gate's verdict for this person now (`lobbyAdmission`): whether they may add this showing's tickets and check out. */
  mayBuy: boolean;
  /** When to ask again: sooner near the front, up to 15 s further back. */
  pollAfterMs: number;
  /** Changes whenever anything a waiting student sees changes (with `statusTag`, the REST ETag). */
  version: number;
}

const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));

export function lobbyView(row: LobbyRow, waiting: number, now: Date): LobbyStatus {
  const { lobby, showing, entry } = row;
  const phase = lobbyPhase(lobby, showing, now);
  const opensAt = lobbyOpensAt(lobby, showing);
  const ahead = entry?.state === "WAITING" && entry.position !== null ? Math.max(0, entry.position - lobby.admittedThrough - 1) : null;
  return {
    showingId: row.showingId,
    phase,
    opensAt,
    dropAt: showing.ticketDropTime,
    admitMinutes: lobby.admitMinutes,
    seedCommitment: lobby.seedCommitment,
    drawnAt: lobby.drawnAt,
    waiting,
    you: entry && {
      state: entry.state,
      position: entry.position,
      ahead,
      estimatedWaitSeconds: ahead === null ? null : estimatedWaitSeconds(ahead, lobby, now),
      admitUntil: entry.state === "ADMITTED" ? entry.admitUntil : null,
      drawKey: entry.drawKey,
      joinedAt: entry.joinedAt,
    },
    mayBuy: lobbyAdmission({ phase, entry, waitlistOffer: row.waitlistOffer }, now).allowed,
    pollAfterMs: pollAfterMs(phase, entry?.state ?? null, ahead, { opensAt, dropAt: showing.ticketDropTime, now }),
    version: lobby.version,
  };
}

/** Places ahead divided by places that came up per second since the draw; null before anyone was admitted. */
export function estimatedWaitSeconds(ahead: number, lobby: { drawnAt: Date | null; admittedThrough: number }, now: Date): number | null {
  if (!lobby.drawnAt || lobby.admittedThrough === 0) return null;
  const seconds = Math.max(1, (now.getTime() - lobby.drawnAt.getTime()) / 1000);
  return Math.ceil(ahead / (lobby.admittedThrough / seconds));
}

export function pollAfterMs(
  phase: LobbyPhase,
  state: LobbyEntryState | null,
  ahead: number | null,
  times: { opensAt: Date | null; dropAt: Date | null; now: Date },
): number {
  const until = (at: Date | null) => (at ? at.getTime() - times.now.getTime() : Infinity);
  switch (phase) {
    case "OFF":
    case "ENDED":
      return 60_000;
    case "NOT_OPEN":
      return clamp(until(times.opensAt), 2_000, 15_000);
    case "OPEN":
      return clamp(until(times.dropAt), 2_000, 15_000);
    case "SOLD_OUT":
      return state === "ADMITTED" ? 5_000 : 15_000;
    case "RUNNING":
      if (state === "WAITING") return clamp(2_000 + (ahead ?? 0) * 20, 2_000, 15_000);
      return state === "ADMITTED" || state === null ? 5_000 : 15_000;
  }
}

/** The waiting count to two significant figures: a crowd growing by ones does not change every poller's ETag. */
export function waitingBucket(waiting: number): number {
  if (waiting < 100) return waiting;
  const unit = 10 ** (Math.floor(Math.log10(waiting)) - 1);
  return Math.floor(waiting / unit) * unit;
}

/**
 * The REST ETag of a status: it changes with the lobby's version (draw, admissions, sold out, settings), the phase
 * (which time alone moves), whether the person may buy, the waiting count (`waitingBucket`) and the person's own
 * place (with the start of their draw key, so one person's tag never matches another's answer), so a poll while
 * nothing moved is a 304.
 */
export function statusTag(status: LobbyStatus): string {
  const you = status.you ? `${status.you.drawKey?.slice(0, 12) ?? ""}-${status.you.state}-${status.you.position ?? "none"}` : "none";
  return `"lobby-${status.version}-${status.phase}-${waitingBucket(status.waiting)}-${you}-${status.mayBuy ? "buy" : "wait"}"`;
}
