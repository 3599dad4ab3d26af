import { randomUUID } from "node:crypto";
import { testBackends } from "@admit/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trpc, type TestServer } from "../harness.ts";
import { cspViolations, imageAsCameraFeed, launchStorefrontBrowser } from "./browser.ts";
import { createDoor, eventually, openKiosk, pairKiosk, shownVerdict, type DoorWorld, type KioskSuite } from "./kiosk-fixtures.ts";
import { requireBuiltStorefront, signIn } from "./storefront-fixtures.ts";

// What door teams of big events expect, in real Chromium against a real server: an exit door and coming back in, a
// VIP door that sends other tickets elsewhere (both read through the fake camera), the capacity alarm on the tablet,
// and the officers' live door view.
for (const backend of testBackends()) {
  describe(`door floor: exits, gates and the live view in a browser (${backend.kind})`, { timeout: 180_000 }, () => {
    let kiosk: KioskSuite;
    let server: TestServer;
    let world: DoorWorld;

    const checkIns = (ticketId: string) => server.db.prisma.checkInEntry.findMany({ where: { ticketId }, orderBy: { occurredAt: "asc" } });
    const setDoorSettings = (input: { capacity: number | null; privateNames: boolean }) =>
      trpc(server, "kiosk.setDoorSettings", { token: world.officer.token, mutation: true, input: { clubId: world.clubId, showingId: world.showingId, ...input } });

    beforeAll(async () => {
      requireBuiltStorefront();
      kiosk = await openKiosk(backend, "admit-door-floor-");
      ({ server, world } = kiosk);
    });
    afterAll(async () => kiosk?.close());

    it("an exit door records the guest leaving, who then comes back in as a re-entry; the capacity alarm follows who is inside", async () => {
      const { id, owner } = await world.ticket("Eli Exit");
      expect((await setDoorSettings({ capacity: 1, privateNames: false })).status).toBe(200);
      // The code is in view for a second, then away for longer than the repeat window: each return is a new scan.
      const feed = await imageAsCameraFeed(await kiosk.qrPng(id, owner.token), { showSeconds: 1, blankSeconds: 2.8 });
      kiosk.onClose(feed.remove);
      const { page, errors } = await kiosk.browser(feed.file);
      await pairKiosk(page, server, (await createDoor(server, world, "Foyer")).code);

      expect(await shownVerdict(page, "ADMIT"), errors.join("\n")).toContain("Eli Exit");
      await page.locator('[data-testid="inside"][data-inside="1"][data-capacity="1"]').waitFor();
      await page.getByTestId("capacity-alarm").waitFor();

      // Switched to Exit (the verdict may cover the switch: click it underneath, as staff tapping through would).
      await page.getByTestId("mode-exit").dispatchEvent("click");
      await page.getByTestId("exit-banner").waitFor();
      expect(await shownVerdict(page, "EXIT")).toContain("Leaving");
      await page.locator('[data-testid="inside"][data-inside="0"]').waitFor();
      await page.getByTestId("capacity-alarm").waitFor({ state: "detached" });
      // Scanned on the way out again: nothing to record.
      expect(await shownVerdict(page, "NOT_INSIDE")).toContain("not checked in");

      // Back to Entrance: the same ticket comes back in, as a new ADMIT, not ALREADY IN.
      await page.getByTestId("mode-entrance").dispatchEvent("click");
      await page.getByTestId("exit-banner").waitFor({ state: "detached" });
      const back = page.locator('[data-verdict="ADMIT"]', { hasText: "coming back in" });
      await back.waitFor();
      await page.locator('[data-testid="inside"][data-inside="1"]').waitFor();

      const entries = await eventually(() => checkIns(id), (rows) => rows.length === 3);
      expect(entries.map((e) => [e.action, e.conflict])).toEqual([["ADMIT", false], ["EXIT", false], ["ADMIT", false]]);
      const ticket = await server.db.prisma.ticket.findUniqueOrThrow({ where: { id } });
      expect(ticket).toMatchObject({ attended: true, exitedAt: null });
      expect(ticket.attendedAt?.toISOString()).toBe(entries[0]!.occurredAt.toISOString());
      // The mode is the tablet's own setting and survives a reload.
      await page.getByTestId("mode-exit").dispatchEvent("click");
      await page.reload();
      await page.getByTestId("exit-banner").waitFor();
      expect(await setDoorSettings({ capacity: null, privateNames: false })).toMatchObject({ status: 200 });
    });

    it("a VIP door refuses a General ticket read by the camera with WRONG DOOR naming the door to go to, and records nothing", async () => {
      const vip = await world.ticket("Vera Vip", { type: "VIP" });
      const { id, owner } = await world.ticket("Gus General", { type: "General" });
      await createDoor(server, world, "Main entrance");
      const feed = await imageAsCameraFeed(await kiosk.qrPng(id, owner.token), { showSeconds: 3 });
      kiosk.onClose(feed.remove);
      const { page } = await kiosk.browser(feed.file);
      await pairKiosk(page, server, (await createDoor(server, world, "VIP door", ["VIP"])).code);
      await page.getByTestId("door-types").getByText("VIP").waitFor();

      const shown = await shownVerdict(page, "WRONG_DOOR");
      expect(shown).toContain("Gus General");
      // Every door that takes General is named (the Foyer from the first test admits every type).
      expect(shown).toMatch(/Wrong door: go to (Foyer or )?Main entrance\. This door admits VIP only\./);
      expect(await page.locator("[data-verdict]").getAttribute("data-family")).toBe("refused");
      expect(await checkIns(id)).toEqual([]);
      expect(await checkIns(vip.id)).toEqual([]);
    });

    it("the officers' live door view: inside now, arrivals per 5 minutes, each door's counts; door settings and a door's ticket types", async () => {
      const { officer, clubId, showingId } = world;
      const door = await createDoor(server, world, "Side door");
      const paired = await trpc(server, "kiosk.pair", { mutation: true, input: { code: door.code } });
      const token = (paired.data as { token: string }).token;
      const { id } = await world.ticket("Lia Live");

      const storefront = kiosk.keep(await launchStorefrontBrowser());
      const { page, errors } = storefront;
      await signIn(page, server, officer.username, `/dashboard/${clubId}/showings/${showingId}?tab=door`);
      const view = page.getByTestId("door-live");
      await view.waitFor();
      const insideBefore = Number(await page.getByTestId("live-inside").getAttribute("data-inside"));
      const arrivalsBefore = Number(await page.getByTestId("arrivals-chart").getAttribute("data-total"));

      // A door uploads an admit: the view shows it within a few seconds, without a reload.
      const now = server.clock.now().toISOString();
      const uploaded = await trpc(server, "door.upload", {
        token,
        mutation: true,
        input: { scans: [{ clientScanId: randomUUID(), ticketId: id, showingId, action: "ADMIT", scannedAt: now, generation: 0 }] },
      });
      expect(uploaded.status).toBe(200);
      await page.locator(`[data-testid="live-inside"][data-inside="${insideBefore + 1}"]`).waitFor();
      await page.locator(`[data-testid="arrivals-chart"][data-total="${arrivalsBefore + 1}"]`).waitFor();
      await page.locator('[data-testid="door-row"][data-door="Side door"] [data-admits="1"]').waitFor();

      // Capacity alarm and privacy, set from the view.
      await page.getByLabel("Capacity alarm").fill(String(insideBefore + 1));
      await page.getByLabel(/Privacy at the door/).check();
      await page.getByRole("button", { name: "Save door settings" }).click();
      await view.getByText("At capacity").waitFor();
      await eventually(
        () => server.db.prisma.showing.findUniqueOrThrow({ where: { id: showingId } }),
        (s) => s.doorCapacity === insideBefore + 1 && s.doorPrivate,
      );
      const manifest = await trpc(server, "door.manifest", { token });
      expect((manifest.data as { tickets: Array<{ id: string; holderName: string }> }).tickets.find((t) => t.id === id)?.holderName).toBe("Lia");

      // A door's ticket types, from its card.
      await page.getByRole("button", { name: "Ticket types for Side door" }).click();
      const dialog = page.getByRole("dialog");
      await dialog.getByLabel("VIP", { exact: true }).check();
      await dialog.getByRole("button", { name: "Save ticket types" }).click();
      await dialog.waitFor({ state: "detached" });
      await eventually(() => server.db.prisma.kioskDevice.findUniqueOrThrow({ where: { id: door.deviceId } }), (d) => d.allowedTypes.join() === "VIP");
      await page.locator('[data-testid="device-types"]', { hasText: "Admits VIP only" }).first().waitFor();
      expect(cspViolations(errors)).toEqual([]);
      await setDoorSettings({ capacity: null, privateNames: false });
    });
  });
}
