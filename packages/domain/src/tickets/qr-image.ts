import QRCode from "qrcode";

/** Image pixels per QR module: whole pixels, so a screen or a printer draws every module the same size. */
export const QR_MODULE_PIXELS = 8;
/** The white border, in modules: the standard's minimum, which decoders rely on to find the code. */
export const QR_QUIET_MODULES = 4;

/**
 * The side of a ticket code's PNG: ticket codes (~115 characters) are QR version 7 at level M, 45 modules, plus the
 * quiet zone: 424 px. E-mails show it at exactly this size (one image pixel per CSS pixel), never scaled to an odd
 * number of pixels per module, which blurs module edges and is what cameras misread.
 */
export const TICKET_QR_SIDE = (45 + 2 * QR_QUIET_MODULES) * QR_MODULE_PIXELS;

/**
 * A ticket code as a PNG: medium error correction (readable with a scuffed or glare-covered phone screen), a
 * four-module quiet zone and eight pixels per module. Level L would make modules 8% larger at the same size but
 * halves what glare may cover; the kiosk's second decoder (apps/kiosk/src/scan/decode.ts) reads every code we draw.
 */
export function renderQrPng(text: string): Promise<Buffer> {
  return QRCode.toBuffer(text, { type: "png", errorCorrectionLevel: "M", margin: QR_QUIET_MODULES, scale: QR_MODULE_PIXELS });
}
