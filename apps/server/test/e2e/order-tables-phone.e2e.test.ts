import { randomUUID } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import AxeBuilder from "@axe-core/playwright";
import { buildReply } from "@admit/cybersource";
import { createClub, createEvent, createShowing, createTickets } from "@admit/db/factories";
import { testBackends } from "@admit/db/testing";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trpc, type TestServer } from "../harness.ts";
import { ACCEPT, merchantPost } from "../payment-fixtures.ts";
import type { TestBrowser } from "./browser.ts";
import { closeStorefront, openStorefront, signIn, student } from "./storefront-fixtures.ts";

const SCREENSHOTS = fileURLToPath(new URL("../../test-results/screenshots/", import.meta.url));
const PHONE = { width: 375, height: 740 };
const DESKTOP = { width: 1280, height: 800 };

/** Nothing scrolls sideways: neither the page nor any table's own box. */
async function expectNoSidewaysScroll(page: Page) {
  const widths = await page.evaluate(() => ({
    page: document.documentElement.scrollWidth,
    viewport: window.innerWidth,
    tables: [...document.querySelectorAll(".table-wrap")].map((wrap) => ({
      table: wrap.getAttribute("aria-label"),
      scrollWidth: wrap.scrollWidth,
      clientWidth: wrap.clientWidth,
    })),
  }));
  expect(widths.tables.length).toBeGreaterThan(0);
  expect(widths.page, "the page must not scroll sideways").toBeLessThanOrEqual(widths.viewport);
  expect(widths.tables.filter((t) => t.scrollWidth > t.clientWidth), "no table may scroll sideways").toEqual([]);
}

/** Shown, and wholly inside the phone's width. */
async function expectOnScreen(locator: Locator) {
  await locator.waitFor();
  const box = await locator.boundingBox();
  expect(box).not.toBeNull();
  expect(box!.x).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width).toBeLessThanOrEqual(PHONE.width);
}

/** The column name drawn before a stacked cell. */
const drawnLabel = (cell: Locator) => cell.evaluate((td) => getComputedStyle(td, "::before").content);

async function expectNoSeriousAxeViolations(page: Page) {
  const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]).analyze();
  const serious = axe.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(serious).toEqual([]);
}

/** What Chromium itself tells screen readers: the roles and names in its accessibility tree. */
async function accessibilityTree(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { nodes } = (await cdp.send("Accessibility.getFullAXTree")) as { nodes: Array<{ role?: { value?: string }; name?: { value?: string } }> };
    return nodes.map((n) => ({ role: n.role?.value ?? "", name: n.name?.value ?? "" }));
  } finally {
    await cdp.detach();
  }
}

// Order tables at a phone's width: rows stack into blocks of "column: value" lines instead of scrolling sideways.
for (const backend of testBackends()) {
  describe(`order tables on a phone (${backend.kind})`, { timeout: 180_000 }, () => {
    let server: TestServer;
    let browser: TestBrowser;

    beforeAll(async () => {
      ({ server, browser } = await openStorefront(backend));
    }, 240_000);
    afterAll(() => closeStorefront(server, browser));

    it("a student's order, the officer's order and the club's orders read at 375 px without sideways scrolling", async () => {
      const { page } = browser;
      const { prisma } = server.db;
      const officer = await student(server, "Olive Officer");
      const club = await createClub(prisma, { name: "Penn Jazz Ensemble", officers: [officer.id] });
      const event = await createEvent(prisma, club.id, { name: "Winter Concert in the Grand Hall" });
      const start = new Date(server.clock.now().getTime() + 48 * 3_600_000);
      const showing = await createShowing(prisma, event.id, {
        startTime: start,
        endTime: new Date(start.getTime() + 2 * 3_600_000),
        location: "Irvine Auditorium",
        ticketOrderLimit: 10,
      });
      await createTickets(prisma, showing.id, { type: "General admission", count: 10, price: "15.00", groupDiscount: "0.2", groupSize: 4 });
      await createTickets(prisma, showing.id, { type: "Balcony", count: 4, price: "22.50" });

      // A paid order of two lines, one with a group discount, and a refund of one ticket.
      const buyer = await student(server, "Bartholomew Buyer-Longname");
      const added = await trpc(server, "cart.add", {
        token: buyer.token,
        mutation: true,
        input: { showingId: showing.id, quantities: [{ type: "General admission", count: 4 }, { type: "Balcony", count: 1 }] },
      });
      expect(added.error).toBeUndefined();
      const started = await trpc(server, "checkout.start", { token: buyer.token, mutation: true });
      expect(started.error).toBeUndefined();
      const params = (started.data as { payment_params: Record<string, string> }).payment_params;
      const reply = buildReply(server.runtime.config.cybersource.profile, params, ACCEPT, server.clock.now());
      expect((await merchantPost(server, reply)).status).toBe(200);
      const order = await prisma.order.findFirstOrThrow({ where: { userId: buyer.id }, include: { lines: true, tickets: true } });
      expect(order.total.toFixed(2)).toBe("70.50");
      expect(order.lines).toHaveLength(2);
      const balcony = await prisma.ticket.findFirstOrThrow({ where: { id: { in: order.tickets.map((t) => t.ticketId) }, type: "Balcony" } });
      const refunded = await trpc(server, "refund.refundOrder", {
        token: officer.token,
        mutation: true,
        input: { orderId: order.id, ticketIds: [balcony.id], reason: "The buyer cannot come after all", returnToSale: false, idempotencyKey: randomUUID() },
      });
      expect(refunded.error).toBeUndefined();

      await page.setViewportSize(PHONE);
      await mkdir(SCREENSHOTS, { recursive: true });

      // The student's order: the lines table stacks; a line's amount and the total are on screen.
      await signIn(page, server, buyer.username, `/orders/${order.id}`);
      const lines = page.getByRole("table", { name: "What you bought" });
      const general = lines.getByRole("row", { name: /General admission/ });
      const amount = general.locator('td[data-label="Amount"]');
      await expectOnScreen(amount.getByText("$48.00", { exact: true }));
      await expect(drawnLabel(amount)).resolves.toContain("Amount");
      await expectOnScreen(general.getByText("-$12.00", { exact: true }));
      await expectOnScreen(lines.locator("tfoot").getByText("Total", { exact: true }));
      await expectOnScreen(lines.locator("tfoot").getByText("$70.50", { exact: true }));
      await expectNoSidewaysScroll(page);
      await expectNoSeriousAxeViolations(page);
      // Chromium still presents a table with its column headers (read in capitals, as drawn on a desktop); a cell's
      // drawn label is not read out on top of its header.
      const tree = await accessibilityTree(page);
      expect(tree).toContainEqual({ role: "table", name: "What you bought" });
      expect(tree.filter((n) => n.role === "columnheader").map((n) => n.name.toLowerCase())).toEqual(
        expect.arrayContaining(["event and showing", "amount"]),
      );
      expect(tree).toContainEqual({ role: "cell", name: "$48.00" });
      await page.screenshot({ path: `${SCREENSHOTS}order-tables-student-phone.png`, fullPage: true });

      // The club's orders list.
      await browser.context.clearCookies();
      await signIn(page, server, officer.username, `/dashboard/${club.id}/orders`);
      const listed = page.getByTestId("club-orders").getByRole("row", { name: new RegExp(order.reference) });
      await expectOnScreen(listed.getByRole("link", { name: order.reference }));
      await expectOnScreen(listed.getByText("$70.50", { exact: true }));
      await expectNoSidewaysScroll(page);
      await expectNoSeriousAxeViolations(page);
      await page.screenshot({ path: `${SCREENSHOTS}order-tables-club-orders-phone.png`, fullPage: true });

      // The officer's order: lines, tickets and refunds all stack.
      await listed.getByRole("link", { name: order.reference }).click();
      await page.getByRole("heading", { level: 1, name: `Order ${order.reference}` }).waitFor();
      const officerLine = page.getByRole("table", { name: "Lines" }).getByRole("row", { name: /General admission/ });
      await expectOnScreen(officerLine.locator('td[data-label="Amount"]').getByText("$48.00", { exact: true }));
      await expectOnScreen(page.getByTestId("order-tickets").getByRole("button", { name: `Refund ticket ${order.tickets.find((t) => t.ticketId !== balcony.id)!.ticketId.slice(0, 8)}` }));
      await expectOnScreen(page.getByTestId("order-refunds").getByText("$22.50", { exact: true }));
      await expectOnScreen(page.getByTestId("order-refunds").getByText("The buyer cannot come after all"));
      await expectNoSidewaysScroll(page);
      await expectNoSeriousAxeViolations(page);
      await page.screenshot({ path: `${SCREENSHOTS}order-tables-club-order-phone.png`, fullPage: true });

      // On a desktop the same tables stay tables: header row shown, cells side by side.
      await page.setViewportSize(DESKTOP);
      const header = page.getByRole("table", { name: "Lines" }).getByRole("columnheader", { name: "Amount" });
      await header.waitFor();
      await expect(header.isVisible()).resolves.toBe(true);
      await expect(officerLine.evaluate((tr) => getComputedStyle(tr).display)).resolves.toBe("table-row");
      await expect(drawnLabel(officerLine.locator('td[data-label="Amount"]'))).resolves.toBe("none");
    });
  });
}
