import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { errorMessage } from "../../../lib/errors.ts";
import { useTRPC } from "../../../lib/trpc.ts";
import { Alert, Button, EmptyState, ErrorState, SkeletonList, useAnnounce } from "../../../ui/index.ts";
import { LIVE_REFRESH_MS, type ClubEvent } from "../lib/club-events.ts";
import { useDisclosure } from "../lib/use-disclosure.ts";
import { ConfirmDialog } from "./ConfirmDialog.tsx";
import { ConflictsList } from "./ConflictsList.tsx";
import { formatDateTime } from "../../../lib/format.ts";
import { DeviceCard, type Device } from "./DeviceCard.tsx";
import { DeviceTypesDialog } from "./DeviceTypesDialog.tsx";
import { NewDeviceDialog } from "./NewDeviceDialog.tsx";
import { PairingCodeDialog, type PairingCode } from "./PairingCodeDialog.tsx";

/** The door devices that scan this showing, pairing and revoking them, and the check-in conflicts they reported. */
export function DoorPanel({ clubId, showingId, events }: { clubId: number; showingId: number; events: ClubEvent[] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const announce = useAnnounce();
  const devices = useQuery({ ...trpc.kiosk.listDevices.queryOptions({ clubId }), refetchInterval: LIVE_REFRESH_MS });
  const newDevice = useDisclosure();
  const [pairing, setPairing] = useState<PairingCode | null>(null);
  const [revoking, setRevoking] = useState<Device | null>(null);
  const [editingTypes, setEditingTypes] = useState<Device | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.kiosk.listDevices.queryKey({ clubId }) });

  const renew = useMutation(
    trpc.kiosk.renewPairingCode.mutationOptions({
      onSuccess: async (result, { deviceId }) => {
        const device = devices.data?.find((d) => d.id === deviceId);
        setPairing({ deviceName: device?.name ?? "Door device", code: result.pairingCode, expiresAt: result.pairingExpiresAt });
        await refresh();
      },
      onError: (error) => setFailure(errorMessage(error)),
    }),
  );
  const revoke = useMutation(
    trpc.kiosk.revokeDevice.mutationOptions({
      onSuccess: async () => {
        announce(`${revoking?.name ?? "The device"} is revoked: it stops checking people in when it next reaches the server.`);
        setRevoking(null);
        await refresh();
      },
    }),
  );

  const here = (devices.data ?? []).filter((d) => d.showings.some((s) => s.id === showingId));
  const active = here.filter((d) => !d.revokedAt);
  const revoked = here.filter((d) => d.revokedAt);

  return (
    <div className="stack-lg">
      <section className="stack" aria-labelledby="devices-title">
        <div className="row-between">
          <h2 id="devices-title" className="section-title">
            Door devices
          </h2>
          <Button onClick={newDevice.show}>Set up a door device</Button>
        </div>
        <p className="muted">
          A tablet or phone at the door runs the check-in app. Pair it with a one-time code; revoke it when it is lost
          or the event is over.
        </p>
        {failure && (
          <Alert tone="danger" onDismiss={() => setFailure(null)}>
            {failure}
          </Alert>
        )}
        {devices.isPending ? (
          <SkeletonList count={2} height="6rem" label="Loading door devices" />
        ) : devices.isError ? (
          <ErrorState error={devices.error} onRetry={() => void devices.refetch()} title="Door devices didn't load" />
        ) : here.length === 0 ? (
          <EmptyState icon="ticket" title="No door devices yet">
            Set one up to scan tickets at the door, even without Wi-Fi.
          </EmptyState>
        ) : (
          <ul className="plain card-grid device-list">
            {[...active, ...revoked].map((device) => (
              <DeviceCard
                key={device.id}
                device={device}
                renewing={renew.isPending && renew.variables?.deviceId === device.id}
                onRenew={() => renew.mutate({ clubId, deviceId: device.id })}
                onEditTypes={() => setEditingTypes(device)}
                onRevoke={() => {
                  revoke.reset();
                  setRevoking(device);
                }}
              />
            ))}
          </ul>
        )}
      </section>
      <ConflictsList clubId={clubId} showingId={showingId} />
      <NewDeviceDialog
        key={newDevice.key}
        open={newDevice.open}
        onClose={newDevice.hide}
        clubId={clubId}
        events={events}
        showingId={showingId}
        onCreated={(code) => {
          newDevice.hide();
          setPairing(code);
        }}
      />
      <PairingCodeDialog pairing={pairing} onClose={() => setPairing(null)} />
      <DeviceTypesDialog key={editingTypes?.id ?? "none"} device={editingTypes} clubId={clubId} events={events} onClose={() => setEditingTypes(null)} />
      <ConfirmDialog
        open={revoking !== null}
        title={`Revoke “${revoking?.name ?? ""}”?`}
        confirmLabel="Revoke device"
        busy={revoke.isPending}
        error={revoke.isError ? errorMessage(revoke.error) : null}
        onClose={() => setRevoking(null)}
        onConfirm={() => revoking && revoke.mutate({ clubId, deviceId: revoking.id })}
      >
        {/* The latest figures while the dialog is open: the list refreshes on its own. */}
        {revoking && <RevokeConsequences device={devices.data?.find((d) => d.id === revoking.id) ?? revoking} />}
      </ConfirmDialog>
    </div>
  );
}

/**
 * What revoking does, as it is: a device that can reach the server stops within seconds; one that is offline keeps
 * admitting from its own data until it next reaches the server. Either way it then sends the scans it made before
 * now (later ones are refused) and deletes its data.
 */
function RevokeConsequences({ device }: { device: Device }) {
  const unsent = device.unsentScans;
  return (
    <div className="stack" data-testid="revoke-consequences">
      <p>
        The device can't be paired again. If it is online it stops checking people in within seconds. If it is offline,
        it keeps checking people in from its own copy of the guest list until it next reaches the server.
      </p>
      <p>
        When it next connects, it sends every scan it made before now (later ones are refused), then deletes its data.
        Scans it already sent are kept.
      </p>
      <p data-testid="revoke-unsent" data-count={unsent ?? ""}>
        {unsent === null
          ? "This device has not reported how many scans it still has to send."
          : unsent === 0
            ? `It had sent all its scans when it was last seen${device.lastSeenAt ? ` (${formatDateTime(device.lastSeenAt)})` : ""}.`
            : `When it was last seen${device.lastSeenAt ? ` (${formatDateTime(device.lastSeenAt)})` : ""}, it had ${unsent} ${unsent === 1 ? "scan" : "scans"} not sent yet; they arrive when it reconnects.`}
      </p>
    </div>
  );
}
