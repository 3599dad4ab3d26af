import { setOfferingsSchema } from "@admit/validators";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { appCodeOf, errorMessage } from "../../../lib/errors.ts";
import { plural } from "../../../lib/format.ts";
import { useTRPC } from "../../../lib/trpc.ts";
import { Alert, Button, useAnnounce } from "../../../ui/index.ts";
import type { ClubShowing } from "../lib/club-events.ts";
import { issuesByPath } from "../../../lib/issues.ts";
import { blankRow, rowFromType, rowToOffering, type OfferingRow } from "../lib/offering-rows.ts";
import { serverIssues } from "../lib/server-issues.ts";
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

function ReplaceOfferingsForm({ clubId, showing, onInUse }: { clubId: number; showing: ClubShowing; onInUse: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const announce = useAnnounce();
  const [rows, setRows] = useState<OfferingRow[]>(() => (showing.types.length ? showing.types.map(rowFromType) : [blankRow()]));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [inUse, setInUse] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);

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
        setErrors({ ...issuesByPath(serverIssues(error)), form: errorMessage(error) });
      },
    }),
  );

  const submit = () => {
    setSaved(null);
    const converted = rows.map(rowToOffering);
    const parsed = setOfferingsSchema.safeParse({ showingId: showing.id, offerings: converted.map((c) => c.offering) });
    const found = parsed.success ? {} : issuesByPath(parsed.error.issues);
    converted.forEach((c, i) => {
      for (const [field, message] of Object.entries(c.problems)) found[`offerings.${i}.${field}`] = message;
    });
    if (Object.keys(found).length || !parsed.success) {
      setErrors({ ...found, form: found.offerings ?? found.form ?? "Some ticket types need attention: see the highlighted fields." });
      return;
    }
    setErrors({});
    save.mutate(parsed.data);
  };

  const rowErrors = (i: number) => ({
    type: errors[`offerings.${i}.type`],
    count: errors[`offerings.${i}.count`],
    price: errors[`offerings.${i}.price`],
    groupDiscount: errors[`offerings.${i}.groupDiscount`],
    groupSize: errors[`offerings.${i}.groupSize`],
  });

  return (
    <form
      className="stack"
      noValidate
      aria-label="Ticket types"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <p className="muted">
        Nothing has been sold yet, so you can change anything here. Saving replaces every ticket of this showing with
        the list below.
      </p>
      {errors.form && (
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
          {errors.form}
        </Alert>
      )}
      {saved && <Alert tone="success">{saved}</Alert>}
      {rows.length === 0 && <Alert tone="warning">No ticket types: saving takes every ticket of this showing off sale.</Alert>}
      {rows.map((row, i) => (
        <OfferingFields
          key={row.key}
          row={row}
          index={i}
          legend={row.type.trim() ? `Ticket type: ${row.type.trim()}` : `Ticket type ${i + 1}`}
          errors={rowErrors(i)}
          onChange={(next) => setRows((all) => all.map((r) => (r.key === row.key ? next : r)))}
          onRemove={() => setRows((all) => all.filter((r) => r.key !== row.key))}
        />
      ))}
      <div className="row-between">
        <Button variant="secondary" onClick={() => setRows((all) => [...all, blankRow()])}>
          Add a ticket type
        </Button>
        <Button type="submit" busy={save.isPending}>
          Save ticket types
        </Button>
      </div>
    </form>
  );
}
