export { QrKeys, GENERATED_QR_KEY_SETTING } from "./qr-keys.ts";
export { renderQrPng, TICKET_QR_SIDE } from "./qr-image.ts";
export { type TicketView } from "./serialize.ts";
export { Tickets } from "./tickets.ts";
export { TicketTransfers, TRANSFER_DONE, type TransferDone, type TransferView } from "./transfers.ts";
