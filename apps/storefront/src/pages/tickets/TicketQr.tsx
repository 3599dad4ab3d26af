import { useState } from "react";
import type { Outputs } from "../../lib/api-types.ts";
import { Alert, Card } from "../../ui/index.ts";

type Ticket = Outputs["ticket"]["get"];

/** The server draws each QR module as an 8 by 8 pixel square. */
const PIXELS_PER_MODULE = 8;
const MIN_CSS_PX = 280;

/**
 * The largest size up to `maxCss` CSS pixels at which every module covers a whole number of screen pixels, so the
 * edges stay sharp; null when no such size is at least 280 CSS pixels (the stylesheet's size is used then).
 */
export function crispQrSize(naturalWidth: number, devicePixelRatio: number, maxCss: number): number | null {
  const modules = naturalWidth / PIXELS_PER_MODULE;
  if (!Number.isInteger(modules) || modules === 0) return null;
  const devicePxPerModule = Math.floor((maxCss * devicePixelRatio) / modules);
  const css = (modules * devicePxPerModule) / devicePixelRatio;
  return css >= MIN_CSS_PX ? css : null;
}

/**
 * The QR code big and sharp enough for a door tablet's camera: at least 280 CSS pixels, scaled without smoothing,
 * on a white quiet zone. The generation in the address makes a reissued code replace a cached old one.
 */
export function TicketQr({ ticket, ended }: { ticket: Ticket; ended: boolean }) {
  const [failed, setFailed] = useState(false);
  const [size, setSize] = useState<number | null>(null);
  return (
    <Card className="qr-card">
      <h2 className="visually-hidden">QR code</h2>
      <div className="qr-frame">
        {failed ? (
          <div className="qr-failed">
            <Alert tone="danger">The QR code didn't load. Check your connection and reload the page.</Alert>
          </div>
        ) : (
          <img
            className="qr-image"
            src={`/api/tickets/${ticket.id}/qr/?v=${ticket.qr_generation}`}
            alt={`QR code for your ${ticket.type} ticket to ${ticket.event.name}`}
            style={size ? { width: size, height: size } : undefined}
            onLoad={(event) => {
              const box = event.currentTarget.parentElement?.clientWidth ?? 0;
              setSize(crispQrSize(event.currentTarget.naturalWidth, window.devicePixelRatio || 1, Math.max(box - 24, MIN_CSS_PX)));
            }}
            onError={() => setFailed(true)}
          />
        )}
      </div>
      <p className="qr-type">{ticket.type}</p>
      {ended ? (
        <p className="small muted qr-tip">This showing has ended.</p>
      ) : ticket.attended ? (
        <p className="small qr-tip">You're checked in. Enjoy the show!</p>
      ) : (
        <p className="small qr-tip">
          <strong>At the door:</strong> turn your screen brightness all the way up and hold the code steady, about a
          hand's width from the scanner.
        </p>
      )}
    </Card>
  );
}
