import { Html5Qrcode, Html5QrcodeSupportedFormats } from "html5-qrcode";
import { useEffect, useId, useRef, useState } from "react";
import readerWasmUrl from "zxing-wasm/reader/zxing_reader.wasm?url";
import { QrReader } from "./decode.ts";

const CAMERA_KEY = "admit-kiosk-camera";

// One camera session at a time across every mount: a new scanner starts only after the previous one has finished
// starting and then stopping (React's StrictMode mounts, unmounts and mounts again at once).
let cameraQueue: Promise<void> = Promise.resolve();

function enqueue(step: () => Promise<void>): void {
  cameraQueue = cameraQueue.then(step).catch(() => undefined);
}

let secondReader: QrReader | null = null;

/** Frames the first decoder missed go to the second one at most this often (a decode takes a few milliseconds). */
const SECOND_READER_EVERY_MS = 150;
/** Frames are read at most this wide: a QR code that fills less of the view than this still has pixels enough. */
const SECOND_READER_MAX_WIDTH = 960;

/**
 * Hands the video's current frame to the second decoder when the first one missed it: one frame at a time, at most
 * every SECOND_READER_EVERY_MS, the whole frame (the first decoder reads only the box in the middle).
 */
function secondChance(container: HTMLElement, onCode: (text: string) => void): () => void {
  let busy = false;
  let lastAt = -Infinity;
  let canvas: HTMLCanvasElement | null = null;
  return () => {
    const now = performance.now();
    if (busy || now - lastAt < SECOND_READER_EVERY_MS) return;
    const video = container.querySelector("video");
    if (!video || video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA || !video.videoWidth) return;
    lastAt = now;
    const scale = Math.min(1, SECOND_READER_MAX_WIDTH / video.videoWidth);
    canvas ??= document.createElement("canvas");
    canvas.width = Math.round(video.videoWidth * scale);
    canvas.height = Math.round(video.videoHeight * scale);
    const context = canvas.getContext("2d", { willReadFrequently: true });
    if (!context) return;
    busy = true;
    context.drawImage(video, 0, 0, canvas.width, canvas.height);
    const frame = context.getImageData(0, 0, canvas.width, canvas.height);
    secondReader ??= new QrReader({ url: readerWasmUrl });
    secondReader
      .read(frame)
      .then((text) => text && onCode(text))
      .catch(() => undefined)
      .finally(() => {
        busy = false;
      });
  };
}

function cameraProblem(error: unknown): string {
  const name = (error as { name?: string } | null)?.name ?? "";
  const text = String((error as { message?: string } | null)?.message ?? error);
  if (name === "NotAllowedError" || /permission/i.test(text)) return "Camera access was refused. Allow the camera in the browser's site settings.";
  if (name === "NotFoundError" || /not ?found|no camera|Requested device/i.test(text)) return "No camera found. Use a hand scanner or search by name.";
  if (name === "NotReadableError") return "The camera is in use by another app.";
  return `The camera could not start (${text}).`;
}

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
      secondReader ??= new QrReader({ url: readerWasmUrl });
      void secondReader.warmUp();
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
      <div className="camera-controls">
        {cameras.length > 1 && (
          <label>
            Camera{" "}
            <select value={cameraId ?? ""} onChange={(e) => chooseCamera(e.target.value)}>
              {!cameraId && <option value="">Default</option>}
              {cameras.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.label || c.id}
                </option>
              ))}
            </select>
          </label>
        )}
        {torch.supported && (
          <button type="button" onClick={() => void toggleTorch()} aria-pressed={torch.on}>
            {torch.on ? "Torch off" : "Torch on"}
          </button>
        )}
      </div>
    </div>
  );
}
