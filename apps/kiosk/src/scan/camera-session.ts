import readerWasmUrl from "zxing-wasm/reader/zxing_reader.wasm?url";
import { QrReader } from "./decode.ts";

// One camera session at a time across every mount: a new scanner starts only after the previous one has finished
// starting and then stopping (React's StrictMode mounts, unmounts and mounts again at once).
let cameraQueue: Promise<void> = Promise.resolve();

export function enqueue(step: () => Promise<void>): void {
  cameraQueue = cameraQueue.then(step).catch(() => undefined);
}

let secondReader: QrReader | null = null;

/** The second decoder, made once and warmed up before the first frame it may get. */
export function warmSecondReader(): void {
  secondReader ??= new QrReader({ url: readerWasmUrl });
  void secondReader.warmUp();
}

/** Frames the first decoder missed go to the second one at most this often (a decode takes a few milliseconds). */
const SECOND_READER_EVERY_MS = 150;
/** Frames are read at most this wide: a QR code that fills less of the view than this still has pixels enough. */
const SECOND_READER_MAX_WIDTH = 960;

/**
 * Hands the video's current frame to the second decoder when the first one missed it: one frame at a time, at most
 * every SECOND_READER_EVERY_MS, the whole frame (the first decoder reads only the box in the middle).
 */
export function secondChance(container: HTMLElement, onCode: (text: string) => void): () => void {
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

export function cameraProblem(error: unknown): string {
  const name = (error as { name?: string } | null)?.name ?? "";
  const text = String((error as { message?: string } | null)?.message ?? error);
  if (name === "NotAllowedError" || /permission/i.test(text)) return "Camera access was refused. Allow the camera in the browser's site settings.";
  if (name === "NotFoundError" || /not ?found|no camera|Requested device/i.test(text)) return "No camera found. Use a hand scanner or search by name.";
  if (name === "NotReadableError") return "The camera is in use by another app.";
  return `The camera could not start (${text}).`;
}
