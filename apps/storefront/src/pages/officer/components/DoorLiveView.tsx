import { useQuery } from "@tanstack/react-query";
import { formatDateTime, plural } from "../../../lib/format.ts";
import { useTRPC } from "../../../lib/trpc.ts";
import { Alert, ErrorState, SkeletonList, Table } from "../../../ui/index.ts";
import { ArrivalsChart } from "./ArrivalsChart.tsx";
import { DoorSettingsForm } from "./DoorSettingsForm.tsx";
import "./door-live.css";

/** The door view is for the busy minutes at the doors: it refreshes faster than the rest of the dashboard. */
export const DOOR_REFRESH_MS = 3_000;

/**
 * The live door view: how many are inside now (against the capacity alarm), arrivals per 5 minutes, each door's
 * admits, exits and conflicts, and the showing's door settings.
 */
export function DoorLiveView({ clubId, showingId }: { clubId: number; showingId: number }) {
  const trpc = useTRPC();
  const live = useQuery({ ...trpc.kiosk.doorLive.queryOptions({ clubId, showingId }), refetchInterval: DOOR_REFRESH_MS });
  if (live.isPending) return <SkeletonList count={1} height="12rem" label="Loading the live door view" />;
  if (live.isError) return <ErrorState error={live.error} onRetry={() => void live.refetch()} title="The live door view didn't load" />;
  const data = live.data;
  const full = data.atCapacity;
  return (
    <section className="stack door-live" aria-labelledby="door-live-title" data-testid="door-live" data-updated={data.at}>
      <h2 id="door-live-title" className="section-title">
        At the door now
      </h2>
      {full && (
        <Alert tone="danger" title="At capacity">
          {data.inside} inside, capacity {data.capacity}. Doors should let someone in only when someone leaves.
        </Alert>
      )}
      <dl className="live-numbers door-live-numbers">
        <div className={full ? "live-number door-live-full" : "live-number"}>
          <dt>Inside now</dt>
          <dd data-testid="live-inside" data-inside={data.inside}>
            <span className="live-number-value">{data.inside}</span>
            {data.capacity !== null && <span className="live-number-note"> of {data.capacity}</span>}
          </dd>
        </div>
        <div className="live-number">
          <dt>Checked in</dt>
          <dd data-testid="live-checked-in" data-checked-in={data.checkedIn}>
            <span className="live-number-value">{data.checkedIn}</span>
            <span className="live-number-note"> of {data.sold}</span>
          </dd>
        </div>
        <div className="live-number">
          <dt>Conflicts</dt>
          <dd data-testid="live-conflicts" data-conflicts={data.conflicts}>
            <span className="live-number-value">{data.conflicts}</span>
          </dd>
        </div>
      </dl>
      <ArrivalsChart buckets={data.arrivals} bucketMinutes={data.bucketMinutes} />
      {data.doors.length > 0 && (
        <Table caption="Counts per door">
          <thead>
            <tr>
              <th scope="col">Door</th>
              <th scope="col">Admits</th>
              <th scope="col">Exits</th>
              <th scope="col">Conflicts</th>
              <th scope="col">Last seen</th>
            </tr>
          </thead>
          <tbody>
            {data.doors.map((door) => (
              <tr key={door.deviceId ?? "officers"} data-testid="door-row" data-door={door.name}>
                <th scope="row">
                  {door.name}
                  {door.allowedTypes.length > 0 && <span className="muted small"> ({door.allowedTypes.join(", ")} only)</span>}
                  {door.revoked && <span className="muted small"> (revoked)</span>}
                </th>
                <td data-admits={door.admits}>{door.admits}</td>
                <td data-exits={door.exits}>{door.exits}</td>
                <td>{door.conflicts}</td>
                <td>{door.lastSeenAt ? formatDateTime(door.lastSeenAt) : door.deviceId ? "Not yet" : "—"}</td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      <p className="muted small">
        Updated every few seconds · {plural(data.arrivals.reduce((n, b) => n + b.arrivals, 0), "arrival")} in the chart
      </p>
      <DoorSettingsForm key={`${data.capacity}-${data.privateNames}`} clubId={clubId} showingId={showingId} capacity={data.capacity} privateNames={data.privateNames} />
    </section>
  );
}
