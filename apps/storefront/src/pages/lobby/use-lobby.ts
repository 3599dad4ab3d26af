import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { Outputs } from "../../lib/api-types.ts";
import { appCodeOf } from "../../lib/errors.ts";
import { useTRPC } from "../../lib/trpc.ts";

export type LobbyStatus = Outputs["lobby"]["status"];
export type LobbyPhase = LobbyStatus["phase"];

export function lobbyPath(eventId: number, showingId: number): string {
  return `/events/${eventId}/showings/${showingId}/lobby`;
}

/**
 * The lobby's status, asked again when the server says to (`pollAfterMs`: every 2 s near the front, up to 15 s
 * further back), only while the tab is shown. An unchanged answer keeps the same object, so nothing redraws.
 * `minPollMs` slows it down where the status is only a summary (the event page).
 */
export function useLobbyStatus(showingId: number, options: { enabled?: boolean; minPollMs?: number } = {}) {
  const trpc = useTRPC();
  const query = useQuery({
    ...trpc.lobby.status.queryOptions({ showingId }),
    enabled: options.enabled ?? true,
    staleTime: 1_000,
    refetchInterval: (q) => (q.state.status === "error" ? false : Math.max(q.state.data?.pollAfterMs ?? 5_000, options.minPollMs ?? 0)),
  });
  // A showing without a lobby answers NOT_FOUND: that is an answer (no lobby), not a failure.
  const noLobby = query.isError && appCodeOf(query.error) === "NOT_FOUND";
  return { query, status: query.data ?? null, noLobby };
}

/** Joining and leaving: the answer is the new status, put in place at once. */
export function useLobbyActions(showingId: number, onError: (error: unknown) => void) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const put = (next: LobbyStatus) => {
    queryClient.setQueryData(trpc.lobby.status.queryKey({ showingId }), next);
    return queryClient.invalidateQueries({ queryKey: trpc.event.get.queryKey() });
  };
  const join = useMutation(trpc.lobby.join.mutationOptions({ onSuccess: put, onError }));
  const leave = useMutation(trpc.lobby.leave.mutationOptions({ onSuccess: put, onError }));
  return { join, leave };
}
