import { Html5Qrcode, Html5QrcodeSupportedFormats } from "html5-qrcode";
import { useEffect, useId, useRef, useState } from "react";
import { CameraControls } from "./CameraControls.tsx";
import { cameraProblem, enqueue, secondChance, warmSecondReader } from "./camera-session.ts";

const CAMERA_KEY = "admit-kiosk-camera";

interface Props {
  /** Called for every decoded QR code, including the same code again while it stays in view. */
  onCode: (text: string) => void;
  /** Off while another screen covers the camera, so the camera light goes out. */
  active?: boolean;
  label?: string;
}

/** The camera as a QR reader (QR only), with camera choice and torch where the device has them. */
export function Camera({ onCode, active = true, label = "Camera" }: Props) {
  const elementId = `qr-${useId().replace(/[^a-zA-Z0-9]/g, "")}`;
  const onCodeRef = useRef(onCode);
  const scannerRef = useRef<Html5Qrcode | null>(null);
  const [cameraId, setCameraId] = useState<string | null>(() => localStorage.getItem(CAMERA_KEY));
  const [cameras, setCameras] = useState<Array<{ id: string; label: string }>>([]);
  const [torch, setTorch] = useState<{ supported: boolean; on: boolean }>({ supported: false, on: false });
  const [problem, setProblem] = useState<string | null>(null);
  const [running, setRunning] = useState(false);

  useEffect(() => {
    onCodeRef.current = onCode;
  }, [onCode]);

  useEffect(() => {
    if (!active) return;
    let cancelled = false;
    let scanner: Html5Qrcode | null = null;
    let started = false;
    enqueue(async () => {
      if (cancelled) return;
      scanner = new Html5Qrcode(elementId, {
        verbose: false,
        formatsToSupport: [Html5QrcodeSupportedFormats.QR_CODE],
        useBarCodeDetectorIfSupported: true,
      });
      const container = document.getElementById(elementId);
      const missed = container ? secondChance(container, (text) => onCodeRef.current(text)) : () => undefined;
      warmSecondReader();
      try {
        await scanner.start(
          cameraId ? { deviceId: { exact: cameraId } } : { facingMode: "environment" },
          {
            fps: 12,
            qrbox: (width, height) => {
              const side = Math.max(120, Math.floor(Math.min(width, height) * 0.8));
              return { width: side, height: side };
            },
          },
          (text) => onCodeRef.current(text),
          // Called for every frame the first decoder could not read.
          () => {
            if (!cancelled) missed();
          },
        );
        started = true;
      } catch (error) {
        if (cancelled) return;
        if (cameraId) {
          // The remembered camera is gone (another tablet, unplugged): fall back to the default one.
          localStorage.removeItem(CAMERA_KEY);
          setCameraId(null);
          return;
        }
        setProblem(cameraProblem(error));
        return;
      }
      if (cancelled) return;
      scannerRef.current = scanner;
      setProblem(null);
      setRunning(true);
      try {
        setTorch({ supported: scanner.getRunningTrackCameraCapabilities().torchFeature().isSupported(), on: false });
      } catch {
        setTorch({ supported: false, on: false });
      }
      Html5Qrcode.getCameras().then(
        (list) => !cancelled && setCameras(list),
        () => undefined,
      );
    });
    return () => {
      cancelled = true;
      scannerRef.current = null;
      setRunning(false);
      // Stop only after start() has settled; stopping a camera that is still starting leaves it running.
      enqueue(async () => {
        if (scanner && started) await scanner.stop().catch(() => undefined);
        try {
          scanner?.clear();
        } catch {
          // Nothing was rendered into the element.
        }
      });
    };
  }, [active, cameraId, elementId]);

  const chooseCamera = (id: string) => {
    localStorage.setItem(CAMERA_KEY, id);
    setCameraId(id);
  };

  const toggleTorch = async () => {
    const scanner = scannerRef.current;
    if (!scanner) return;
    try {
      await scanner.getRunningTrackCameraCapabilities().torchFeature().apply(!torch.on);
      setTorch({ supported: true, on: !torch.on });
    } catch {
      setTorch({ supported: false, on: false });
    }
  };

  return (
    <div className="camera" role="group" aria-label={label} data-camera={running ? "running" : "stopped"}>
      <div id={elementId} className="camera-view" />
      {problem && <p className="camera-problem" role="status">{problem}</p>}
      <CameraControls cameras={cameras} cameraId={cameraId} onChoose={chooseCamera} torch={torch} onToggleTorch={() => void toggleTorch()} />
    </div>
  );
}
