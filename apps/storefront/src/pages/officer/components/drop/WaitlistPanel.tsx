import { waitlistConfigureInput } from "@admit/validators";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import type { Outputs } from "../../../../lib/api-types.ts";
import { errorMessage } from "../../../../lib/errors.ts";
import { formatDateTime, formatTime, plural } from "../../../../lib/format.ts";
import { useTRPC } from "../../../../lib/trpc.ts";
import { Alert, Badge, Button, EmptyState, Skeleton, Table, TextField, useAnnounce } from "../../../../ui/index.ts";
import { checkedBy, wholeNumber } from "../../lib/offering-rows.ts";
import { useServerIssues } from "../../lib/server-issues.ts";

type WaitlistList = Outputs["waitlist"]["list"];

/**
 * A showing's waitlist for officers: who is in line and in what order, how long an offer holds its tickets, and
 * offering whatever can be sold now to the line at once (the server does it by itself within seconds, too).
 */
export function WaitlistPanel({ showingId }: { showingId: number }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const announce = useAnnounce();
  const list = useQuery({ ...trpc.waitlist.list.queryOptions({ showingId }), refetchInterval: 10_000 });
  const [result, setResult] = useState<{ tone: "success" | "danger"; text: string } | null>(null);
  const release = useMutation(
    trpc.waitlist.release.mutationOptions({
      onSuccess: async (round) => {
        const text =
          round.offers === 0
            ? "Nothing to offer right now: no tickets are free, or nobody is waiting for the ones that are."
            : `Offered ${plural(round.tickets, "ticket")} to ${plural(round.offers, "person", "people")}.`;
        setResult({ tone: "success", text });
        announce(text);
        await queryClient.invalidateQueries({ queryKey: trpc.waitlist.list.queryKey({ showingId }) });
      },
      onError: (e) => setResult({ tone: "danger", text: errorMessage(e) }),
    }),
  );

  return (
    <section className="stack" aria-labelledby="waitlist-panel-title">
      <h2 id="waitlist-panel-title" className="card-title">
        Waitlist
      </h2>
      <p className="muted">
        When the showing (or a type) sells out, students can join the waitlist. Tickets that come free (returns, lapsed
        holds, tickets you add, tickets offered on the exchange) are held for the next person in line and e-mailed to them.
      </p>
      {list.isError ? (
        <Alert tone="danger">{errorMessage(list.error)}</Alert>
      ) : !list.data ? (
        <Skeleton height="8rem" />
      ) : (
        <>
          <p>
            <strong>{list.data.waiting}</strong> waiting · <strong>{list.data.offered}</strong> holding an offer
          </p>
          <div className="row">
            <Button busy={release.isPending} onClick={() => release.mutate({ showingId })}>
              Release to the waitlist
            </Button>
          </div>
          {result && (
            <Alert tone={result.tone} onDismiss={() => setResult(null)}>
              {result.text}
            </Alert>
          )}
          <WaitlistTable list={list.data} />
          <OfferMinutesForm key={list.data.offerMinutes} showingId={showingId} offerMinutes={list.data.offerMinutes} />
        </>
      )}
    </section>
  );
}

function WaitlistTable({ list }: { list: WaitlistList }) {
  if (list.entries.length === 0) {
    return (
      <EmptyState icon="ticket" title="Nobody is on the waitlist">
        Students can join once tickets are sold out.
      </EmptyState>
    );
  }
  return (
    <Table caption="Waitlist, in order">
      <thead>
        <tr>
          <th scope="col">Place</th>
          <th scope="col">Student</th>
          <th scope="col">Wants</th>
          <th scope="col">Joined</th>
          <th scope="col">State</th>
        </tr>
      </thead>
      <tbody>
        {list.entries.map((e) => (
          <tr key={`${e.username}-${e.joinedAt}`}>
            <td className="num">{e.place ?? "—"}</td>
            <td>
              {e.fullName} <span className="muted small">@{e.username}</span>
            </td>
            <td>{plural(e.count, e.type ? `${e.type} ticket` : "ticket")}</td>
            <td>{formatDateTime(e.joinedAt)}</td>
            <td>
              {e.state === "OFFERED" ? (
                <Badge tone="success">
                  Offered {e.offeredCount ?? ""} until {e.offerExpiresAt ? formatTime(e.offerExpiresAt) : "—"}
                </Badge>
              ) : (
                <Badge tone="neutral">Waiting</Badge>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

function offerSchema(showingId: number) {
  return z
    .object({ offerMinutes: z.string() })
    .transform((v, ctx) => checkedBy(waitlistConfigureInput, { showingId, offerMinutes: wholeNumber(v.offerMinutes) }, ctx));
}

function OfferMinutesForm({ showingId, offerMinutes }: { showingId: number; offerMinutes: number }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const announce = useAnnounce();
  const schema = useMemo(() => offerSchema(showingId), [showingId]);
  const form = useForm<{ offerMinutes: string }, unknown, z.output<typeof schema>>({
    resolver: zodResolver(schema),
    defaultValues: { offerMinutes: String(offerMinutes) },
  });
  const [serverError, setServerError] = useState<string | null>(null);
  const showServerIssues = useServerIssues(form.setError);
  const save = useMutation(
    trpc.waitlist.configure.mutationOptions({
      onSuccess: async (saved) => {
        setServerError(null);
        announce(`Offers now hold tickets for ${plural(saved.offerMinutes, "minute")}.`);
        await queryClient.invalidateQueries({ queryKey: trpc.waitlist.list.queryKey({ showingId }) });
      },
      onError: (error) => {
        setServerError(errorMessage(error));
        showServerIssues(error);
      },
    }),
  );
  return (
    <form className="stack-sm" noValidate aria-label="Waitlist offers" onSubmit={(e) => void form.handleSubmit((input) => save.mutate(input))(e)}>
      {serverError && <Alert tone="danger">{serverError}</Alert>}
      <TextField
        label="Offer holds tickets for (minutes)"
        hint="5 to 1440. Offers already made keep their time."
        inputMode="numeric"
        {...form.register("offerMinutes")}
        error={form.formState.errors.offerMinutes?.message}
      />
      <div>
        <Button type="submit" variant="secondary" busy={save.isPending}>
          Save offer time
        </Button>
      </div>
    </form>
  );
}
