import QRCode from "qrcode";
import { useMemo } from "react";

/**
 * A QR code drawn as an SVG from the text, in the browser (nothing is sent anywhere). One path of unit squares with
 * a four-module quiet zone, scaled crisp at any size.
 */
export function QrSvg({ text, label, size = 220 }: { text: string; label: string; size?: number }) {
  const { path, dimension } = useMemo(() => {
    const { modules } = QRCode.create(text, { errorCorrectionLevel: "M" });
    const quiet = 4;
    let d = "";
    for (let row = 0; row < modules.size; row++) {
      for (let col = 0; col < modules.size; col++) {
        if (modules.get(row, col)) d += `M${col + quiet} ${row + quiet}h1v1h-1z`;
      }
    }
    return { path: d, dimension: modules.size + quiet * 2 };
  }, [text]);
  return (
    <svg
      className="officer-qr"
      role="img"
      aria-label={label}
      width={size}
      height={size}
      viewBox={`0 0 ${dimension} ${dimension}`}
      shapeRendering="crispEdges"
    >
      <rect width={dimension} height={dimension} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}
