import { testBackends } from "@admit/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trpc, type TestServer } from "../harness.ts";
import { decodeQrPng } from "../tickets-fixture.ts";
import {
  createDoor,
  dismissVerdict,
  eventually,
  openKiosk,
  pairKiosk,
  recordedAdmitAt,
  scanWithHandScanner,
  shownVerdict,
  waitForPending,
  whenStoredAsAttended,
  type DoorWorld,
  type KioskSuite,
} from "./kiosk-fixtures.ts";

// Door sync as door staff live it: another door's admit known within a second (pushed, not waited for), and a
// tablet revoked while offline still delivering what it admitted before it wipes itself.
for (const backend of testBackends()) {
  describe(`door sync in a browser (${backend.kind})`, { timeout: 240_000 }, () => {
    let kiosk: KioskSuite;
    let server: TestServer;
    let world: DoorWorld;

    const codeOf = async (ticket: { id: string; owner: { token: string } }) => decodeQrPng(await kiosk.qrPng(ticket.id, ticket.owner.token));

    beforeAll(async () => {
      kiosk = await openKiosk(backend, "admit-kiosk-sync-");
      ({ server, world } = kiosk);
    });
    afterAll(async () => kiosk?.close());

    it("another kiosk answers ALREADY IN within a second of an admit, long before its 3-second pull", async () => {
      const samples = 8;
      const tickets = [];
      for (let i = 0; i < samples; i++) tickets.push(await world.ticket(`Sam Sample ${i}`));
      const codes = await Promise.all(tickets.map(codeOf));
      const [north, south] = [await kiosk.browser(), await kiosk.browser()];
      await pairKiosk(north.page, server, (await createDoor(server, world, "North door")).code);
      await pairKiosk(south.page, server, (await createDoor(server, world, "South door")).code);
      // The tickets were sold before pairing: both doors' manifests hold them.

      const latencies: number[] = [];
      for (const [i, ticket] of tickets.entries()) {
        const attended = whenStoredAsAttended(south.page, ticket.id);
        await scanWithHandScanner(north.page, codes[i]!);
        await shownVerdict(north.page, "ADMIT");
        // From the moment the north door recorded its admit (both pages run on this machine's clock).
        latencies.push((await attended) - (await recordedAdmitAt(north.page, ticket.id)));
        // The other door's answer, from its own data.
        await scanWithHandScanner(south.page, codes[i]!);
        expect(await shownVerdict(south.page, "ALREADY_IN")).toContain("North door");
        await dismissVerdict(south.page);
        await dismissVerdict(north.page);
      }
      const sorted = [...latencies].sort((a, b) => a - b);
      const p90 = sorted[Math.ceil(0.9 * sorted.length) - 1]!;
      console.log(`admit on one kiosk to ALREADY IN on the other (${backend.kind}): ${latencies.join(", ")} ms; p50 ${sorted[Math.floor(sorted.length / 2)]} ms, p90 ${p90} ms`);
      // The pull alone takes up to 3 s (and more on a busy machine); pushed, every sample is well under it.
      for (const ms of latencies) expect(ms).toBeLessThan(2000);
      // Every admit was the first: no door admitted a ticket twice.
      for (const ticket of tickets) {
        expect(await server.db.prisma.checkInEntry.count({ where: { ticketId: ticket.id, conflict: false } })).toBe(1);
      }
    });

    it("a kiosk revoked while offline delivers the admit it made before the revocation, then wipes itself", async () => {
      const ticket = await world.ticket("Ola Offline");
      const code = await codeOf(ticket);
      const { page, context } = await kiosk.browser();
      const door = await createDoor(server, world, "Garden gate");
      await pairKiosk(page, server, door.code);

      await context.setOffline(true);
      await page.locator('[data-testid="connection"][data-online="false"]').waitFor();
      await scanWithHandScanner(page, code);
      expect(await shownVerdict(page, "ADMIT")).toContain("Ola Offline");
      await waitForPending(page, 1);

      // The officer revokes the tablet while it is offline; its admit was made before that.
      server.clock.set(Date.now());
      const revoked = await trpc(server, "kiosk.revokeDevice", {
        token: world.officer.token,
        mutation: true,
        input: { clubId: world.clubId, deviceId: door.deviceId },
      });
      expect(revoked.status).toBe(200);
      expect(await server.db.prisma.checkInEntry.count({ where: { ticketId: ticket.id } })).toBe(0);

      await context.setOffline(false);
      await page.getByText("This door device was revoked by an officer.", { exact: false }).waitFor();
      const entries = await eventually(
        () => server.db.prisma.checkInEntry.findMany({ where: { ticketId: ticket.id } }),
        (rows) => rows.length === 1,
      );
      expect(entries[0]).toMatchObject({ action: "ADMIT", conflict: false, deviceId: door.deviceId });
      const stored = await page.evaluate(
        () =>
          new Promise<number>((resolve, reject) => {
            const open = indexedDB.open("admit-kiosk");
            open.onerror = () => reject(open.error);
            open.onsuccess = () => {
              const tx = open.result.transaction(["buckets", "outbox", "conflicts", "meta"], "readonly");
              const counts = ["buckets", "outbox", "conflicts", "meta"].map((name) => tx.objectStore(name).count());
              tx.oncomplete = () => resolve(counts.reduce((sum, c) => sum + c.result, 0));
            };
          }),
      );
      expect(stored).toBe(0);
    });
  });
}
