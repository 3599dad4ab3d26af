import { doorSettingsInput } from "@admit/validators";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { errorMessage } from "../../../lib/errors.ts";
import { issuesByPath } from "../../../lib/issues.ts";
import { useTRPC } from "../../../lib/trpc.ts";
import { Alert, Button, TextField, useAnnounce } from "../../../ui/index.ts";

interface Props {
  clubId: number;
  showingId: number;
  capacity: number | null;
  privateNames: boolean;
}

/** The showing's door settings: the capacity alarm and first-names-only privacy on the door devices. */
export function DoorSettingsForm({ clubId, showingId, capacity, privateNames }: Props) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const announce = useAnnounce();
  const [capacityText, setCapacityText] = useState(capacity === null ? "" : String(capacity));
  const [privacy, setPrivacy] = useState(privateNames);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const save = useMutation(
    trpc.kiosk.setDoorSettings.mutationOptions({
      onSuccess: async (saved) => {
        announce(
          `Door settings saved: ${saved.capacity === null ? "no capacity alarm" : `alarm at ${saved.capacity} inside`}, ${saved.privateNames ? "first names only at the door" : "full names at the door"}.`,
        );
        await queryClient.invalidateQueries({ queryKey: trpc.kiosk.doorLive.queryKey({ clubId, showingId }) });
      },
      onError: (error) => setErrors({ form: errorMessage(error) }),
    }),
  );
  const submit = () => {
    const trimmed = capacityText.trim();
    const parsed = doorSettingsInput.safeParse({ clubId, showingId, capacity: trimmed === "" ? null : Number(trimmed), privateNames: privacy });
    if (!parsed.success) return setErrors(issuesByPath(parsed.error.issues));
    setErrors({});
    save.mutate(parsed.data);
  };
  return (
    <form
      className="stack-sm door-settings"
      aria-labelledby="door-settings-title"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <h3 id="door-settings-title" className="section-subtitle">
        Door settings
      </h3>
      {errors.form && (
        <Alert tone="danger" onDismiss={() => setErrors({})}>
          {errors.form}
        </Alert>
      )}
      <TextField
        label="Capacity alarm"
        hint="Door devices and this page warn when this many people are inside. Leave empty for no alarm."
        inputMode="numeric"
        value={capacityText}
        onChange={(e) => setCapacityText(e.target.value)}
        error={errors.capacity}
      />
      <label className="officer-check">
        <input type="checkbox" checked={privacy} onChange={(e) => setPrivacy(e.target.checked)} />
        <span>Privacy at the door: door devices show the first name and ticket type only</span>
      </label>
      <div>
        <Button type="submit" variant="secondary" busy={save.isPending}>
          Save door settings
        </Button>
      </div>
    </form>
  );
}
