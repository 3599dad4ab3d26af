import { atCapacity, type DoorMode } from "@admit/door";
import type { KioskStatus } from "../kiosk.ts";
import "./door-floor.css";

interface Props {
  status: KioskStatus;
  onMode: (mode: DoorMode) => void;
}

/**
 * The door's way (Entrance / Exit), the ticket types it admits, and how many are inside now for each showing, with
 * the officer's capacity alarm. Inside counts are the server's, with this door's own unsent scans added.
 */
export function DoorFloor({ status, onMode }: Props) {
  const { mode, gate, counts } = status;
  const named = new Map(status.showings.map((s) => [s.id, s.eventName]));
  const full = counts.showings.filter(atCapacity);
  return (
    <section className={`floor floor-${mode.toLowerCase()}`} aria-label="This door" data-mode={mode}>
      <div className="floor-mode" role="radiogroup" aria-label="This door is an">
        {(["ENTRANCE", "EXIT"] as const).map((way) => (
          <button key={way} type="button" role="radio" aria-checked={mode === way} onClick={() => onMode(way)} data-testid={`mode-${way.toLowerCase()}`}>
            {way === "ENTRANCE" ? "Entrance" : "Exit"}
          </button>
        ))}
      </div>
      {mode === "EXIT" && (
        <p className="floor-banner" data-testid="exit-banner">
          Exit: scans record people leaving. They can come back in at any entrance.
        </p>
      )}
      {gate.allowedTypes.length > 0 && (
        <p className="floor-gate" data-testid="door-types">
          This door admits <strong>{gate.allowedTypes.join(", ")}</strong> only.
        </p>
      )}
      <dl className="floor-inside">
        {counts.showings.map((s) => (
          <div key={s.id} className={atCapacity(s) ? "floor-full" : undefined}>
            <dt>Inside now{counts.showings.length > 1 ? `: ${named.get(s.id) ?? "showing"}` : ""}</dt>
            <dd data-testid="inside" data-showing={s.id} data-inside={s.inside} data-capacity={s.capacity ?? ""}>
              {s.inside}
              {s.capacity !== null ? ` / ${s.capacity}` : ""}
            </dd>
          </div>
        ))}
      </dl>
      {full.length > 0 && (
        <p className="floor-alarm" role="alert" data-testid="capacity-alarm">
          At capacity{counts.showings.length > 1 ? ` (${full.map((s) => named.get(s.id) ?? "a showing").join(", ")})` : ""}: let
          someone in only when someone leaves.
        </p>
      )}
    </section>
  );
}
