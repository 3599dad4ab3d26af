import { useState } from "react";
import { useLocation, useNavigate } from "react-router";
import { errorMessage } from "../../lib/errors.ts";
import { formatTime } from "../../lib/format.ts";
import { Alert, Button, ButtonLink } from "../../ui/index.ts";
import { NotifyMe } from "../lobby/NotifyMe.tsx";
import { useLobbyActions, lobbyPath, type LobbyStatus } from "../lobby/use-lobby.ts";

interface Props {
  eventId: number;
  status: LobbyStatus;
  signedIn: boolean;
}

/**
 * A showing's lobby on its event page: when it opens (with "Notify me"), joining it, and the student's place, each
 * leading to the lobby page where the wait happens.
 */
export function LobbyBlock({ eventId, status, signedIn }: Props) {
  const navigate = useNavigate();
  const location = useLocation();
  const [problem, setProblem] = useState<string | null>(null);
  const path = lobbyPath(eventId, status.showingId);
  const { join } = useLobbyActions(status.showingId, (e) => setProblem(errorMessage(e)));
  const you = status.you;
  const joined = you?.state === "WAITING" || you?.state === "ADMITTED";

  const joinButton = signedIn ? (
    <Button busy={join.isPending} onClick={() => join.mutate({ showingId: status.showingId }, { onSuccess: () => void navigate(path) })}>
      Join the lobby
    </Button>
  ) : (
    <ButtonLink to={`/sign-in?next=${encodeURIComponent(path)}`}>Sign in to join the lobby</ButtonLink>
  );

  let body;
  switch (status.phase) {
    case "NOT_OPEN":
      body = (
        <>
          <p className="lobby-block-title">{status.opensAt ? `Lobby opens at ${formatTime(status.opensAt)}` : "This drop has a lobby"}</p>
          <p className="small">
            Join it before the drop and you get a random place in line: everyone in the lobby at the drop has the same chance.
          </p>
          {signedIn ? (
            <NotifyMe showingId={status.showingId} />
          ) : (
            <ButtonLink variant="secondary" size="sm" to={`/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`}>
              Sign in to get a reminder
            </ButtonLink>
          )}
        </>
      );
      break;
    case "OPEN":
    case "RUNNING":
      body = joined ? (
        <>
          <p className="lobby-block-title">
            {you.state === "ADMITTED" ? "It's your turn: pick your tickets" : you.position !== null ? `You're #${you.position} in line` : "You're in the lobby"}
          </p>
          <div className="row">
            <ButtonLink to={path} variant={you.state === "ADMITTED" ? "secondary" : "primary"}>
              Open the lobby
            </ButtonLink>
          </div>
        </>
      ) : (
        <>
          <p className="lobby-block-title">{status.phase === "OPEN" ? "The lobby is open" : "The drop has started"}</p>
          <p className="small">
            {status.phase === "OPEN"
              ? `Tickets are sold through the lobby. Join before the drop${status.dropAt ? ` at ${formatTime(status.dropAt)}` : ""} for a random place in line.`
              : "Tickets are sold through the lobby: join and you queue behind everyone who was there at the drop."}
          </p>
          <div className="row">{joinButton}</div>
        </>
      );
      break;
    default:
      return null;
  }
  return (
    <div className="lobby-block" data-testid={`lobby-block-${status.showingId}`}>
      {body}
      {problem && (
        <Alert tone="danger" onDismiss={() => setProblem(null)}>
          {problem}
        </Alert>
      )}
    </div>
  );
}
