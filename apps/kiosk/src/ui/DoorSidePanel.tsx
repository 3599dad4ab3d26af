import { useState } from "react";
import type { DoorConflict } from "@admit/door";
import type { Kiosk } from "../kiosk.ts";
import { ConflictsPanel } from "./ConflictsPanel.tsx";
import { SearchPanel } from "./SearchPanel.tsx";

interface Props {
  kiosk: Kiosk;
  conflicts: DoorConflict[];
  onCode: (text: string) => void;
  onAdmit: (ticketId: string) => void;
  /** Goes up after every decision, so search results show the latest check-ins. */
  revision: number;
}

/** Beside the scanner: search by name, and the conflicts this door has seen (highlighted while there are any). */
export function DoorSidePanel({ kiosk, conflicts, onCode, onAdmit, revision }: Props) {
  const [tab, setTab] = useState<"search" | "conflicts">("search");
  return (
    <aside className="side">
      <div className="tabs" role="tablist">
        <button type="button" role="tab" aria-selected={tab === "search"} onClick={() => setTab("search")}>
          Search
        </button>
        <button type="button" role="tab" aria-selected={tab === "conflicts"} onClick={() => setTab("conflicts")} data-testid="conflicts-tab" className={conflicts.length ? "alert" : undefined}>
          Conflicts ({conflicts.length})
        </button>
      </div>
      {tab === "search" ? <SearchPanel kiosk={kiosk} onCode={onCode} onAdmit={onAdmit} revision={revision} /> : <ConflictsPanel conflicts={conflicts} />}
    </aside>
  );
}
