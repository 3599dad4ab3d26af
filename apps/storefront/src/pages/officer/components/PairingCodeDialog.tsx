import { useState } from "react";
import { Alert, Button, Countdown, Dialog } from "../../../ui/index.ts";
import { QrSvg } from "./QrSvg.tsx";

export interface PairingCode {
  deviceName: string;
  code: string;
  expiresAt: string;
}

export function pairingLink(code: string): string {
  return `${window.location.origin}/kiosk/#pair=${encodeURIComponent(code)}`;
}

/**
 * The pairing code is shown once: the server keeps only its hash. The door tablet types it, scans the QR, or opens
 * the link; it works once, until it expires.
 */
export function PairingCodeDialog({ pairing, onClose }: { pairing: PairingCode | null; onClose: () => void }) {
  const [expired, setExpired] = useState(false);
  const [copied, setCopied] = useState<string | null>(null);
  const link = pairing ? pairingLink(pairing.code) : "";

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(link);
      setCopied("Link copied.");
    } catch {
      setCopied("Copying isn't allowed here: select the link and copy it yourself.");
    }
  };

  const close = () => {
    setExpired(false);
    setCopied(null);
    onClose();
  };

  return (
    <Dialog
      open={pairing !== null}
      onClose={close}
      title={pairing ? `Pair “${pairing.deviceName}”` : "Pair the door device"}
      footer={<Button onClick={close}>Done</Button>}
    >
      {pairing && (
        <div className="pairing">
          <p>
            On the door tablet, open <strong>{window.location.origin}/kiosk/</strong> and enter this code, or scan the QR
            code with it. This is the only time the code is shown.
          </p>
          <p className="pairing-code" aria-label={`Pairing code ${pairing.code.split("").join(" ")}`}>
            {pairing.code}
          </p>
          <div className="pairing-expiry">
            {expired ? (
              <Alert tone="warning">This code has expired. Close this and make a new code for the device.</Alert>
            ) : (
              <>
                Works once, for <Countdown to={pairing.expiresAt} style="clock" onDone={() => setExpired(true)} doneText="0:00" /> more.
              </>
            )}
          </div>
          <div className="pairing-qr">
            <QrSvg text={link} label={`QR code of the pairing link for ${pairing.deviceName}`} />
          </div>
          <p className="pairing-link mono">{link}</p>
          <div className="row">
            <Button variant="secondary" size="sm" onClick={() => void copy()}>
              Copy link
            </Button>
            {copied && (
              <span className="small muted" role="status">
                {copied}
              </span>
            )}
          </div>
        </div>
      )}
    </Dialog>
  );
}
