import { lobbySettingsInput } from "@admit/validators";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { useForm } from "react-hook-form";
import { Link } from "react-router";
import { z } from "zod";
import type { Outputs } from "../../../../lib/api-types.ts";
import { errorMessage } from "../../../../lib/errors.ts";
import { formatDateTime } from "../../../../lib/format.ts";
import { useTRPC } from "../../../../lib/trpc.ts";
import { Alert, Badge, Button, Skeleton, TextField, useAnnounce } from "../../../../ui/index.ts";
import type { ClubShowing } from "../../lib/club-events.ts";
import { checkedBy, wholeNumber } from "../../lib/offering-rows.ts";
import { useServerIssues } from "../../lib/server-issues.ts";

type Overview = Outputs["lobby"]["overview"];

const phaseWords: Record<Overview["phase"], string> = {
  OFF: "Off",
  NOT_OPEN: "Not open yet",
  OPEN: "Open: students are joining",
  RUNNING: "Running: admitting in turn",
  SOLD_OUT: "Sold out",
  ENDED: "Over",
};

interface LobbyValues {
  enabled: boolean;
  opensMinutesBefore: string;
  admitMinutes: string;
}

/** The boxes as typed, checked by the server's own schema. */
function settingsSchema(showingId: number) {
  return z
    .object({ enabled: z.boolean(), opensMinutesBefore: z.string(), admitMinutes: z.string() })
    .transform((v, ctx) =>
      checkedBy(lobbySettingsInput, { showingId, enabled: v.enabled, opensMinutesBefore: wholeNumber(v.opensMinutesBefore), admitMinutes: wholeNumber(v.admitMinutes) }, ctx),
    );
}

/**
 * A showing's drop lobby for officers: turning it on, when it opens and how long a turn lasts, how many students are
 * in each state, and the draw's seed fingerprint with a link to the public draw record.
 */
export function LobbyPanel({ showing, eventId }: { showing: ClubShowing; eventId: number }) {
  const trpc = useTRPC();
  const overview = useQuery({ ...trpc.lobby.overview.queryOptions({ showingId: showing.id }), refetchInterval: 5_000 });
  return (
    <section className="stack" aria-labelledby="lobby-panel-title">
      <h2 id="lobby-panel-title" className="card-title">
        Drop lobby
      </h2>
      <p className="muted">
        With a lobby, students join before the drop and each gets a random place at the drop time; they are let in to buy
        in turns sized to what is left, so nobody wins by refreshing.
        {!showing.dropTime && " Set a sales time (drop) for this showing first."}
      </p>
      {overview.isError ? (
        <Alert tone="danger">{errorMessage(overview.error)}</Alert>
      ) : !overview.data ? (
        <Skeleton height="10rem" />
      ) : (
        <>
          <LobbyFacts overview={overview.data} eventId={eventId} />
          <LobbySettingsForm key={`${overview.data.configured}`} overview={overview.data} />
        </>
      )}
    </section>
  );
}

function LobbyFacts({ overview, eventId }: { overview: Overview; eventId: number }) {
  if (!overview.configured) return null;
  const c = overview.counts;
  const counts: Array<[string, number]> = [
    ["Waiting", c.waiting],
    ["Their turn now", c.admitted],
    ["Bought", c.done],
    ["Turn ran out", c.expired],
    ["Left", c.left],
  ];
  return (
    <div className="stack-sm">
      <p>
        <Badge tone={overview.phase === "RUNNING" || overview.phase === "OPEN" ? "success" : "neutral"}>{phaseWords[overview.phase]}</Badge>
        {overview.opensAt && <> Opens {formatDateTime(overview.opensAt)}.</>}
        {overview.dropAt && <> Drop {formatDateTime(overview.dropAt)}.</>}
      </p>
      <div role="group" aria-label="Lobby places">
        <dl className="live-numbers live-numbers-compact">
          {counts.map(([name, value]) => (
            <div key={name} className="live-number">
              <dt>{name}</dt>
              <dd>
                <span className="live-number-value">{value}</span>
              </dd>
            </div>
          ))}
        </dl>
      </div>
      <dl className="details">
        <dt>Seed fingerprint</dt>
        <dd className="mono fairness-hash">{overview.seedCommitment}</dd>
        <dt>Draw</dt>
        <dd>
          {overview.drawnAt
            ? `Drawn ${formatDateTime(overview.drawnAt)}: ${overview.drawnEntries ?? 0} places; places up to #${overview.admittedThrough} have had their turn.`
            : "Not drawn yet: it happens at the drop."}{" "}
          <a href={`/api/showings/${overview.showingId}/lobby/draw/`}>Public draw record</a> ·{" "}
          <Link to={`/events/${eventId}/showings/${overview.showingId}/lobby`}>Students' lobby page</Link>
        </dd>
      </dl>
    </div>
  );
}

function LobbySettingsForm({ overview }: { overview: Overview }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const announce = useAnnounce();
  const schema = useMemo(() => settingsSchema(overview.showingId), [overview.showingId]);
  const form = useForm<LobbyValues, unknown, z.output<typeof schema>>({
    resolver: zodResolver(schema),
    defaultValues: {
      enabled: overview.configured ? overview.enabled : true,
      opensMinutesBefore: String(overview.opensMinutesBefore),
      admitMinutes: String(overview.admitMinutes),
    },
  });
  const [serverError, setServerError] = useState<string | null>(null);
  const showServerIssues = useServerIssues(form.setError);
  const save = useMutation(
    trpc.lobby.configure.mutationOptions({
      onSuccess: (next) => {
        setServerError(null);
        queryClient.setQueryData(trpc.lobby.overview.queryKey({ showingId: overview.showingId }), next);
        announce(next.enabled ? "Lobby saved: it is on." : "Lobby saved: it is off.");
      },
      onError: (error) => {
        setServerError(errorMessage(error));
        showServerIssues(error);
      },
    }),
  );
  const { errors } = form.formState;
  return (
    <form
      className="stack-sm"
      noValidate
      aria-label="Lobby settings"
      onSubmit={(e) => void form.handleSubmit((input) => save.mutate(input))(e)}
    >
      {serverError && <Alert tone="danger">{serverError}</Alert>}
      <label className="officer-check">
        <input type="checkbox" {...form.register("enabled")} />
        <span>Sell this drop through a lobby</span>
      </label>
      <div className="offering-grid">
        <TextField
          label="Lobby opens (minutes before the drop)"
          hint="0 to 1440. Students can join from then on."
          inputMode="numeric"
          {...form.register("opensMinutesBefore")}
          error={errors.opensMinutesBefore?.message}
        />
        <TextField
          label="Minutes each student has to buy"
          hint="1 to 120. Then their turn passes on."
          inputMode="numeric"
          {...form.register("admitMinutes")}
          error={errors.admitMinutes?.message}
        />
      </div>
      <div>
        <Button type="submit" variant="secondary" busy={save.isPending}>
          Save lobby
        </Button>
      </div>
    </form>
  );
}
