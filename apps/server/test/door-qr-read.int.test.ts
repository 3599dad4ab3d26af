import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { QrReader } from "@admit/kiosk/src/scan/decode.ts";
import { testBackends } from "@admit/db/testing";
import { createTickets } from "@admit/db/factories";
import { TICKET_QR_SIDE } from "@admit/domain";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./harness.ts";
import { cameraFrame, firstDecoder } from "./qr-decoders.ts";
import { ticketWorld, type TicketWorld } from "./tickets-fixture.ts";

const require = createRequire(import.meta.url);

// Every code of a full showing, drawn as the server draws it (the same PNG the ticket page and e-mails carry), read
// from a still frame the way the kiosk's camera reads it: the first decoder, then the second on what it missed.
describe("every issued QR code reads at the door", { timeout: 120_000 }, () => {
  let server: TestServer;
  let world: TicketWorld;
  const reader = new QrReader({ bytes: readFileSync(require.resolve("zxing-wasm/reader/zxing_reader.wasm")).buffer as ArrayBuffer });

  beforeAll(async () => {
    server = await startTestServer(testBackends()[0]!);
    world = await ticketWorld(server);
  });
  afterAll(async () => server?.close());

  it("reads all 200 codes of a 200-ticket showing from still frames, near and far", async () => {
    const tickets = await createTickets(server.db.prisma, world.showing.id, { type: "Full house", count: 200, price: "5.00" });
    expect(tickets).toHaveLength(200);
    let firstMissed = 0;
    const unread: string[] = [];
    for (const ticket of tickets) {
      const code = await server.runtime.services.tickets.qrCode(ticket.id);
      const png = PNG.sync.read(await server.runtime.services.tickets.qrPng(ticket.id));
      // E-mails show the image at this size, one image pixel per screen pixel.
      expect(png.width).toBe(TICKET_QR_SIDE);
      for (const scale of [1, 0.7]) {
        const frame = cameraFrame(png, scale);
        let text = firstDecoder(frame);
        if (text === null) {
          firstMissed++;
          text = await reader.read(frame);
        }
        if (text !== code) unread.push(`${ticket.id} at ${scale}`);
      }
    }
    expect(unread, `first decoder missed ${firstMissed} of 400 frames`).toEqual([]);
  });
});
