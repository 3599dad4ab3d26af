import { Link } from "react-router";
import { formatShowingTime } from "../../../lib/format.ts";
import type { ClubShowing } from "../lib/club-events.ts";
import { LiveNumbers } from "./LiveNumbers.tsx";
import { ShowingStatus } from "./ShowingStatus.tsx";

/** One showing in a list: when, where, how sales stand, and a link to manage it. */
export function ShowingSummary({ clubId, showing, eventName }: { clubId: number; showing: ClubShowing; eventName: string }) {
  const when = formatShowingTime(showing.startTime, showing.endTime);
  return (
    <li className="showing-summary">
      <div className="showing-summary-head">
        <div className="showing-summary-when">
          <Link to={`/dashboard/${clubId}/showings/${showing.id}`} className="showing-summary-link" aria-label={`Manage ${eventName}, ${when}`}>
            {when}
          </Link>
          <span className="muted small">{showing.location ?? "No location yet"}</span>
        </div>
        <ShowingStatus showing={showing} />
      </div>
      <LiveNumbers numbers={showing} label={`Numbers for ${eventName}, ${when}`} compact />
    </li>
  );
}
