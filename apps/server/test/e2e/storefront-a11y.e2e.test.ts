import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import AxeBuilder from "@axe-core/playwright";
import { testBackends } from "@admit/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, trpc, type TestServer } from "../harness.ts";
import { launchStorefrontBrowser, type TestBrowser } from "./browser.ts";
import { buyFreeThroughApi, eventually, requireBuiltStorefront, showingWith, signIn, student, type Student } from "./storefront-fixtures.ts";

const SCREENSHOTS = fileURLToPath(new URL("../../test-results/screenshots/", import.meta.url));

const VIEWPORTS = [
  { name: "phone", width: 390, height: 844 },
  { name: "desktop", width: 1280, height: 800 },
] as const;

interface PageCase {
  name: string;
  path: () => string;
  /** Text that shows once the page's data has loaded (no skeletons left). */
  ready: string;
  /** Match `ready` as the whole text of an element (the mailbox's list also says "2 attachments", hidden on a phone). */
  readyExact?: boolean;
}

/**
 * axe-core on the main pages with real data, at phone and desktop widths, plus a screenshot of each. What is checked
 * is the page itself, the same whichever database is underneath, so this runs on the embedded one only; the flows in
 * storefront.e2e.test.ts run on both.
 */
for (const backend of testBackends().slice(0, 1)) {
  describe(`storefront accessibility and layout (${backend.kind})`, { timeout: 120_000 }, () => {
    let server: TestServer;
    let browser: TestBrowser;
    let buyer: Student;
    let eventId = 0;
    let ticketId = "";
    let orderId = "";
    let messageId = "";

    beforeAll(async () => {
      requireBuiltStorefront();
      await mkdir(SCREENSHOTS, { recursive: true });
      server = await startTestServer(backend);
      browser = await launchStorefrontBrowser();
      buyer = await student(server, "Avery Axe");
      const concert = await showingWith(server, {
        clubName: "Jazz Ensemble",
        eventName: "Winter Concert",
        types: [
          { type: "General", count: 40, price: "15.00", groupDiscount: "0.2", groupSize: 4 },
          { type: "Front Row", count: 6, price: "40.00", transferable: false },
          { type: "Balcony", count: 1, price: "10.00" },
        ],
        orderLimit: 8,
      });
      eventId = concert.event.id;
      const screening = await showingWith(server, {
        clubName: "Film Society",
        eventName: "Friday Night Screening",
        types: [{ type: "General", count: 30, price: "0.00" }],
        startsInHours: 30,
      });
      await showingWith(server, {
        clubName: "Jazz Ensemble",
        eventName: "Spring Gala",
        types: [{ type: "Gala", count: 20, price: "55.00" }],
        startsInHours: 24 * 40,
        dropTime: new Date(server.clock.now().getTime() + 3 * 24 * 3_600_000),
      });
      await buyFreeThroughApi(server, buyer, screening.showing.id, "General", 2);
      ticketId = (await server.db.prisma.ticket.findFirstOrThrow({ where: { ownerId: buyer.id } })).id;
      orderId = (await server.db.prisma.order.findFirstOrThrow({ where: { userId: buyer.id } })).id;
      // Someone else takes the only Balcony seat, so the event page shows a sold-out type.
      const other = await student(server, "Blake Balcony");
      await trpc(server, "cart.add", { token: other.token, mutation: true, input: { showingId: concert.showing.id, quantities: [{ type: "Balcony", count: 1 }] } });
      await trpc(server, "checkout.start", { token: other.token, mutation: true });
      const added = await trpc(server, "cart.add", {
        token: buyer.token,
        mutation: true,
        input: { showingId: concert.showing.id, quantities: [{ type: "General", count: 4 }, { type: "Front Row", count: 1 }] },
      });
      expect(added.error).toBeUndefined();
      // The ticket e-mail lands in the development mailbox (no SMTP server in tests).
      await server.runtime.mailSender.sendDue();
      messageId = await eventually("the order's receipt", async () => {
        const mail = await server.db.prisma.outgoingEmail.findFirst({
          where: { toAddress: `${buyer.username}@example.edu`, status: "SENT", subject: { startsWith: "Your receipt" } },
          select: { id: true },
        });
        return mail?.id;
      });
      await signIn(browser.page, server, buyer.username, "/");
    }, 240_000);
    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    const pages: PageCase[] = [
      { name: "events", path: () => "/", ready: "Winter Concert" },
      { name: "event", path: () => `/events/${eventId}`, ready: "20% off each General ticket when you buy 4 or more" },
      { name: "cart", path: () => "/cart", ready: "Order summary" },
      { name: "my-tickets", path: () => "/tickets", ready: "Upcoming (2)" },
      { name: "ticket", path: () => `/tickets/${ticketId}`, ready: "Ticket details" },
      { name: "my-orders", path: () => "/orders", ready: "Friday Night Screening" },
      { name: "order", path: () => `/orders/${orderId}`, ready: "Order summary" },
      { name: "mailbox", path: () => `/mailbox/${messageId}`, ready: "Attachments", readyExact: true },
      { name: "account", path: () => "/account", ready: "Username" },
      { name: "forgot-password", path: () => "/forgot-password", ready: "Send me a link" },
    ];

    for (const pageCase of pages) {
      it(`the ${pageCase.name} page has no serious or critical axe violations at phone and desktop widths`, async () => {
        const { page } = browser;
        for (const viewport of VIEWPORTS) {
          await page.setViewportSize({ width: viewport.width, height: viewport.height });
          await page.goto(`${server.url}${pageCase.path()}`);
          await page.getByText(pageCase.ready, { exact: pageCase.readyExact ?? false }).first().waitFor();
          await page.waitForFunction(() => document.querySelectorAll(".skeleton").length === 0);
          if (pageCase.name === "ticket") {
            await page.waitForFunction(() => {
              const img = document.querySelector<HTMLImageElement>("img.qr-image");
              return Boolean(img?.complete && img.naturalWidth > 0);
            });
          }
          if (pageCase.name === "mailbox") {
            // The e-mail's inline QR code loads inside the message frame with the reader's session.
            const qr = page.frameLocator("iframe.mail-frame").locator("img").first();
            await expect.poll(() => qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
          }
          // The e-mail's own HTML inside the mailbox frame is the mail layout's, not this page's.
          const axe = await new AxeBuilder({ page })
            .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"])
            .exclude("iframe.mail-frame")
            .analyze();
          const serious = axe.violations
            .filter((v) => v.impact === "serious" || v.impact === "critical")
            .map((v) => `${v.id} (${v.impact}) at ${viewport.name}: ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
          expect(serious).toEqual([]);
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
          expect(overflow, "the page must not scroll sideways").toBeLessThanOrEqual(0);
          await page.screenshot({ path: `${SCREENSHOTS}${pageCase.name}-${viewport.name}.png`, fullPage: true });
        }
      });
    }
  });
}
