import { prepareZXingModule, readBarcodes, type ReaderOptions } from "zxing-wasm/reader";

/** One still frame from the camera, as a canvas gives it (RGBA, row by row). */
export interface Frame {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

/** Where the reader's WebAssembly comes from: our own copy (a URL on our origin, or its bytes in Node). */
export type ReaderWasm = { url: string } | { bytes: ArrayBuffer };

const options: ReaderOptions = {
  formats: ["QRCode"],
  tryHarder: true,
  tryInvert: true,
  tryDownscale: true,
  maxNumberOfSymbols: 1,
};

/**
 * The second QR decoder: ZXing-C++ compiled to WebAssembly. html5-qrcode reads with the browser's own barcode
 * detector where there is one and otherwise with zxing-js, which misses some of our codes however still they are
 * held (about one in twelve, frame after frame). The camera hands every frame the first decoder did not read to
 * this one. Its .wasm is served from our origin and precached by the service worker (never the package's default
 * CDN), so it works offline and under the kiosk's Content-Security-Policy.
 */
export class QrReader {
  constructor(wasm: ReaderWasm) {
    const overrides =
      "url" in wasm
        ? { locateFile: (file: string, prefix: string) => (file.endsWith(".wasm") ? wasm.url : prefix + file) }
        : { wasmBinary: wasm.bytes };
    prepareZXingModule({ overrides });
  }

  /** Loads and compiles the WebAssembly now, so the first frame that needs it is not kept waiting. */
  async warmUp(): Promise<void> {
    await this.read({ data: new Uint8ClampedArray(4), width: 1, height: 1 }).catch(() => undefined);
  }

  /** The QR code's text in a frame, or null when none is read. */
  async read(frame: Frame): Promise<string | null> {
    const [found] = await readBarcodes(frame as ImageData, options);
    return found?.isValid ? found.text : null;
  }
}
