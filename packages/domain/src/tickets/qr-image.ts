import QRCode from "qrcode";

/**
 * A ticket code as a PNG: medium error correction (readable with a scuffed or glare-covered phone screen),
 * a four-module quiet zone, and eight pixels per module (about 424 px square for a 115-character code).
 */
export function renderQrPng(text: string): Promise<Buffer> {
  return QRCode.toBuffer(text, { type: "png", errorCorrectionLevel: "M", margin: 4, scale: 8 });
}
