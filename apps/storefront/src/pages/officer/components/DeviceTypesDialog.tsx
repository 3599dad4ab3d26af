import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { errorMessage } from "../../../lib/errors.ts";
import { useTRPC } from "../../../lib/trpc.ts";
import { useAnnounce } from "../../../ui/index.ts";
import type { ClubEvent } from "../lib/club-events.ts";
import type { Device } from "./DeviceCard.tsx";
import { FormDialog } from "./FormDialog.tsx";
import { TicketTypeChoices, typesOfShowings } from "./TicketTypeChoices.tsx";

interface Props {
  device: Device | null;
  clubId: number;
  events: ClubEvent[];
  onClose: () => void;
}

/** Changes which ticket types a door admits; the tablet applies it with its next sync (within seconds online). */
export function DeviceTypesDialog({ device, clubId, events, onClose }: Props) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const announce = useAnnounce();
  const [chosen, setChosen] = useState<ReadonlySet<string>>(() => new Set(device?.allowedTypes ?? []));
  const [error, setError] = useState<string | null>(null);
  const save = useMutation(
    trpc.kiosk.setAllowedTypes.mutationOptions({
      onSuccess: async (saved) => {
        announce(saved.allowedTypes.length ? `${saved.name} now admits ${saved.allowedTypes.join(", ")} only.` : `${saved.name} now admits every ticket type.`);
        await queryClient.invalidateQueries({ queryKey: trpc.kiosk.listDevices.queryKey({ clubId }) });
        onClose();
      },
      onError: (failure) => setError(errorMessage(failure)),
    }),
  );
  const types = device ? typesOfShowings(events, new Set(device.showings.map((s) => s.id))) : [];
  return (
    <FormDialog
      open={device !== null}
      onClose={onClose}
      title={`Ticket types for “${device?.name ?? ""}”`}
      formId="device-types-form"
      submitLabel="Save ticket types"
      busy={save.isPending}
      error={error}
      onSubmit={() => device && save.mutate({ clubId, deviceId: device.id, allowedTypes: [...chosen] })}
    >
      <TicketTypeChoices types={types} chosen={chosen} onChange={setChosen} />
    </FormDialog>
  );
}
