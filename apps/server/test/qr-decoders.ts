import { createRequire } from "node:module";
import type { Frame } from "@admit/kiosk/src/scan/decode.ts";
import type { PNG } from "pngjs";

const require = createRequire(import.meta.url);

/** html5-qrcode's own copy of zxing-js, set up as html5-qrcode sets it up: the kiosk's first decoder where the browser has no barcode detector. */
const ZXing = require("html5-qrcode/third_party/zxing-js.umd.js") as {
  MultiFormatReader: new () => { setHints(h: Map<unknown, unknown>): void; decode(b: unknown): { getText(): string } };
  BinaryBitmap: new (b: unknown) => unknown;
  HybridBinarizer: new (s: unknown) => unknown;
  RGBLuminanceSource: new (l: Uint8ClampedArray, w: number, h: number) => unknown;
  DecodeHintType: { POSSIBLE_FORMATS: unknown; TRY_HARDER: unknown };
  BarcodeFormat: { QR_CODE: unknown };
};

export function firstDecoder(frame: Frame): string | null {
  const luminance = new Uint8ClampedArray(frame.width * frame.height);
  for (let i = 0; i < luminance.length; i++) {
    luminance[i] = (frame.data[i * 4]! + 2 * frame.data[i * 4 + 1]! + frame.data[i * 4 + 2]!) >> 2;
  }
  const reader = new ZXing.MultiFormatReader();
  reader.setHints(new Map<unknown, unknown>([[ZXing.DecodeHintType.POSSIBLE_FORMATS, [ZXing.BarcodeFormat.QR_CODE]], [ZXing.DecodeHintType.TRY_HARDER, false]]));
  try {
    return reader.decode(new ZXing.BinaryBitmap(new ZXing.HybridBinarizer(new ZXing.RGBLuminanceSource(luminance, frame.width, frame.height)))).getText();
  } catch {
    return null;
  }
}

/**
 * A still camera frame (640 x 480, white around it) with the PNG in the middle, scaled by `scale` with bilinear
 * smoothing as a camera sees a code held further away.
 */
export function cameraFrame(png: PNG, scale: number, width = 640, height = 480): Frame {
  const data = new Uint8ClampedArray(width * height * 4).fill(255);
  const side = Math.round(png.width * scale);
  const left = Math.floor((width - side) / 2);
  const top = Math.floor((height - side) / 2);
  const at = (x: number, y: number) => png.data[(Math.min(png.height - 1, y) * png.width + Math.min(png.width - 1, x)) * 4]!;
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const sx = (x + 0.5) / scale - 0.5;
      const sy = (y + 0.5) / scale - 0.5;
      const x0 = Math.max(0, Math.floor(sx));
      const y0 = Math.max(0, Math.floor(sy));
      const fx = Math.max(0, sx - x0);
      const fy = Math.max(0, sy - y0);
      const value =
        at(x0, y0) * (1 - fx) * (1 - fy) + at(x0 + 1, y0) * fx * (1 - fy) + at(x0, y0 + 1) * (1 - fx) * fy + at(x0 + 1, y0 + 1) * fx * fy;
      const fx2 = left + x;
      const fy2 = top + y;
      if (fx2 < 0 || fy2 < 0 || fx2 >= width || fy2 >= height) continue;
      const d = (fy2 * width + fx2) * 4;
      data[d] = data[d + 1] = data[d + 2] = value;
    }
  }
  return { data, width, height };
}
