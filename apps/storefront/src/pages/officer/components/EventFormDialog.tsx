import { createEventSchema, updateEventSchema } from "@admit/validators";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { errorMessage } from "../../../lib/errors.ts";
import { useTRPC } from "../../../lib/trpc.ts";
import { Alert, Button, Dialog, Field, Textarea, TextField, useAnnounce } from "../../../ui/index.ts";
import { issuesByPath } from "../lib/issues.ts";
import { serverIssues } from "../lib/server-issues.ts";

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
  const queryClient = useQueryClient();
  const announce = useAnnounce();
  const [name, setName] = useState(event?.name ?? "");
  const [description, setDescription] = useState(event?.description ?? "");
  const [errors, setErrors] = useState<Record<string, string>>({});

  const done = async (saved: { id: number; name: string }) => {
    announce(event ? `Saved ${saved.name}.` : `Created ${saved.name}.`);
    await queryClient.invalidateQueries({ queryKey: trpc.club.events.queryKey({ clubId }) });
    onSaved(saved);
  };
  const fail = (error: unknown) => setErrors({ ...issuesByPath(serverIssues(error)), form: errorMessage(error) });
  const create = useMutation(trpc.event.create.mutationOptions({ onSuccess: done, onError: fail }));
  const update = useMutation(trpc.event.update.mutationOptions({ onSuccess: done, onError: fail }));
  const busy = create.isPending || update.isPending;

  const submit = () => {
    if (event) {
      const parsed = updateEventSchema.safeParse({ eventId: event.id, name, description });
      if (!parsed.success) return setErrors(issuesByPath(parsed.error.issues));
      setErrors({});
      update.mutate(parsed.data);
    } else {
      const parsed = createEventSchema.safeParse({ clubId, name, description });
      if (!parsed.success) return setErrors(issuesByPath(parsed.error.issues));
      setErrors({});
      create.mutate(parsed.data);
    }
  };

  const close = () => {
    setErrors({});
    onClose();
  };

  return (
    <Dialog
      open={open}
      onClose={close}
      title={event ? "Edit event" : "New event"}
      footer={
        <>
          <Button variant="secondary" onClick={close} disabled={busy}>
            Cancel
          </Button>
          <Button type="submit" form="event-form" busy={busy}>
            {event ? "Save event" : "Create event"}
          </Button>
        </>
      }
    >
      {errors.form && <Alert tone="danger">{errors.form}</Alert>}
      <form
        id="event-form"
        className="stack"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <TextField label="Event name" value={name} onChange={(e) => setName(e.target.value)} error={errors.name} maxLength={200} autoFocus required />
        <Field label="Description" hint="What students see on the event page." error={errors.description}>
          {(control) => <Textarea {...control} value={description} onChange={(e) => setDescription(e.target.value)} maxLength={5000} rows={4} />}
        </Field>
      </form>
    </Dialog>
  );
}
