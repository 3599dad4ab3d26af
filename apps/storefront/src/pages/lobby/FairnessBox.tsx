import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { formatTime } from "../../lib/format.ts";
import { useTRPC } from "../../lib/trpc.ts";
import type { LobbyStatus } from "./use-lobby.ts";

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Whether the revealed seed is the one committed to before anyone joined (checked here, in the browser). */
function useSeedMatches(seed: string | null, commitment: string): boolean | null {
  const [matches, setMatches] = useState<boolean | null>(null);
  useEffect(() => {
    let live = true;
    if (seed && typeof crypto !== "undefined" && crypto.subtle) {
      void sha256Hex(seed).then((hash) => live && setMatches(hash === commitment));
    }
    return () => {
      live = false;
    };
  }, [seed, commitment]);
  return seed ? matches : null;
}

/**
 * How the draw can be checked. Before the drop: the commitment (SHA-256 of a secret seed fixed before anyone joined).
 * After it: the seed itself, whether it matches, and the student's own draw key, which orders the places.
 */
export function FairnessBox({ status, drawPath }: { status: LobbyStatus; drawPath: string }) {
  const trpc = useTRPC();
  const drawn = status.drawnAt !== null;
  const draw = useQuery({ ...trpc.lobby.draw.queryOptions({ showingId: status.showingId }), enabled: drawn, staleTime: 60_000 });
  const seed = draw.data?.seed ?? null;
  const matches = useSeedMatches(seed, status.seedCommitment);
  const yourKey = status.you?.drawKey ?? null;
  const yours = yourKey ? draw.data?.entries.find((e) => e.drawKey === yourKey) : undefined;

  return (
    <section className="card card-padded fairness" aria-labelledby="fairness-title">
      <h2 id="fairness-title" className="card-title">
        How the draw is fair
      </h2>
      <p className="small">
        Everyone who joins before the drop gets a random place; joining early gives no advantage. Each place comes from a
        draw key: HMAC-SHA256 of your account id, keyed with a secret seed. Its SHA-256 fingerprint was published before
        anyone could join, so the seed cannot be changed afterwards.
      </p>
      <dl className="details fairness-details">
        <dt>Seed fingerprint (SHA-256)</dt>
        <dd className="mono fairness-hash">{status.seedCommitment}</dd>
        {drawn && (
          <>
            <dt>Drawn at</dt>
            <dd>{status.drawnAt ? formatTime(status.drawnAt) : null}</dd>
            <dt>Seed</dt>
            <dd className="mono fairness-hash">{seed ?? "…"}</dd>
          </>
        )}
        {yourKey && (
          <>
            <dt>Your draw key</dt>
            <dd className="mono fairness-hash">{yourKey}</dd>
          </>
        )}
      </dl>
      {drawn ? (
        <div className="stack-sm small">
          {matches === true && <p>✓ This browser checked it: the seed's SHA-256 is the fingerprint published before the draw.</p>}
          {matches === false && <p className="text-danger">The seed does not match the published fingerprint.</p>}
          {yours && (
            <p>
              Your key is #{yours.position} in the draw record{yours.inDraw ? ", which lists the keys of everyone who joined before the drop in sorted order" : ", after everyone in the draw, in arrival order"}.
            </p>
          )}
          <p>
            To check it yourself: SHA-256 of the seed gives the fingerprint; HMAC-SHA256 with the seed as key of your account id
            gives your draw key; sorting the keys gives the places. <a href={drawPath}>See the whole draw record</a> (no names).
          </p>
        </div>
      ) : (
        <p className="small muted">The seed is revealed at the drop, with the whole draw record (no names).</p>
      )}
    </section>
  );
}
