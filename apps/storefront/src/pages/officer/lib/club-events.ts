import { useQuery } from "@tanstack/react-query";
import type { Outputs } from "../../../lib/api-types.ts";
import { useTRPC } from "../../../lib/trpc.ts";

export type ClubEvent = Outputs["club"]["events"][number];
export type ClubShowing = ClubEvent["showings"][number];
export type ShowingType = ClubShowing["types"][number];

/** Live numbers come from this one query; every officer page shares it and it refreshes every 10 seconds. */
export const LIVE_REFRESH_MS = 10_000;

export function useClubEvents(clubId: number) {
  const trpc = useTRPC();
  return useQuery({
    ...trpc.club.events.queryOptions({ clubId }),
    enabled: clubId > 0,
    refetchInterval: LIVE_REFRESH_MS,
    staleTime: 5_000,
  });
}

export function useManagedClubs() {
  const trpc = useTRPC();
  return useQuery({ ...trpc.club.managed.queryOptions(), staleTime: 60_000 });
}

/** The showing and its event, from the club's dashboard data. */
export function findShowing(events: ClubEvent[] | undefined, showingId: number) {
  for (const event of events ?? []) {
    const showing = event.showings.find((s) => s.id === showingId);
    if (showing) return { event, showing };
  }
  return null;
}

/** A positive whole number from a route parameter, or 0. */
export function idParam(value: string | undefined): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : 0;
}
