/**
 * The one home of a lobby's phase: where a showing's drop stands for the lobby, from facts on its rows. The gate
 * (gate.ts), the status students poll and the advance job all ask this function.
 */

export type LobbyPhase = "OFF" | "NOT_OPEN" | "OPEN" | "RUNNING" | "SOLD_OUT" | "ENDED";

export interface LobbyPhaseFacts {
  enabled: boolean;
  opensMinutesBefore: number;
  /** Set by the advance when nothing was left to sell; cleared when tickets come back. */
  soldOutAt: Date | null;
}

export interface ShowingPhaseFacts {
  /** Without a drop time the tickets are on sale already, so a lobby that is on runs. */
  ticketDropTime: Date | null;
  endTime: Date;
  cancelledAt: Date | null;
}

/** When students may start joining, or null when the showing has no drop time. */
export function lobbyOpensAt(lobby: Pick<LobbyPhaseFacts, "opensMinutesBefore">, showing: Pick<ShowingPhaseFacts, "ticketDropTime">): Date | null {
  return showing.ticketDropTime && new Date(showing.ticketDropTime.getTime() - lobby.opensMinutesBefore * 60_000);
}

/**
 * OFF: no lobby, or turned off. ENDED: the showing is over or cancelled. NOT_OPEN: before the drop time minus the
 * opening minutes. OPEN: students join; nobody buys. RUNNING: the drop passed, students are admitted in turn.
 * SOLD_OUT: running with nothing left to sell (admitted students still finish their checkouts).
 */
export function lobbyPhase(lobby: LobbyPhaseFacts | null, showing: ShowingPhaseFacts, now: Date): LobbyPhase {
  if (!lobby?.enabled) return "OFF";
  if (showing.cancelledAt || showing.endTime <= now) return "ENDED";
  const drop = showing.ticketDropTime;
  if (drop) {
    const opensAt = lobbyOpensAt(lobby, showing);
    if (opensAt && now < opensAt) return "NOT_OPEN";
    if (now < drop) return "OPEN";
  }
  return lobby.soldOutAt ? "SOLD_OUT" : "RUNNING";
}
