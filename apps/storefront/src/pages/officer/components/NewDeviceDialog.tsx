import { createDeviceInput } from "@admit/validators";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { errorMessage } from "../../../lib/errors.ts";
import { formatShowingTime } from "../../../lib/format.ts";
import { useTRPC } from "../../../lib/trpc.ts";
import { TextField } from "../../../ui/index.ts";
import type { ClubEvent } from "../lib/club-events.ts";
import { issuesByPath } from "../../../lib/issues.ts";
import { FormDialog } from "./FormDialog.tsx";
import { TicketTypeChoices, typesOfShowings } from "./TicketTypeChoices.tsx";
import type { PairingCode } from "./PairingCodeDialog.tsx";

interface Props {
  open: boolean;
  onClose: () => void;
  clubId: number;
  events: ClubEvent[];
  showingId: number;
  onCreated: (pairing: PairingCode) => void;
}

/** A new door device for one or more of the club's showings; the server answers with its pairing code. */
export function NewDeviceDialog({ open, onClose, clubId, events, showingId, onCreated }: Props) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [chosen, setChosen] = useState<ReadonlySet<number>>(() => new Set([showingId]));
  const [types, setTypes] = useState<ReadonlySet<string>>(() => new Set());
  const [errors, setErrors] = useState<Record<string, string>>({});
  const groupId = useId();
  const now = Date.now();
  const choices = events.flatMap((event) =>
    event.showings
      .filter((s) => s.id === showingId || new Date(s.endTime).getTime() > now)
      .map((s) => ({ id: s.id, label: `${event.name}: ${formatShowingTime(s.startTime, s.endTime)}` })),
  );

  const create = useMutation(
    trpc.kiosk.createDevice.mutationOptions({
      onSuccess: async (result) => {
        await queryClient.invalidateQueries({ queryKey: trpc.kiosk.listDevices.queryKey({ clubId }) });
        onCreated({ deviceName: result.device.name, code: result.pairingCode, expiresAt: result.pairingExpiresAt });
      },
      onError: (error) => setErrors({ form: errorMessage(error) }),
    }),
  );

  const submit = () => {
    const offered = new Set(typesOfShowings(events, chosen));
    const parsed = createDeviceInput.safeParse({ clubId, name, showingIds: [...chosen], allowedTypes: [...types].filter((t) => offered.has(t)) });
    if (!parsed.success) return setErrors(issuesByPath(parsed.error.issues));
    setErrors({});
    create.mutate(parsed.data);
  };

  const toggle = (id: number, on: boolean) =>
    setChosen((s) => {
      const next = new Set(s);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  return (
    <FormDialog
      open={open}
      onClose={onClose}
      title="Set up a door device"
      formId="device-form"
      submitLabel="Create and show code"
      busy={create.isPending}
      error={errors.form}
      onSubmit={submit}
    >
      <TextField label="Door name" hint="Shown on the tablet and in check-in records." value={name} onChange={(e) => setName(e.target.value)} error={errors.name} maxLength={60} autoFocus />
      <fieldset className="officer-choices" aria-describedby={errors.showingIds ? `${groupId}-error` : undefined}>
        <legend className="field-label">Showings it checks in</legend>
        {choices.map((c) => (
          <label key={c.id} className="officer-check">
            <input type="checkbox" checked={chosen.has(c.id)} onChange={(e) => toggle(c.id, e.target.checked)} />
            <span>{c.label}</span>
          </label>
        ))}
        {errors.showingIds && (
          <p className="field-error" id={`${groupId}-error`}>
            {errors.showingIds}
          </p>
        )}
      </fieldset>
      <TicketTypeChoices types={typesOfShowings(events, chosen)} chosen={types} onChange={setTypes} error={errors.allowedTypes} />
    </FormDialog>
  );
}
