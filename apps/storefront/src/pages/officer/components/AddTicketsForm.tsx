import { addTicketsSchema } from "@admit/validators";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { FormProvider, useFieldArray, useForm, useWatch } from "react-hook-form";
import { z } from "zod";
import { errorMessage } from "../../../lib/errors.ts";
import { plural } from "../../../lib/format.ts";
import { useTRPC } from "../../../lib/trpc.ts";
import { Alert, Button, useAnnounce } from "../../../ui/index.ts";
import type { ClubShowing } from "../lib/club-events.ts";
import { blankRow, checkedBy, listError, offeringRowSchema, rowToOffering, wholeNumber, type OfferingRow } from "../lib/offering-rows.ts";
import { useServerIssues } from "../lib/server-issues.ts";
import { CurrentTypeCard } from "./CurrentTypeCard.tsx";
import { OfferingFields } from "./OfferingFields.tsx";

interface Props {
  clubId: number;
  showing: ClubShowing;
  /** Why the list can no longer be rewritten. */
  reason: "sold" | "in-use";
}

interface AddValues {
  /** More tickets of each current type; an empty box adds none. */
  more: Array<{ type: string; count: string }>;
  /** New types, sent first: the server's `tickets.N` paths are these rows. */
  tickets: OfferingRow[];
}

const addLine = addTicketsSchema.shape.tickets.element;

/** The typed boxes, checked by the server's own schema (each line, then the list), into what the server takes. */
function addSchema(showingId: number) {
  const moreLine = z
    .object({ type: z.string(), count: z.string() })
    .transform((line, ctx) => (line.count.trim() === "" ? null : checkedBy(addLine, { type: line.type, count: wholeNumber(line.count) }, ctx)));
  return z
    .object({ more: z.array(moreLine), tickets: z.array(offeringRowSchema.transform((row, ctx) => rowToOffering(row, ctx, addLine))) })
    .transform((values, ctx) => {
      const more = values.more.filter((line) => line !== null);
      const result = addTicketsSchema.safeParse({ showingId, tickets: [...values.tickets, ...more] });
      if (result.success) return result.data;
      for (const issue of result.error.issues) {
        // A problem with an added line of a current type is shown at that type's box.
        const [, index] = issue.path;
        const line = typeof index === "number" && index >= values.tickets.length ? more[index - values.tickets.length] : undefined;
        const at = line ? values.more.indexOf(line) : -1;
        ctx.addIssue({ code: "custom", message: issue.message, path: at >= 0 ? ["more", at, "count"] : issue.path });
      }
      return z.NEVER;
    });
}

/** After sales start: more tickets of an existing type (same price and rules), or a new type. Nothing is removed. */
export function AddTicketsForm({ clubId, showing, reason }: Props) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const announce = useAnnounce();
  const schema = useMemo(() => addSchema(showing.id), [showing.id]);
  const empty = useMemo<AddValues>(() => ({ more: showing.types.map((t) => ({ type: t.type, count: "" })), tickets: [] }), [showing.types]);
  const form = useForm<AddValues, unknown, z.output<typeof schema>>({ resolver: zodResolver(schema), defaultValues: empty });
  const rows = useFieldArray({ control: form.control, name: "tickets" });
  const typed = useWatch({ control: form.control, name: "tickets" });
  const [serverError, setServerError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const showServerIssues = useServerIssues(form.setError);

  const add = useMutation(
    trpc.showing.addTickets.mutationOptions({
      onSuccess: async (result) => {
        const text = `Added ${plural(result.created, "ticket")}.`;
        setSaved(text);
        announce(text);
        form.reset(empty);
        await queryClient.invalidateQueries({ queryKey: trpc.club.events.queryKey({ clubId }) });
      },
      onError: (error) => {
        setServerError(errorMessage(error));
        showServerIssues(error);
      },
    }),
  );

  const submit = form.handleSubmit(
    (input) => {
      setServerError(null);
      setSaved(null);
      add.mutate(input);
    },
    () => {
      setSaved(null);
      setServerError(null);
    },
  );
  const { errors, isSubmitted } = form.formState;
  const formError =
    serverError ?? (isSubmitted && Object.keys(errors).length ? (listError(errors.tickets) ?? "Some lines need attention: see the highlighted fields.") : null);

  return (
    <FormProvider {...form}>
      <form className="stack" noValidate aria-label="Add tickets" onSubmit={(e) => void submit(e)}>
        <p className="muted">
          {reason === "sold"
            ? "Tickets of this showing are already sold or in checkouts, so existing tickets stay as they are. You can add more tickets of a type, or a new type."
            : "Some tickets are in use (being paid for, transferred or scanned), so you can only add tickets."}
        </p>
        {formError && <Alert tone="danger">{formError}</Alert>}
        {saved && <Alert tone="success">{saved}</Alert>}
        {showing.types.length > 0 && (
          <section className="stack-sm" aria-labelledby="current-types-title">
            <h2 id="current-types-title" className="card-title">
              Current ticket types
            </h2>
            <ul className="plain card-grid type-cards">
              {showing.types.map((t, i) => (
                <CurrentTypeCard key={t.type} type={t} name={`more.${i}.count`} />
              ))}
            </ul>
          </section>
        )}
        {rows.fields.map((row, i) => {
          const name = typed[i]?.type.trim();
          return (
            <OfferingFields
              key={row.id}
              name={`tickets.${i}`}
              index={i}
              legend={name ? `New ticket type: ${name}` : `New ticket type ${i + 1}`}
              onRemove={() => rows.remove(i)}
            />
          );
        })}
        <div className="row-between">
          <Button variant="secondary" onClick={() => rows.append(blankRow())}>
            Add a new ticket type
          </Button>
          <Button type="submit" busy={add.isPending}>
            Add tickets
          </Button>
        </div>
      </form>
    </FormProvider>
  );
}
