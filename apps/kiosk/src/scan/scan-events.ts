import { useEffect } from "react";
import type { Kiosk, ShownResult } from "../kiosk.ts";

/** Other scanner sources (a hardware scan engine behind a WebView bridge, automation) hand codes in this way. */
export const SCAN_EVENT = "admit:scan";
export type ScanEventDetail = { code: string; done?: (result: ShownResult | null) => void };

/** Decides codes handed in as SCAN_EVENT exactly like camera and hand-scanner codes, and tells the sender the result. */
export function useScanEvents(
  kiosk: Kiosk,
  show: (shown: ShownResult | null) => ShownResult | null,
  failed: (error: unknown) => void,
): void {
  useEffect(() => {
    const onScan = (event: Event) => {
      const detail = (event as CustomEvent<ScanEventDetail>).detail;
      void kiosk.submit(detail.code).then(
        (shown) => detail.done?.(show(shown)),
        (error: unknown) => {
          failed(error);
          detail.done?.(null);
        },
      );
    };
    window.addEventListener(SCAN_EVENT, onScan);
    return () => window.removeEventListener(SCAN_EVENT, onScan);
  }, [kiosk, show, failed]);
}
