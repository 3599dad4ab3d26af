import { testBackends } from "@admit/db/testing";
import type { Page, Response } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../harness.ts";
import { rest } from "../tickets-fixture.ts";
import { cspViolations as violations, imageAsCameraFeed, launchBrowser, launchStorefrontBrowser, type TestBrowser } from "./browser.ts";
import { createDoor, doorWorld, pairKiosk, requireBuiltKiosk, shownVerdict } from "./kiosk-fixtures.ts";
import { buyFreeThroughApi, eventually, requireBuiltStorefront, showingWith, signIn, student } from "./storefront-fixtures.ts";

function policyOf(response: Response | null): string {
  expect(response, "the page loaded").not.toBeNull();
  return response!.headers()["content-security-policy"] ?? "";
}

/** Waits until no skeleton placeholders are left, i.e. the page has loaded what it shows. */
const settled = (page: Page) => page.waitForFunction(() => document.querySelectorAll(".skeleton").length === 0);

// The apps under their Content-Security-Policy in real Chromium: every page a student or a door uses loads and works
// with nothing refused (scripts, styles, images, the mailbox's e-mail frame, the payment form, the camera decoder).
const backend = testBackends()[0]!;

describe("the web apps run under their Content-Security-Policy", { timeout: 180_000 }, () => {
  let server: TestServer;
  const browsers: TestBrowser[] = [];
  const cleanups: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    requireBuiltStorefront();
    requireBuiltKiosk();
    server = await startTestServer(backend);
  }, 240_000);
  afterAll(async () => {
    for (const b of browsers) await b.close().catch(() => undefined);
    for (const cleanup of cleanups) await cleanup();
    await server?.close();
  });

  it("the storefront: home, event, ticket with its QR code, the mailbox's e-mail frame and a paid checkout", async () => {
    const browser = await launchStorefrontBrowser();
    browsers.push(browser);
    const { page, errors } = browser;
    const sam = await student(server, "Sam Strict");
    const free = await showingWith(server, { eventName: "Policy Screening", types: [{ type: "General", count: 5, price: "0.00" }] });
    const paid = await showingWith(server, { eventName: "Policy Concert", types: [{ type: "General", count: 5, price: "12.00" }] });
    await buyFreeThroughApi(server, sam, free.showing.id, "General", 1);
    await server.runtime.mailSender.sendDue();
    const messageId = await eventually("the ticket e-mail", async () => {
      const mail = await server.db.prisma.outgoingEmail.findFirst({
        where: { toAddress: `${sam.username}@example.edu`, status: "SENT" },
        select: { id: true },
      });
      return mail?.id;
    });
    const ticket = await server.db.prisma.ticket.findFirstOrThrow({ where: { ownerId: sam.id } });

    const home = await page.goto(`${server.url}/`);
    expect(policyOf(home)).toContain("script-src 'self'");
    await page.getByText("Policy Screening").first().waitFor();
    await settled(page);

    await signIn(page, server, sam.username, `/events/${paid.event.id}`);
    await page.getByRole("heading", { level: 1, name: "Policy Concert" }).waitFor();

    await page.goto(`${server.url}/tickets/${ticket.id}`);
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>("img.qr-image");
      return Boolean(img?.complete && img.naturalWidth > 0);
    });

    // The e-mail's HTML, styled by attributes, in its sandboxed frame with its QR image.
    await page.goto(`${server.url}/mailbox/${messageId}`);
    const qr = page.frameLocator("iframe.mail-frame").locator("img").first();
    await expect.poll(() => qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    const styled = await page
      .frameLocator("iframe.mail-frame")
      .locator("h1")
      .evaluate((h1) => getComputedStyle(h1).fontSize);
    expect(styled).toBe("20px");

    // The payment form posts to the payment page, whose own inline script posts the result back to us.
    await page.goto(`${server.url}/events/${paid.event.id}`);
    await page.getByRole("button", { name: "More General tickets" }).click();
    await page.getByRole("button", { name: "Add to cart" }).click();
    await page.getByRole("link", { name: "Go to cart and check out" }).click();
    await page.getByRole("button", { name: "Check out · $12.00" }).click();
    await page.waitForURL(/\/sandbox\/cybersource\/pay$/);
    await page.getByRole("button", { name: "Pay $12.00" }).click();
    await page.waitForURL(/\/checkout\/result\?outcome=paid/);
    await page.getByRole("heading", { level: 1, name: "You're going!" }).waitFor();

    expect(violations(errors)).toEqual([]);
  });

  it("the kiosk: the pairing page, then the camera reading a ticket", async () => {
    const world = await doorWorld(server);
    const { id, owner } = await world.ticket("Carla Camera");
    const qr = await rest(server, "GET", `/api/tickets/${id}/qr/`, { token: owner.token });
    const feed = await imageAsCameraFeed(qr.bytes, { showSeconds: 3 });
    cleanups.push(feed.remove);
    const browser = await launchBrowser({ profilePrefix: "admit-csp-kiosk-", timeoutMs: 30_000, fakeCamera: feed.file });
    browsers.push(browser);
    const { page, errors } = browser;

    const pairing = await page.goto(`${server.url}/kiosk/`);
    expect(policyOf(pairing)).toContain("script-src 'self'");
    await page.getByRole("heading", { level: 1, name: "Pair this tablet as a door" }).waitFor();

    const door = await createDoor(server, world, "Policy door");
    await pairKiosk(page, server, door.code);
    expect(await shownVerdict(page, "ADMIT")).toContain("Carla Camera");

    expect(violations(errors)).toEqual([]);
  });
});
