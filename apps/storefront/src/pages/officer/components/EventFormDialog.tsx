import { createEventSchema, updateEventSchema } from "@admit/validators";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "../../../lib/trpc.ts";
import { Field, Textarea, TextField } from "../../../ui/index.ts";
import { useClubEventsForm } from "../lib/use-club-events-form.ts";
import { FormDialog } from "./FormDialog.tsx";

export interface EventFormDialogProps {
  open: boolean;
  onClose: () => void;
  clubId: number;
  /** Set when editing an existing event. */
  event?: { id: number; name: string; description: string };
  onSaved: (event: { id: number; name: string }) => void;
}

/** Name and description of an event, for creating one or changing it. */
export function EventFormDialog({ open, onClose, clubId, event, onSaved }: EventFormDialogProps) {
  const trpc = useTRPC();
  const [name, setName] = useState(event?.name ?? "");
  const [description, setDescription] = useState(event?.description ?? "");
  const form = useClubEventsForm({ clubId, onClose, onSaved, savedMessage: (saved) => (event ? `Saved ${saved.name}.` : `Created ${saved.name}.`) });
  const create = useMutation(trpc.event.create.mutationOptions(form.mutationCallbacks));
  const update = useMutation(trpc.event.update.mutationOptions(form.mutationCallbacks));

  const submit = () => {
    if (event) form.send(updateEventSchema.safeParse({ eventId: event.id, name, description }), update.mutate);
    else form.send(createEventSchema.safeParse({ clubId, name, description }), create.mutate);
  };

  return (
    <FormDialog
      open={open}
      onClose={form.close}
      title={event ? "Edit event" : "New event"}
      formId="event-form"
      submitLabel={event ? "Save event" : "Create event"}
      busy={create.isPending || update.isPending}
      error={form.errors.form}
      onSubmit={submit}
    >
      <TextField label="Event name" value={name} onChange={(e) => setName(e.target.value)} error={form.errors.name} maxLength={200} autoFocus required />
      <Field label="Description" hint="What students see on the event page." error={form.errors.description}>
        {(control) => <Textarea {...control} value={description} onChange={(e) => setDescription(e.target.value)} maxLength={5000} rows={4} />}
      </Field>
    </FormDialog>
  );
}
