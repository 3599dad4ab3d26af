import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { testBackends } from "@admit/db/testing";
import { PNG } from "pngjs";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestServer } from "../harness.ts";
import { cameraFrame, firstDecoder } from "../qr-decoders.ts";
import { decodeQrPng } from "../tickets-fixture.ts";
import { imageAsCameraFeed } from "./browser.ts";
import { createDoor, dismissVerdict, doorWorld, openKiosk, pairKiosk, scanWithHandScanner, type DoorWorld, type KioskSuite } from "./kiosk-fixtures.ts";

const SCREENSHOTS = fileURLToPath(new URL("../../test-results/screenshots/", import.meta.url));

/** The overlay's family, icon and look (what a tired volunteer reads at arm's length). */
async function shownFamily(page: Page, verdict: string) {
  const overlay = page.locator(`[data-verdict="${verdict}"]`);
  await overlay.waitFor();
  await page.screenshot({ path: `${SCREENSHOTS}kiosk-verdict-${verdict}.png` }).catch(() => undefined);
  return overlay.evaluate((el) => {
    const style = getComputedStyle(el);
    return {
      family: el.getAttribute("data-family"),
      icon: el.querySelector("[data-icon]")?.getAttribute("data-icon") ?? null,
      look: `${style.backgroundColor} ${style.backgroundImage}`,
      text: (el as HTMLElement).innerText.replace(/\s+/g, " "),
    };
  });
}

type ShownOverlay = { verdict: string | null; family: string | null; icon: string | null; again: boolean };

/** Runs in the page before its scripts: notes each verdict overlay as it appears or changes, in order. */
function recordOverlays() {
  const shown: ShownOverlay[] = [];
  (window as unknown as { overlaysShown: ShownOverlay[] }).overlaysShown = shown;
  let last = "";
  new MutationObserver(() => {
    const el = document.querySelector("[data-verdict]");
    if (!el) return void (last = "");
    const overlay = {
      verdict: el.getAttribute("data-verdict"),
      family: el.getAttribute("data-family"),
      icon: el.querySelector("[data-icon]")?.getAttribute("data-icon") ?? null,
      again: el.getAttribute("data-shown-again") === "true",
    };
    const key = JSON.stringify(overlay);
    if (key !== last) shown.push(overlay);
    last = key;
  }).observe(document, { subtree: true, childList: true, attributes: true });
}

// What door staff see and hear, in real Chromium against a real server. These are the tablet's own behaviours, the
// same on either database, so they run on the embedded one.
describe("door kiosk: verdicts, sound and hard-to-read codes", { timeout: 180_000 }, () => {
  let kiosk: KioskSuite;
  let server: TestServer;
  let world: DoorWorld;

  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    kiosk = await openKiosk(testBackends()[0]!, "admit-kiosk-signals-");
    ({ server, world } = kiosk);
  });
  afterAll(async () => kiosk?.close());

  it("shows three families: green check to let in, amber stripes and clock for already in, red cross-hatch and cross for every refusal", async () => {
    const first = await world.ticket("Ada Arrival");
    const second = await world.ticket("Ben Second");
    const elsewhere = await (await doorWorld(server)).ticket("Will Wrongshow");
    const code = async (t: { id: string; owner: { token: string } }) => decodeQrPng(await kiosk.qrPng(t.id, t.owner.token));
    const [firstCode, secondCode, elsewhereCode] = [await code(first), await code(second), await code(elsewhere)];
    const forged = `${firstCode.slice(0, -12)}${firstCode.at(-12) === "A" ? "B" : "A"}${firstCode.slice(-11)}`;

    const { page } = await kiosk.browser();
    await pairKiosk(page, server, (await createDoor(server, world, "Family door")).code);

    await scanWithHandScanner(page, firstCode);
    const admit = await shownFamily(page, "ADMIT");
    expect(admit).toMatchObject({ family: "admit", icon: "check" });
    expect(admit.text).toContain("Ada Arrival");
    await dismissVerdict(page);
    await scanWithHandScanner(page, secondCode);
    await shownFamily(page, "ADMIT");
    await dismissVerdict(page);

    await scanWithHandScanner(page, firstCode);
    const already = await shownFamily(page, "ALREADY_IN");
    expect(already).toMatchObject({ family: "already-in", icon: "clock" });
    expect(already.look).toContain("repeating-linear-gradient");
    await dismissVerdict(page);

    const refusals = [];
    for (const [text, verdict] of [
      [forged, "FORGED"],
      ["NOT-A-TICKET-0042", "UNKNOWN"],
      [elsewhereCode, "WRONG_SHOWING"],
    ] as const) {
      await scanWithHandScanner(page, text);
      const shown = await shownFamily(page, verdict);
      expect(shown, verdict).toMatchObject({ family: "refused", icon: "cross" });
      refusals.push(shown.look);
      await dismissVerdict(page);
    }
    // Every refusal looks the same, and like neither of the other two families.
    expect(new Set(refusals).size).toBe(1);
    expect(new Set([admit.look, already.look, refusals[0]]).size).toBe(3);
  });

  it("says 'same ticket, admitted just now' when the code that was just let in comes back within two seconds", async () => {
    const { id, owner } = await world.ticket("Pia Passback");
    // In view for 0.8 s, away for 0.9 s (handed to a friend), back again: over and over.
    const feed = await imageAsCameraFeed(await kiosk.qrPng(id, owner.token), { showSeconds: 0.8, blankSeconds: 0.9, still: true });
    kiosk.onClose(feed.remove);
    const { page } = await kiosk.browser(feed.file);
    // The code comes back every 1.7 s, so on a busy machine the first overlay may already have turned into "same
    // ticket" by the time the test looks. The page writes down every overlay as it appears instead.
    await page.addInitScript(recordOverlays);
    await pairKiosk(page, server, (await createDoor(server, world, "Passback door")).code);

    const again = page.locator('[data-verdict="ADMIT"][data-shown-again="true"]');
    await again.waitFor();
    const text = (await again.innerText()).replace(/\s+/g, " ");
    expect(text).toMatch(/Same ticket/i);
    expect(text).toContain("admitted just now");
    expect(text).toContain("Pia Passback");
    expect(await again.getAttribute("data-family")).toBe("already-in");
    expect(await again.locator("[data-icon]").getAttribute("data-icon")).toBe("clock");
    const shown = await page.evaluate(() => (window as unknown as { overlaysShown: ShownOverlay[] }).overlaysShown);
    expect(shown[0]).toEqual({ verdict: "ADMIT", family: "admit", icon: "check", again: false });
    expect(shown.findIndex((o) => o.again)).toBeGreaterThan(0);
    // Nothing was admitted twice: the tablet holds one admit.
    const admits = await server.db.prisma.checkInEntry.findMany({ where: { ticketId: id } });
    expect(admits.length).toBeLessThanOrEqual(1);
  });

  it("shows 'tap for sound' until a tap, and again after a reload; the pairing tap turns sound on", async () => {
    const { page } = await kiosk.browser();
    // Paired by link: no one has touched the tablet, so the browser keeps it silent.
    await pairKiosk(page, server, (await createDoor(server, world, "Quiet door")).code);
    const locked = page.getByTestId("sound-locked");
    await locked.waitFor();
    expect(await locked.innerText()).toMatch(/tap for sound/i);
    await page.screenshot({ path: `${SCREENSHOTS}kiosk-sound-locked.png` });
    // A plain tap where the control is: it is gone as soon as the finger is down, before Playwright's own click
    // (which checks what is under the pointer first) would have finished.
    const box = (await locked.boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await locked.waitFor({ state: "detached" });

    await page.reload();
    await page.locator('.door[data-ready="true"]').waitFor();
    await locked.waitFor();
    // Any tap on the kiosk will do, not only the control.
    await page.mouse.click(4, 4);
    await locked.waitFor({ state: "detached" });

    // Paired by typing the code and tapping Pair: sound is on from the start.
    const other = await kiosk.browser();
    await other.page.goto(`${server.url}/kiosk/`);
    await other.page.locator("#pairing-code").fill((await createDoor(server, world, "Typed door")).code);
    await other.page.getByRole("button", { name: "Pair", exact: true }).click();
    await other.page.locator('.door[data-ready="true"]').waitFor();
    expect(await other.page.getByTestId("sound-locked").count()).toBe(0);
  });

  it("reads a code that html5-qrcode's zxing-js never reads, held perfectly still and square in front of the camera", async () => {
    // Find a ticket whose code zxing-js (the camera's first decoder without a built-in barcode detector, as in this
    // Chromium) cannot read, drawn as the feed draws it and at full size.
    let hard: { id: string; png: Buffer } | null = null;
    for (let tries = 0; tries < 120 && !hard; tries++) {
      const { id, owner } = await world.ticket(`Hana Hardcode ${tries}`);
      const png = await kiosk.qrPng(id, owner.token);
      const image = PNG.sync.read(png);
      if (firstDecoder(cameraFrame(image, 340 / image.width)) === null && firstDecoder(cameraFrame(image, 1)) === null) hard = { id, png };
    }
    expect(hard, "no code of 120 was one zxing-js misses").not.toBeNull();
    const feed = await imageAsCameraFeed(hard!.png, { showSeconds: 3, still: true });
    kiosk.onClose(feed.remove);
    const { page, errors } = await kiosk.browser(feed.file);
    await pairKiosk(page, server, (await createDoor(server, world, "Still door")).code);
    expect(await shownFamily(page, "ADMIT"), errors.join("\n")).toMatchObject({ family: "admit" });
    expect(errors.filter((e) => /Content Security Policy|Refused to|wasm/i.test(e))).toEqual([]);
    // Finding such a code takes up to 120 tickets drawn and decoded: minutes on a busy two-core machine.
  }, 360_000);
});
