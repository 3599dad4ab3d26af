import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useLocation } from "react-router";
import type { Outputs } from "../../lib/api-types.ts";
import { errorMessage } from "../../lib/errors.ts";
import { formatTime, plural } from "../../lib/format.ts";
import { useTRPC } from "../../lib/trpc.ts";
import { Alert, Button, ButtonLink, Field, QuantityPicker, Select, useAnnounce } from "../../ui/index.ts";

type Showing = Outputs["event"]["get"]["showings"][number];
export type WaitlistStatus = Outputs["waitlist"]["status"];

/**
 * Whether to show a showing's waitlist block at all (and so ask for its status): it sells or is paused, and some
 * type shows none left. Which types may be waited for is the server's answer (`waitableTypes` in the status), never
 * decided here.
 */
export function hasWaitlist(showing: Showing): boolean {
  if (showing.saleStatus !== "ON_SALE" && showing.saleStatus !== "PAUSED") return false;
  return showing.types.some((t) => t.available === 0);
}

export function useWaitlistStatus(showingId: number, enabled: boolean) {
  const trpc = useTRPC();
  return useQuery({ ...trpc.waitlist.status.queryOptions({ showingId }), enabled, refetchInterval: 30_000 });
}

const waitingText = (waiting: number) => (waiting === 0 ? "Nobody is waiting yet." : `${plural(waiting, "person", "people")} waiting.`);

interface Props {
  showing: Showing;
  signedIn: boolean;
  /** How many more tickets the order limit allows this student (the showing's limit when signed out). */
  allowance: number;
}

/**
 * A sold-out showing's (or type's) waitlist: how many wait, joining with a count, then the student's place and any
 * offer. Who may join for which type is the server's rule: the choices are the status's `waitableTypes` (and
 * `anyTypeWaitable`), the types waitlist.join accepts; a refusal shows its message.
 */
export function WaitlistBlock({ showing, signedIn, allowance }: Props) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const announce = useAnnounce();
  const location = useLocation();
  const status = useWaitlistStatus(showing.id, true);
  const types = status.data?.waitableTypes ?? [];
  const any = status.data?.anyTypeWaitable ?? false;
  const [picked, setType] = useState<string | null>(null);
  // The first choice until the student picks one (or when what they picked is no longer on offer).
  const type = picked !== null && (picked === "" ? any : types.includes(picked)) ? picked : any ? "" : (types[0] ?? "");
  const [count, setCount] = useState(1);
  const [problem, setProblem] = useState<string | null>(null);

  const settle = async (next: WaitlistStatus, text: string) => {
    setProblem(null);
    queryClient.setQueryData(trpc.waitlist.status.queryKey({ showingId: showing.id }), next);
    announce(text);
    await queryClient.invalidateQueries({ queryKey: trpc.event.get.queryKey() });
  };
  const join = useMutation(
    trpc.waitlist.join.mutationOptions({
      onSuccess: (next) => settle(next, placeText(next) ?? "You joined the waitlist."),
      onError: (e) => setProblem(errorMessage(e)),
    }),
  );
  const leave = useMutation(
    trpc.waitlist.leave.mutationOptions({
      onSuccess: (next) => settle(next, "You left the waitlist."),
      onError: (e) => setProblem(errorMessage(e)),
    }),
  );

  const data = status.data;
  const you = data?.you && (data.you.state === "WAITING" || data.you.state === "OFFERED") ? data.you : null;
  const place = data ? placeText(data) : null;
  const headingId = `waitlist-${showing.id}`;
  // Nothing to wait for and no place in line: no block (the status is still loading, or the server says no).
  if (!you && !any && types.length === 0) return null;
  return (
    <section className="waitlist-box" aria-labelledby={headingId}>
      <h3 id={headingId} className="waitlist-title">
        Waitlist
      </h3>
      {problem && (
        <Alert tone="danger" onDismiss={() => setProblem(null)}>
          {problem}
        </Alert>
      )}
      {you?.state === "OFFERED" && you.offer ? (
        <Alert tone="success" title={`Tickets held for you until ${formatTime(you.offer.expiresAt)}`} actions={<ButtonLink to="/cart" size="sm">Check out now</ButtonLink>}>
          {plural(you.offer.count, "ticket")} from the waitlist {you.offer.count === 1 ? "is" : "are"} in your cart. If you don't check out
          in time, they go to the next person.
        </Alert>
      ) : you ? (
        <div className="stack-sm">
          <p className="waitlist-place" aria-live="polite">
            <strong>{place}</strong>
          </p>
          <p className="small muted">
            You asked for {plural(you.count, you.type ? `${you.type} ticket` : "ticket")}. When tickets come free we hold them for you
            for {data?.offerMinutes} minutes and e-mail you.
          </p>
          <div className="row">
            <Button variant="secondary" size="sm" busy={leave.isPending} onClick={() => leave.mutate({ showingId: showing.id })}>
              Leave the waitlist
            </Button>
          </div>
        </div>
      ) : (
        <div className="stack-sm">
          <p>
            {any ? "This showing is sold out." : `${types.join(", ")} ${types.length === 1 ? "is" : "are"} sold out.`} Join the waitlist: when
            tickets come free (a return, a lapsed hold, tickets offered on the exchange) the next person gets them held for a while.{" "}
            {data && <span className="muted">{waitingText(data.waiting)}</span>}
          </p>
          {signedIn ? (
            <div className="waitlist-join">
              {(any ? 1 : 0) + types.length > 1 && (
                <Field label="Ticket type">
                  {(control) => (
                    <Select {...control} value={type} onChange={(e) => setType(e.target.value)}>
                      {any && <option value="">Any type</option>}
                      {types.map((t) => (
                        <option key={t} value={t}>
                          {t}
                        </option>
                      ))}
                    </Select>
                  )}
                </Field>
              )}
              <div className="field">
                <span className="field-label">How many</span>
                <QuantityPicker label="waitlist tickets" value={count} onChange={setCount} min={1} max={Math.max(1, allowance)} />
              </div>
              <Button
                busy={join.isPending}
                disabled={allowance === 0}
                onClick={() => join.mutate({ showingId: showing.id, type: type === "" ? null : type, count })}
              >
                Join the waitlist
              </Button>
            </div>
          ) : (
            <ButtonLink variant="secondary" to={`/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`}>
              Sign in to join the waitlist
            </ButtonLink>
          )}
        </div>
      )}
    </section>
  );
}

/** "You're #3 on the waitlist", or null when the student is not waiting. */
export function placeText(status: WaitlistStatus): string | null {
  const place = status.you?.state === "WAITING" ? status.you.place : null;
  return place === null ? null : `You're #${place} on the waitlist`;
}
