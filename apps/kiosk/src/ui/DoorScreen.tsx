import { useCallback, useEffect, useState, useSyncExternalStore } from "react";
import type { Kiosk, ShownResult } from "../kiosk.ts";
import { persistStorage, useBrowserOnline, useWakeLock } from "../platform.ts";
import { Camera } from "../scan/Camera.tsx";
import { playFamily } from "../scan/sounds.ts";
import { useScanEvents } from "../scan/scan-events.ts";
import { useKeyboardWedge } from "../scan/wedge.ts";
import { DoorFloor } from "./DoorFloor.tsx";
import { DoorSidePanel } from "./DoorSidePanel.tsx";
import { resultFamily } from "./format.ts";
import { ResultOverlay } from "./ResultOverlay.tsx";
import { SoundControl } from "./SoundControl.tsx";
import { StatusBar } from "./StatusBar.tsx";

/** The door at work: camera, hand scanner and search on one screen, the verdict over all of it. */
export function DoorScreen({ kiosk }: { kiosk: Kiosk }) {
  const status = useSyncExternalStore(kiosk.subscribe, kiosk.getStatus);
  const [result, setResult] = useState<ShownResult | null>(null);
  /** A line under the scanner: an undo done, or a scan that could not be stored. */
  const [notice, setNotice] = useState<string | null>(null);
  /** The last admit this door made, which the operator can still take back after its verdict has gone. */
  const [lastAdmit, setLastAdmit] = useState<{ clientScanId: string; who: string } | null>(null);
  const [cameraOn, setCameraOn] = useState(true);
  const [revision, setRevision] = useState(0);
  const [storageKept, setStorageKept] = useState<boolean | null>(null);
  const screenOn = useWakeLock();
  const networkChanged = useCallback(() => kiosk.networkChanged(), [kiosk]);
  useBrowserOnline(networkChanged);

  useEffect(() => {
    void kiosk.start();
    return () => void kiosk.stop();
  }, [kiosk]);

  useEffect(() => {
    void persistStorage().then(setStorageKept);
  }, []);

  const show = useCallback((shown: ShownResult | null) => {
    if (!shown) return null;
    // A code brought back within the repeat window is heard again: a passed-on phone must not pass in silence.
    if (shown.backInView) playFamily(resultFamily(shown));
    if (!shown.repeat) {
      playFamily(resultFamily(shown));
      setRevision((r) => r + 1);
      if (shown.verdict === "ADMIT" && shown.clientScanId) {
        setLastAdmit({ clientScanId: shown.clientScanId, who: shown.holderName || "the last guest" });
      }
    }
    setNotice(null);
    setResult(shown);
    return shown;
  }, []);

  const failed = useCallback((error: unknown) => {
    setResult(null);
    setNotice(`This scan could not be saved on the tablet (${error instanceof Error ? error.message : String(error)}). Do not let the guest in yet: scan again.`);
  }, []);

  const submit = useCallback((text: string) => void kiosk.submit(text).then(show, failed), [kiosk, show, failed]);
  useKeyboardWedge(submit, status.ready);

  useScanEvents(kiosk, show, failed);

  const admit = useCallback((ticketId: string) => void kiosk.admitFromSearch(ticketId).then(show, failed), [kiosk, show, failed]);
  const dismiss = useCallback(() => setResult(null), []);
  const undo = useCallback(
    (clientScanId: string) => {
      setResult(null);
      setLastAdmit(null);
      kiosk.undo(clientScanId).then(
        () => {
          setNotice("The admit was undone. The ticket can be scanned again.");
          setRevision((r) => r + 1);
        },
        (error: Error) => setNotice(error.message),
      );
    },
    [kiosk],
  );

  return (
    <div className="door" data-ready={status.ready}>
      <StatusBar status={status} pairing={kiosk.pairing} checks={{ storageKept, screenOn }} />
      <DoorFloor status={status} onMode={(mode) => void kiosk.setMode(mode)} />
      <SoundControl />
      <main className="door-main">
        <section className="scan-area" aria-label="Scanner">
          {status.ready ? (
            cameraOn && <Camera onCode={submit} />
          ) : status.revoked ? (
            <p className="empty" data-testid="revoked">
              An officer revoked this door. It scans no more; it is sending the scans it made before, then deletes its data.
            </p>
          ) : (
            <p className="empty">Downloading this door's tickets. Scanning starts as soon as they are stored.</p>
          )}
          <div className="scan-controls">
            <button type="button" onClick={() => setCameraOn((on) => !on)} aria-pressed={cameraOn}>
              {cameraOn ? "Turn camera off" : "Turn camera on"}
            </button>
            {lastAdmit && (
              <button type="button" onClick={() => undo(lastAdmit.clientScanId)}>
                Undo last admit ({lastAdmit.who})
              </button>
            )}
            <span>Hand scanners work at any time.</span>
          </div>
          {notice && (
            <p className="notice" role="status">
              {notice}
            </p>
          )}
        </section>
        <DoorSidePanel kiosk={kiosk} conflicts={status.conflicts} onCode={submit} onAdmit={admit} revision={revision} />
      </main>
      {result && <ResultOverlay result={result} onDismiss={dismiss} onUndo={undo} />}
    </div>
  );
}
