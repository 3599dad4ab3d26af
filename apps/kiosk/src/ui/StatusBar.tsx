import { useEffect, useState } from "react";
import type { KioskStatus, Pairing } from "../kiosk.ts";
import { ago, dateTime } from "./format.ts";

interface Props {
  status: KioskStatus;
  pairing: Pairing;
  checks: { storageKept: boolean | null; screenOn: boolean };
}

/** Who this door is, whether it is online, how fresh its data is, what waits to upload, and the live counts. */
export function StatusBar({ status, pairing, checks }: Props) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const clockOff = Math.abs(status.clockOffsetMs) > 120_000;
  return (
    <header className="bar">
      <div className="bar-door">
        <strong>{pairing.name}</strong> · {pairing.club.name}
        <ul className="bar-showings" aria-label="Showings at this door">
          {status.showings.map((s) => (
            <li key={s.id}>
              {s.eventName}, {dateTime(s.startTime)}
              {s.location ? `, ${s.location}` : ""}
            </li>
          ))}
        </ul>
      </div>
      <p className={status.online ? "pill online" : "pill offline"} data-testid="connection" data-online={status.online}>
        {status.online ? "Online" : "Offline"}
      </p>
      <dl className="bar-facts">
        <div>
          <dt>Last sync</dt>
          <dd data-testid="last-sync" title={status.lastSyncAt ? new Date(status.lastSyncAt).toLocaleString() : undefined}>
            {status.lastSyncAt ? ago(now - status.lastSyncAt) : "not yet"}
          </dd>
        </div>
        <div>
          <dt>Waiting to upload</dt>
          <dd data-testid="pending" data-count={status.pending}>
            {status.pending}
          </dd>
        </div>
        <div>
          <dt>Checked in</dt>
          <dd data-testid="counts" data-checked-in={status.counts.checkedIn} data-sold={status.counts.sold}>
            {status.counts.checkedIn} / {status.counts.sold}
          </dd>
        </div>
      </dl>
      {(clockOff || checks.storageKept === false || !status.ready || (status.online && status.lastError)) && (
        <ul className="bar-warnings">
          {!status.ready && <li>Downloading this door's tickets…</li>}
          {status.online && status.lastError && (
            <li data-testid="sync-error">The server answered with a problem ({status.lastError}). Retrying; scanning goes on.</li>
          )}
          {clockOff && <li>This tablet's clock is {Math.round(Math.abs(status.clockOffsetMs) / 60_000)} min off. Fix it in the tablet's settings.</li>}
          {checks.storageKept === false && <li>The browser may clear this door's data when storage runs low. Install the kiosk to the home screen.</li>}
        </ul>
      )}
      {!checks.screenOn && <p className="bar-hint">Keep the screen on in the tablet's settings.</p>}
    </header>
  );
}
