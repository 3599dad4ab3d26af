import { setOfferingsSchema } from "@admit/validators";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { FormProvider, useFieldArray, useForm, useWatch } from "react-hook-form";
import { z } from "zod";
import { appCodeOf, errorMessage } from "../../../lib/errors.ts";
import { plural } from "../../../lib/format.ts";
import { useTRPC } from "../../../lib/trpc.ts";
import { Alert, Button, useAnnounce } from "../../../ui/index.ts";
import type { ClubShowing } from "../lib/club-events.ts";
import { blankRow, checkedBy, listError, offeringRowSchema, rowFromType, rowToOffering, type OfferingRow } from "../lib/offering-rows.ts";
import { useServerIssues } from "../lib/server-issues.ts";
import { AddTicketsForm } from "./AddTicketsForm.tsx";
import { OfferingFields } from "./OfferingFields.tsx";

/**
 * What a showing sells. Until a ticket is held or sold the whole list can be rewritten (the server replaces every
 * ticket); after that tickets can only be added, so nothing a student bought is touched.
 */
export function OfferingsEditor({ clubId, showing }: { clubId: number; showing: ClubShowing }) {
  const started = showing.sold + showing.held > 0;
  const [forceAdd, setForceAdd] = useState(false);
  if (started || forceAdd) {
    return <AddTicketsForm clubId={clubId} showing={showing} reason={started ? "sold" : "in-use"} />;
  }
  return <ReplaceOfferingsForm clubId={clubId} showing={showing} onInUse={() => setForceAdd(true)} />;
}

interface ReplaceValues {
  offerings: OfferingRow[];
}

/** The typed rows, checked by the server's own schema (row by row, then the list), into what the server takes. */
function replaceSchema(showingId: number) {
  return z
    .object({ offerings: z.array(offeringRowSchema.transform(rowToOffering)) })
    .transform((values, ctx) => checkedBy(setOfferingsSchema, { showingId, offerings: values.offerings }, ctx));
}

function ReplaceOfferingsForm({ clubId, showing, onInUse }: { clubId: number; showing: ClubShowing; onInUse: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const announce = useAnnounce();
  const schema = useMemo(() => replaceSchema(showing.id), [showing.id]);
  const form = useForm<ReplaceValues, unknown, z.output<typeof schema>>({
    resolver: zodResolver(schema),
    defaultValues: { offerings: showing.types.length ? showing.types.map(rowFromType) : [blankRow()] },
  });
  const rows = useFieldArray({ control: form.control, name: "offerings" });
  const typed = useWatch({ control: form.control, name: "offerings" });
  const [serverError, setServerError] = useState<string | null>(null);
  const [inUse, setInUse] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const showServerIssues = useServerIssues(form.setError);

  const save = useMutation(
    trpc.showing.setOfferings.mutationOptions({
      onSuccess: async (result) => {
        const text = `Saved: ${plural(result.created, "ticket")} listed.`;
        setSaved(text);
        announce(text);
        await queryClient.invalidateQueries({ queryKey: trpc.club.events.queryKey({ clubId }) });
      },
      onError: (error) => {
        setInUse(appCodeOf(error) === "HAS_TICKETS");
        setServerError(errorMessage(error));
        showServerIssues(error);
      },
    }),
  );

  const submit = form.handleSubmit(
    (input) => {
      setServerError(null);
      save.mutate(input);
    },
    () => {
      setSaved(null);
      setServerError(null);
    },
  );
  const { errors, isSubmitted } = form.formState;
  const formError =
    serverError ??
    (isSubmitted && Object.keys(errors).length
      ? (listError(errors.offerings) ?? "Some ticket types need attention: see the highlighted fields.")
      : null);

  return (
    <FormProvider {...form}>
      <form className="stack" noValidate aria-label="Ticket types" onSubmit={(e) => void submit(e)}>
        <p className="muted">
          Nothing has been sold yet, so you can change anything here. Saving replaces every ticket of this showing with
          the list below.
        </p>
        {formError && (
          <Alert
            tone="danger"
            actions={
              inUse && (
                <Button variant="secondary" size="sm" onClick={onInUse}>
                  Add tickets instead
                </Button>
              )
            }
          >
            {formError}
          </Alert>
        )}
        {saved && <Alert tone="success">{saved}</Alert>}
        {rows.fields.length === 0 && <Alert tone="warning">No ticket types: saving takes every ticket of this showing off sale.</Alert>}
        {rows.fields.map((row, i) => {
          const name = typed[i]?.type.trim();
          return (
            <OfferingFields
              key={row.id}
              name={`offerings.${i}`}
              index={i}
              legend={name ? `Ticket type: ${name}` : `Ticket type ${i + 1}`}
              onRemove={() => rows.remove(i)}
            />
          );
        })}
        <div className="row-between">
          <Button variant="secondary" onClick={() => rows.append(blankRow())}>
            Add a ticket type
          </Button>
          <Button type="submit" busy={save.isPending}>
            Save ticket types
          </Button>
        </div>
      </form>
    </FormProvider>
  );
}
