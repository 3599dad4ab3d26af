import { createShowingSchema, updateShowingSchema } from "@admit/validators";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "../../../lib/trpc.ts";
import { TextField } from "../../../ui/index.ts";
import { fromLocalInput, localZoneName, toLocalInput } from "../lib/datetime.ts";
import { useClubEventsForm } from "../lib/use-club-events-form.ts";
import { FormDialog } from "./FormDialog.tsx";

export interface EditableShowing {
  id: number;
  startTime: string;
  endTime: string;
  location: string | null;
  orderLimit: number;
  dropTime: string | null;
}

export interface ShowingFormDialogProps {
  open: boolean;
  onClose: () => void;
  clubId: number;
  eventId: number;
  /** Set when editing. */
  showing?: EditableShowing;
  onSaved: (showing: { id: number }) => void;
}

type Values = { start: string; end: string; location: string; orderLimit: string; drop: string };

function initialValues(showing?: EditableShowing): Values {
  return {
    start: toLocalInput(showing?.startTime),
    end: toLocalInput(showing?.endTime),
    location: showing?.location ?? "",
    orderLimit: showing ? String(showing.orderLimit) : "",
    drop: toLocalInput(showing?.dropTime),
  };
}

/** Checks the parts a schema cannot word well (empty or unreadable dates); the schema checks the rest. */
function dateProblems(values: Values): Record<string, string> {
  const problems: Record<string, string> = {};
  if (!values.start) problems.startTime = "Choose when the showing starts.";
  else if (fromLocalInput(values.start) === undefined) problems.startTime = "This is not a date and time we can read.";
  if (!values.end) problems.endTime = "Choose when the showing ends.";
  else if (fromLocalInput(values.end) === undefined) problems.endTime = "This is not a date and time we can read.";
  if (values.drop && fromLocalInput(values.drop) === undefined) problems.dropTime = "This is not a date and time we can read.";
  return problems;
}

/** When and where a showing is, how many tickets one person may buy, and when sales open. */
export function ShowingFormDialog({ open, onClose, clubId, eventId, showing, onSaved }: ShowingFormDialogProps) {
  const trpc = useTRPC();
  const initial = initialValues(showing);
  const [values, setValues] = useState(initial);
  const set = (key: keyof Values) => (e: React.ChangeEvent<HTMLInputElement>) => setValues((v) => ({ ...v, [key]: e.target.value }));
  const form = useClubEventsForm({ clubId, onClose, onSaved, savedMessage: () => (showing ? "Showing saved." : "Showing added.") });
  const create = useMutation(trpc.showing.create.mutationOptions(form.mutationCallbacks));
  const update = useMutation(trpc.showing.update.mutationOptions(form.mutationCallbacks));
  const { errors } = form;

  const submit = () => {
    const problems = dateProblems(values);
    if (Object.keys(problems).length) return form.setErrors(problems);
    const orderLimit = values.orderLimit.trim() === "" ? undefined : Number(values.orderLimit);
    // Only times the officer changed are sent: the inputs hold whole minutes, and an unchanged drop time must not
    // count as a change once tickets are sold.
    const changed = (key: "start" | "end" | "drop") => !showing || values[key] !== initial[key];
    const fields = {
      ...(changed("start") ? { startTime: fromLocalInput(values.start) } : {}),
      ...(changed("end") ? { endTime: fromLocalInput(values.end) } : {}),
      ...(changed("drop") ? { dropTime: fromLocalInput(values.drop) } : {}),
      location: values.location,
      ...(orderLimit === undefined ? {} : { orderLimit }),
    };
    if (showing) form.send(updateShowingSchema.safeParse({ showingId: showing.id, ...fields }), update.mutate);
    else form.send(createShowingSchema.safeParse({ eventId, ...fields }), create.mutate);
  };

  const zone = localZoneName();
  return (
    <FormDialog
      open={open}
      onClose={form.close}
      title={showing ? "Edit showing" : "Add a showing"}
      formId="showing-form"
      submitLabel={showing ? "Save showing" : "Add showing"}
      busy={create.isPending || update.isPending}
      error={errors.form}
      onSubmit={submit}
    >
      <p className="muted small">Times are in your time zone ({zone}).</p>
      <div className="officer-form-grid">
        <TextField label="Starts" type="datetime-local" value={values.start} onChange={set("start")} error={errors.startTime} required autoFocus />
        <TextField label="Ends" type="datetime-local" value={values.end} onChange={set("end")} error={errors.endTime} required />
      </div>
      <TextField label="Location" value={values.location} onChange={set("location")} error={errors.location} maxLength={200} />
      <div className="officer-form-grid">
        <TextField
          label="Tickets per person"
          hint="The most one student may buy. Leave empty for the usual limit."
          type="number"
          inputMode="numeric"
          min={1}
          max={1000}
          value={values.orderLimit}
          onChange={set("orderLimit")}
          error={errors.orderLimit}
        />
        <TextField
          label="Sales open"
          hint="Leave empty to sell as soon as tickets are listed."
          type="datetime-local"
          value={values.drop}
          onChange={set("drop")}
          error={errors.dropTime}
        />
      </div>
    </FormDialog>
  );
}
