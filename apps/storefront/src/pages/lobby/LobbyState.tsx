import { useEffect, useRef, useState, type ReactNode } from "react";
import { Link, useLocation } from "react-router";
import { errorMessage } from "../../lib/errors.ts";
import { formatTime } from "../../lib/format.ts";
import { Alert, Button, ButtonLink, Countdown, useAnnounce } from "../../ui/index.ts";
import { placeText, waitText } from "./lobby-words.ts";
import { NotifyMe } from "./NotifyMe.tsx";
import { useLobbyActions, type LobbyStatus } from "./use-lobby.ts";

interface Props {
  status: LobbyStatus;
  signedIn: boolean;
  /** Asks for the status again now (e.g. when a countdown runs out). */
  onRefresh: () => void;
}

/** Says "It's your turn" (and the like) once when it happens, not on the first look at the page. */
function useAnnounceChanges(status: LobbyStatus) {
  const announce = useAnnounce();
  const last = useRef<string | null>(null);
  const key = `${status.phase}:${status.you?.state ?? "none"}`;
  useEffect(() => {
    const before = last.current;
    last.current = key;
    if (before === null || before === key) return;
    if (status.you?.state === "ADMITTED") announce("It's your turn: pick your tickets now.");
    else if (status.phase === "SOLD_OUT") announce("The drop is sold out.");
    else if (status.phase === "RUNNING" && status.you?.state === "WAITING") announce("The drop has started: you have a place in line.");
  }, [key, status, announce]);
}

/**
 * The student's place in the lobby as the server reports it, phase by phase: before it opens, waiting for the drop,
 * in line after the draw, their turn with its countdown, sold out, or over. The place is a live region, so a screen
 * reader hears it move.
 */
export function LobbyState({ status, signedIn, onRefresh }: Props) {
  const location = useLocation();
  const [problem, setProblem] = useState<string | null>(null);
  const { join, leave } = useLobbyActions(status.showingId, (e) => setProblem(errorMessage(e)));
  useAnnounceChanges(status);
  const you = status.you;
  const inLine = you?.state === "WAITING" || you?.state === "ADMITTED";
  const signInLink = `/sign-in?next=${encodeURIComponent(location.pathname)}`;

  const joinButton = signedIn ? (
    <Button size="lg" busy={join.isPending} onClick={() => join.mutate({ showingId: status.showingId })}>
      {you?.state === "LEFT" ? "Join the lobby again" : "Join the lobby"}
    </Button>
  ) : (
    <ButtonLink size="lg" to={signInLink}>
      Sign in to join the lobby
    </ButtonLink>
  );

  return (
    <section className="card card-padded lobby-state" aria-labelledby="lobby-state-title" data-phase={status.phase}>
      {problem && (
        <Alert tone="danger" onDismiss={() => setProblem(null)}>
          {problem}
        </Alert>
      )}
      <Body status={status} joinButton={joinButton} signedIn={signedIn} onRefresh={onRefresh} />
      {inLine && status.phase !== "SOLD_OUT" && (
        <div className="row lobby-leave">
          <Button variant="ghost" size="sm" busy={leave.isPending} onClick={() => leave.mutate({ showingId: status.showingId })}>
            Leave the lobby
          </Button>
        </div>
      )}
    </section>
  );
}

function Body({ status, joinButton, signedIn, onRefresh }: { status: LobbyStatus; joinButton: ReactNode; signedIn: boolean; onRefresh: () => void }) {
  const you = status.you;
  const title = (text: string) => (
    <h2 id="lobby-state-title" className="lobby-state-title">
      {text}
    </h2>
  );

  switch (status.phase) {
    case "OFF":
      return (
        <>
          {title("No lobby for this showing")}
          <p>Its tickets go on sale to everyone at the drop time.</p>
        </>
      );
    case "ENDED":
      return (
        <>
          {title("This showing is over")}
          <p>Its lobby is closed.</p>
        </>
      );
    case "NOT_OPEN":
      return (
        <>
          {title(status.opensAt ? `Lobby opens at ${formatTime(status.opensAt)}` : "The lobby isn't open yet")}
          {status.opensAt && (
            <p className="lobby-big">
              <Countdown to={status.opensAt} onDone={onRefresh} doneText="any moment…" />
            </p>
          )}
          <p>
            Join it before the drop{status.dropAt ? ` at ${formatTime(status.dropAt)}` : ""} and you get a random place in line:
            everyone in the lobby at the drop has the same chance.
          </p>
          {signedIn ? <NotifyMe showingId={status.showingId} /> : null}
        </>
      );
    case "OPEN":
      if (you?.state === "WAITING") {
        return (
          <>
            {title("You're in the lobby")}
            <p>Keep this page open. At the drop everyone here gets a random place in line.</p>
            {status.dropAt && (
              <p className="lobby-big">
                Drop in <Countdown to={status.dropAt} onDone={onRefresh} doneText="a moment…" />
              </p>
            )}
            <p className="small muted">{waitingCount(status.waiting)}</p>
          </>
        );
      }
      return (
        <>
          {title("The lobby is open")}
          <p>
            Join before the drop{status.dropAt ? ` at ${formatTime(status.dropAt)}` : ""}: everyone in the lobby then gets a random
            place in line, so there's no need to rush or refresh.
          </p>
          <div className="row">{joinButton}</div>
          <p className="small muted">{waitingCount(status.waiting)}</p>
        </>
      );
    case "RUNNING":
    case "SOLD_OUT":
      return <Running status={status} joinButton={joinButton} onRefresh={onRefresh} />;
  }
}

function Running({ status, joinButton, onRefresh }: { status: LobbyStatus; joinButton: ReactNode; onRefresh: () => void }) {
  const you = status.you;
  const soldOut = status.phase === "SOLD_OUT";
  const title = (text: string) => (
    <h2 id="lobby-state-title" className="lobby-state-title">
      {text}
    </h2>
  );
  if (you?.state === "ADMITTED" && you.admitUntil) {
    return (
      <>
        {title("You're in!")}
        <p className="lobby-big">
          Your turn ends in <Countdown to={you.admitUntil} style="clock" onDone={onRefresh} doneText="now" />
        </p>
        <p>
          Pick your tickets below and check out before {formatTime(you.admitUntil)}. After that your turn passes to the next
          student.
        </p>
      </>
    );
  }
  if (soldOut) {
    return (
      <>
        {title("Sold out")}
        <p>Every ticket of this drop is taken. Join the waitlist below: if tickets come free, the next person gets them.</p>
      </>
    );
  }
  switch (you?.state) {
    case "WAITING": {
      const wait = waitText(you.estimatedWaitSeconds);
      return (
        <>
          {title("You're in line")}
          <p className="lobby-big" aria-live="polite" aria-atomic="true">
            {you.position === null ? "Finding your place…" : placeText(you.position, you.ahead)}
          </p>
          <dl className="details lobby-facts">
            <dt>Estimated wait</dt>
            <dd>{wait ?? "Working it out…"}</dd>
            <dt>In line</dt>
            <dd>{status.waiting}</dd>
          </dl>
          <p className="small muted">Keep this page open: it updates by itself and tells you when it's your turn.</p>
        </>
      );
    }
    case "DONE":
      return (
        <>
          {title("Your turn is done")}
          <p>
            Your order went through. <Link to="/tickets">See your tickets</Link>.
          </p>
        </>
      );
    case "EXPIRED":
      return (
        <>
          {title("Your turn has ended")}
          <p>Your time to check out ran out, so your place passed to the next student.</p>
        </>
      );
    default:
      return (
        <>
          {title("The drop has started")}
          <p>Join now and you queue behind everyone who was here at the drop, in the order you arrive.</p>
          <div className="row">{joinButton}</div>
          <p className="small muted">{waitingCount(status.waiting)}</p>
        </>
      );
  }
}

const waitingCount = (n: number) => (n === 0 ? "Nobody is waiting yet." : n === 1 ? "1 person is waiting." : `${n} people are waiting.`);
