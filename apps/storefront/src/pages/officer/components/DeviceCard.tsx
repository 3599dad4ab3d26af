import type { Outputs } from "../../../lib/api-types.ts";
import { formatDateTime } from "../../../lib/format.ts";
import { Badge, Button, Card } from "../../../ui/index.ts";

export type Device = Outputs["kiosk"]["listDevices"][number];

function status(device: Device) {
  if (device.revokedAt) return <Badge tone="neutral">Revoked {formatDateTime(device.revokedAt)}</Badge>;
  if (device.pairingOpen) return <Badge tone="info">{device.pairedAt ? "New code waiting" : "Waiting to pair"}</Badge>;
  if (device.pairedAt) return <Badge tone="success">Paired</Badge>;
  return <Badge tone="warning">Code expired</Badge>;
}

interface Props {
  device: Device;
  onRenew: () => void;
  onRevoke: () => void;
  /** Change which ticket types the door admits. */
  onEditTypes: () => void;
  renewing: boolean;
}

/** One door device: its state, when it last checked in with the server, and what it may scan. */
export function DeviceCard({ device, onRenew, onRevoke, onEditTypes, renewing }: Props) {
  const revoked = Boolean(device.revokedAt);
  return (
    <Card as="li" className="stack-sm device-card">
      <div className="row-between device-head">
        <h3 className="device-name">{device.name}</h3>
        {status(device)}
      </div>
      <p className="muted small">
        {device.lastSeenAt ? `Last seen ${formatDateTime(device.lastSeenAt)}` : device.pairedAt ? "Paired, not seen since" : "Not paired yet"}
        {" · "}
        {device.showings.length === 1 ? "1 showing" : `${device.showings.length} showings`}
      </p>
      <p className="small door-types" data-testid="device-types">
        {device.allowedTypes.length ? (
          <>
            Admits <strong>{device.allowedTypes.join(", ")}</strong> only
          </>
        ) : (
          "Admits every ticket type"
        )}
      </p>
      {!revoked && (
        <div className="row">
          <Button variant="secondary" size="sm" busy={renewing} onClick={onRenew} aria-label={`New pairing code for ${device.name}`}>
            New pairing code
          </Button>
          <Button variant="secondary" size="sm" onClick={onEditTypes} aria-label={`Ticket types for ${device.name}`}>
            Ticket types
          </Button>
          <Button variant="danger" size="sm" onClick={onRevoke} aria-label={`Revoke ${device.name}`}>
            Revoke
          </Button>
        </div>
      )}
    </Card>
  );
}
