import AxeBuilder from "@axe-core/playwright";
import { testBackends } from "@admit/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trpc, type TestServer } from "../harness.ts";
import { decodeQrPng, rest } from "../tickets-fixture.ts";
import { imageAsCameraFeed } from "./browser.ts";
import {
  createDoor,
  dismissVerdict,
  eventually,
  openKiosk,
  pairKiosk,
  pendingCount,
  scanWithHandScanner,
  shownVerdict,
  waitForOfflineShell,
  waitForPending,
  type DoorWorld,
  type KioskSuite,
} from "./kiosk-fixtures.ts";

// The door kiosk in real Chromium against a real server: camera scans through Chromium's fake camera, hand-scanner
// keystrokes, network loss emulated by Playwright, and the server's database checked afterwards.
for (const backend of testBackends()) {
  describe(`door kiosk in a browser (${backend.kind})`, { timeout: 180_000 }, () => {
    let kiosk: KioskSuite;
    let server: TestServer;
    let world: DoorWorld;

    const checkIns = (ticketId: string) =>
      server.db.prisma.checkInEntry.findMany({ where: { ticketId }, orderBy: { occurredAt: "asc" }, include: { device: true } });

    beforeAll(async () => {
      kiosk = await openKiosk(backend, "admit-kiosk-");
      ({ server, world } = kiosk);
    });
    afterAll(async () => kiosk?.close());

    it("admits a ticket shown to the camera, answers ALREADY IN when it is shown again, and uploads the check-in", async () => {
      const { id, owner } = await world.ticket("Camila Camera");
      // The code is in view for a second, then gone for longer than the repeat window, over and over.
      const feed = await imageAsCameraFeed(await kiosk.qrPng(id, owner.token), { showSeconds: 1, blankSeconds: 2.8 });
      kiosk.onClose(feed.remove);
      const { page, errors } = await kiosk.browser(feed.file);
      const door = await createDoor(server, world, "Camera door");
      await pairKiosk(page, server, door.code);

      expect(await shownVerdict(page, "ADMIT"), errors.join("\n")).toContain("Camila Camera");
      expect(await shownVerdict(page, "ALREADY_IN")).toMatch(/Admitted at .* at Camera door/);

      const entries = await eventually(() => checkIns(id), (rows) => rows.length === 1);
      expect(entries[0]).toMatchObject({ action: "ADMIT", conflict: false });
      expect(entries[0]!.device?.name).toBe("Camera door");
      expect((await server.db.prisma.ticket.findUniqueOrThrow({ where: { id } })).attended).toBe(true);
      await waitForPending(page, 0);

      // The door screen, with and without a verdict over it, is usable with assistive technology.
      const serious = (await new AxeBuilder({ page }).analyze()).violations.filter((v) => v.impact === "serious" || v.impact === "critical");
      expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
    });

    it("answers OLD QR for the previous owner's code after a transfer, and admits the new owner's", async () => {
      const { id, owner } = await world.ticket("Olga Oldowner");
      const heir = await world.ticket("Nico Newowner");
      const oldPng = await kiosk.qrPng(id, owner.token);
      const transferred = await rest(server, "POST", `/api/tickets/${id}/transfer/`, { token: owner.token, body: { username: heir.owner.username } });
      expect(transferred.status).toBe(200);

      const feed = await imageAsCameraFeed(oldPng, { showSeconds: 3 }); // always in view
      kiosk.onClose(feed.remove);
      const { page } = await kiosk.browser(feed.file);
      const door = await createDoor(server, world, "Transfer door");
      await pairKiosk(page, server, door.code);
      expect(await shownVerdict(page, "OLD_QR")).toContain("Nico Newowner");

      // The old code stays in front of the camera, so its verdict keeps covering the screen: switch the camera off
      // underneath it (as a click on the covered button would), then close the verdict.
      await page.getByRole("button", { name: "Turn camera off" }).dispatchEvent("click");
      await page.locator('[data-camera="running"]').waitFor({ state: "detached" });
      await dismissVerdict(page);
      await scanWithHandScanner(page, decodeQrPng(await kiosk.qrPng(id, heir.owner.token)));
      expect(await shownVerdict(page, "ADMIT")).toContain("Nico Newowner");
      const entries = await eventually(() => checkIns(id), (rows) => rows.length === 1);
      expect(entries[0]).toMatchObject({ conflict: false });
    });

    it("two kiosks admit one ticket while offline: the server keeps one check-in and both doors show the conflict", async () => {
      const { id, owner } = await world.ticket("Dora Double");
      const code = decodeQrPng(await kiosk.qrPng(id, owner.token));
      const doors = [];
      for (const name of ["North door", "South door"]) {
        const { page, context } = await kiosk.browser();
        await pairKiosk(page, server, (await createDoor(server, world, name)).code);
        doors.push({ page, context, name });
      }
      for (const { page, context } of doors) {
        await context.setOffline(true);
        await page.locator('[data-testid="connection"][data-online="false"]').waitFor();
        await scanWithHandScanner(page, code);
        expect(await shownVerdict(page, "ADMIT")).toContain("Dora Double");
        expect(await pendingCount(page)).toBe(1);
      }
      expect(await checkIns(id)).toEqual([]);

      for (const { context } of doors) await context.setOffline(false);
      const entries = await eventually(() => checkIns(id), (rows) => rows.length === 2);
      expect(entries.filter((e) => !e.conflict)).toHaveLength(1);
      expect(entries.filter((e) => e.conflict).map((e) => e.conflictReason)).toEqual(["already-in"]);
      const ticket = await server.db.prisma.ticket.findUniqueOrThrow({ where: { id } });
      expect(ticket.attendedAt?.toISOString()).toBe(entries[0]!.occurredAt.toISOString());

      const conflictDoor = entries.find((e) => e.conflict)!.device!.name;
      for (const { page } of doors) {
        await waitForPending(page, 0);
        await dismissVerdict(page);
        await page.getByTestId("conflicts-tab").click();
        const listed = page.locator(`.conflicts li[data-ticket="${id}"]`);
        await listed.waitFor();
        expect(await listed.innerText()).toContain("Dora Double");
        expect(await listed.innerText()).toContain(conflictDoor);
        await page.locator('[data-testid="connection"][data-online="true"]').waitFor();
      }
    });

    it("keeps pending scans through a reload while offline and uploads them once online; revoking wipes the kiosk", async () => {
      const tickets = [await world.ticket("Rita Reload"), await world.ticket("Ravi Reload"), await world.ticket("Rosa Reload")];
      const codes = await Promise.all(tickets.map(async (t) => decodeQrPng(await kiosk.qrPng(t.id, t.owner.token))));
      const { page, context } = await kiosk.browser();
      const door = await createDoor(server, world, "Reload door");
      await pairKiosk(page, server, door.code);
      await waitForOfflineShell(page);

      await context.setOffline(true);
      for (const code of codes.slice(0, 2)) {
        await scanWithHandScanner(page, code);
        await shownVerdict(page, "ADMIT");
        await dismissVerdict(page);
      }
      await waitForPending(page, 2);

      // The tab reloads with no network: the service worker serves the app, IndexedDB still has every scan.
      await page.reload();
      await page.locator('.door[data-ready="true"]').waitFor();
      await page.locator('[data-testid="connection"][data-online="false"]').waitFor();
      await waitForPending(page, 2);
      await scanWithHandScanner(page, codes[0]!);
      expect(await shownVerdict(page, "ALREADY_IN")).toContain("Reload door");
      await dismissVerdict(page);
      await scanWithHandScanner(page, codes[2]!);
      await shownVerdict(page, "ADMIT");
      await waitForPending(page, 3);
      for (const t of tickets) expect(await checkIns(t.id)).toEqual([]);

      await context.setOffline(false);
      await waitForPending(page, 0);
      for (const t of tickets) {
        const rows = await eventually(() => checkIns(t.id), (r) => r.length === 1);
        expect(rows[0]).toMatchObject({ action: "ADMIT", conflict: false });
      }

      const revoked = await trpc(server, "kiosk.revokeDevice", {
        token: world.officer.token,
        mutation: true,
        input: { clubId: world.clubId, deviceId: door.deviceId },
      });
      expect(revoked.status).toBe(200);
      await page.getByText("This door device was revoked by an officer.", { exact: false }).waitFor();
      const left = await page.evaluate(
        () =>
          new Promise<number>((resolve, reject) => {
            const open = indexedDB.open("admit-kiosk");
            open.onerror = () => reject(open.error);
            open.onsuccess = () => {
              const db = open.result;
              const stores = ["buckets", "outbox", "conflicts", "meta"];
              const tx = db.transaction(stores, "readonly");
              let total = 0;
              let done = 0;
              for (const name of stores) {
                const count = tx.objectStore(name).count();
                count.onsuccess = () => {
                  total += count.result;
                  if (++done === stores.length) resolve(total);
                };
              }
            };
          }),
      );
      expect(left).toBe(0);
    });
  });
}
