import { createServices, ManualClock, GENERATED_QR_KEY_SETTING } from "@admit/domain";
import { testBackends } from "@admit/db/testing";
import { parseSigningKey, toBase64Url, toVerifyingKeys, verifyTicketCode } from "@admit/ticket-codes";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.ts";
import { startTestServer, type TestServer } from "./harness.ts";
import { decodeQrPng, doorCheck, person, rest, ticketWorld, type TicketWorld } from "./tickets-fixture.ts";

const FIXED_KEY = `7:${toBase64Url(Uint8Array.from({ length: 32 }, (_, i) => i))}`;
const RETIRED_KEY = `3:${toBase64Url(Uint8Array.from({ length: 32 }, (_, i) => 255 - i))}`;

for (const backend of testBackends()) {
  describe(`signed QR codes (${backend.kind})`, () => {
    let server: TestServer;
    let world: TicketWorld;

    beforeAll(async () => {
      server = await startTestServer(backend);
      world = await ticketWorld(server);
    });
    afterAll(async () => server?.close());

    it("serves the owner a private PNG that decodes to a code the door verifies offline", async () => {
      const id = await world.ticket();
      const answer = await rest(server, "GET", `/api/tickets/${id}/qr/`, { token: world.owner.token });
      expect(answer.status).toBe(200);
      expect(answer.headers.get("content-type")).toBe("image/png");
      expect(answer.headers.get("cache-control")).toBe("private, no-store");
      const code = decodeQrPng(answer.bytes);
      expect(code.startsWith("A1.")).toBe(true);
      expect(code.length).toBeLessThanOrEqual(120);
      expect(await doorCheck(server, code)).toEqual({
        valid: true,
        claims: { ticketId: id, showingId: world.showing.id, generation: 0, kid: 1 },
      });
    });

    it("refuses the previous owner's code after a transfer and accepts the new owner's", async () => {
      const id = await world.ticket();
      const before = decodeQrPng((await rest(server, "GET", `/api/tickets/${id}/qr/`, { token: world.owner.token })).bytes);
      const receiver = await person(server);
      const moved = await rest(server, "POST", `/api/tickets/${id}/transfer/`, {
        token: world.owner.token,
        body: { username: receiver.username },
      });
      expect(moved.status).toBe(200);
      expect(await doorCheck(server, before)).toMatchObject({ valid: false, reason: "superseded", currentGeneration: 1 });
      expect((await rest(server, "GET", `/api/tickets/${id}/qr/`, { token: world.owner.token })).status).toBe(404);
      const after = decodeQrPng((await rest(server, "GET", `/api/tickets/${id}/qr/`, { token: receiver.token })).bytes);
      expect(await doorCheck(server, after)).toEqual({
        valid: true,
        claims: { ticketId: id, showingId: world.showing.id, generation: 1, kid: 1 },
      });
      // The mail sender's renderer refuses to draw the new owner's code into a message for someone else.
      await expect(
        server.runtime.services.tickets.qrPng(id, { ownerEmail: `${world.owner.username}@example.edu` }),
      ).rejects.toMatchObject({ code: "CONFLICT" });
      const forReceiver = await server.runtime.services.tickets.qrPng(id, { ownerEmail: `${receiver.username}@example.edu` });
      expect(decodeQrPng(forReceiver)).toBe(after);
    });

    it("generates one signing key, stores it in the database and shares it with every process", async () => {
      const stored = await server.db.prisma.serverSetting.findUniqueOrThrow({ where: { key: GENERATED_QR_KEY_SETTING } });
      const storedKey = parseSigningKey(stored.value);
      const published = await server.runtime.services.qrKeys.publicKeys();
      expect(published).toEqual([{ kid: "1", publicKey: toBase64Url(storedKey.publicKey) }]);
      // A second process over the same database (its own services, its own clock) signs with the same key.
      const secondProcess = createServices({ prisma: server.db.prisma, clock: new ManualClock() });
      expect(await secondProcess.qrKeys.publicKeys()).toEqual(published);
      const id = await world.ticket();
      const code = await secondProcess.tickets.qrCode(id);
      expect(await doorCheck(server, code)).toMatchObject({ valid: true });
    });
  });
}

describe("configured QR signing keys", () => {
  let server: TestServer;
  let world: TicketWorld;

  beforeAll(async () => {
    server = await startTestServer(testBackends()[0]!, { QR_SIGNING_KEYS: `${FIXED_KEY}, ${RETIRED_KEY}` });
    world = await ticketWorld(server);
  });
  afterAll(async () => server?.close());

  it("signs with the first key and publishes every key for rotation, storing none in the database", async () => {
    const id = await world.ticket();
    const code = decodeQrPng((await rest(server, "GET", `/api/tickets/${id}/qr/`, { token: world.owner.token })).bytes);
    const keys = toVerifyingKeys(await server.runtime.services.qrKeys.publicKeys());
    expect(keys.map((k) => k.kid)).toEqual([7, 3]);
    expect(verifyTicketCode(code, keys)).toMatchObject({ valid: true, claims: { kid: 7, ticketId: id } });
    const onlyFixed = [{ kid: 7, publicKey: parseSigningKey(FIXED_KEY).publicKey }];
    expect(verifyTicketCode(code, onlyFixed)).toMatchObject({ valid: true });
    expect(await server.db.prisma.serverSetting.count({ where: { key: GENERATED_QR_KEY_SETTING } })).toBe(0);
  });

  it("stops the server at start with a message naming QR_SIGNING_KEYS and never the key", () => {
    const secret = FIXED_KEY.slice(2);
    for (const value of ["7", `x:${secret}`, `7:${secret.slice(0, 20)}`, `7:${secret},7:${secret}`, `70000:${secret}`]) {
      let message = "";
      try {
        loadConfig({ QR_SIGNING_KEYS: value });
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        message = (error as Error).message;
      }
      expect(message, value).toContain("QR_SIGNING_KEYS");
      expect(message).not.toContain(secret.slice(0, 20));
    }
    expect(loadConfig({ QR_SIGNING_KEYS: "" }).qrSigningKeys).toBeUndefined();
    expect(loadConfig({ QR_SIGNING_KEYS: FIXED_KEY }).qrSigningKeys?.map((k) => k.kid)).toEqual([7]);
  });
});
