import { mkdirSync } from "node:fs";
import { createEvent, createShowing, createTickets } from "@admit/db/factories";
import { testBackends } from "@admit/db/testing";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trpc, type TestServer } from "../harness.ts";
import { ACCEPT, expireHolds, merchantPost, replyFor, startPaidCheckout } from "../payment-fixtures.ts";
import type { TestBrowser } from "./browser.ts";
import { officerOfNewClub } from "./officer-fixtures.ts";
import { buyFreeThroughApi, closeStorefront, openStorefront, signIn, student } from "./storefront-fixtures.ts";

const SHOTS = process.env.REVIEW_SHOTS;

async function shot(page: Page, name: string) {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${SHOTS}/${name}-desktop.png`, fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${SHOTS}/${name}-phone.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
}

for (const backend of testBackends()) {
  describe(`club money as students and treasurers use it (${backend.kind})`, { timeout: 300_000 }, () => {
    let server: TestServer;
    let browser: TestBrowser;

    beforeAll(async () => {
      ({ server, browser } = await openStorefront(backend));
    }, 240_000);
    afterAll(() => closeStorefront(server, browser));

    it("a student buys and reads the receipt; an officer refunds part of a ticket, then the rest, settles a late payment, sells, returns and cancels; the student sees each", async () => {
      const { page } = browser;
      const { prisma } = server.db;
      const { officer, clubId } = await officerOfNewClub(server, "Money Club");
      const event = await createEvent(prisma, clubId, { name: "Gala Night", description: "About the gala." });
      const start = new Date(server.clock.now().getTime() + 72 * 3_600_000);
      const showing = await createShowing(prisma, event.id, { startTime: start, endTime: new Date(start.getTime() + 7_200_000), location: "Irvine Auditorium" });
      await createTickets(prisma, showing.id, { type: "General", count: 10, price: "15.00" });
      await createTickets(prisma, showing.id, { type: "Free", count: 10, price: "0.00" });
      const buyer = await student(server, "Sally Student");
      await buyFreeThroughApi(server, buyer, showing.id, "Free", 1);

      await signIn(page, server, buyer.username, `/events/${event.id}`);
      await page.getByRole("button", { name: "More General tickets" }).click();
      await page.getByRole("button", { name: "More General tickets" }).click();
      await page.getByRole("button", { name: "Add to cart" }).click();
      await page.getByRole("link", { name: "Go to cart and check out" }).click();
      await shot(page, "01-cart");
      await page.getByRole("button", { name: "Check out · $30.00" }).click();
      await page.waitForURL(/\/sandbox\/cybersource\/pay$/);
      await shot(page, "02-sandbox");
      await page.getByRole("button", { name: "Pay $30.00" }).click();
      await page.waitForURL(/\/checkout\/result\?outcome=paid/);
      await shot(page, "03-result");
      await page.getByRole("link", { name: "View your order and receipt" }).click();
      await page.waitForURL(/\/orders\/[0-9a-f-]{36}$/);
      const orderId = new URL(page.url()).pathname.split("/").at(-1)!;
      await shot(page, "04-order");
      await page.goto(`${server.url}/orders`);
      await page.getByRole("heading", { level: 1, name: "My orders" }).waitFor();
      await shot(page, "05-orders");
      await server.runtime.mailSender.sendDue();
      await page.goto(`${server.url}/mailbox`);
      await page.getByRole("link", { name: /Your receipt for Gala Night/ }).first().click();
      await page.frameLocator("iframe.mail-frame").getByText(/Total: \$/).first().waitFor();
      await shot(page, "06-receipt");

      // A late payment owed back.
      const showcase = { showingId: showing.id, eventId: event.id, type: "General" };
      const late = await startPaidCheckout(server, showcase, 1);
      await expireHolds(server);
      await startPaidCheckout(server, showcase, 8);
      expect((await merchantPost(server, replyFor(server, late, ACCEPT))).status).toBe(200);

      await page.context().clearCookies();
      await signIn(page, server, officer.username, `/dashboard/${clubId}`);
      await page.getByTestId("money-needs-you").waitFor();
      await shot(page, "07-dashboard");
      await page.goto(`${server.url}/dashboard/${clubId}/orders`);
      const orderReference = (await prisma.order.findUniqueOrThrow({ where: { id: orderId } })).reference;
      await page.getByRole("link", { name: orderReference }).waitFor();
      await shot(page, "08-club-orders");
      await page.goto(`${server.url}/dashboard/${clubId}/orders/${orderId}`);
      const tickets = await prisma.orderTicket.findMany({ where: { orderId }, orderBy: { ticketId: "asc" } });
      await page.getByRole("button", { name: `Refund ticket ${tickets[0]!.ticketId.slice(0, 8)}` }).waitFor();
      await shot(page, "09-club-order");
      await page.getByRole("button", { name: `Refund ticket ${tickets[0]!.ticketId.slice(0, 8)}` }).click();
      await page.getByRole("dialog").waitFor();
      await shot(page, "10-refund-dialog");
      const dialog = page.getByRole("dialog");
      await dialog.getByLabel("Part of it").check();
      await dialog.getByLabel("Amount in dollars").fill("abc");
      await dialog.getByLabel("Reason").fill("Partly refunded");
      await dialog.getByRole("button", { name: "Refund", exact: true }).click();
      await shot(page, "11-refund-bad-amount");
      await dialog.getByLabel("Amount in dollars").fill("99");
      await dialog.getByRole("button", { name: "Refund", exact: true }).click();
      // The refusal shows where the officer is looking: by the Refund button, not scrolled away at the dialog's top.
      const refusal = dialog.getByRole("alert");
      await refusal.waitFor();
      await expect.poll(() => refusal.evaluate((el) => el.getBoundingClientRect().bottom <= window.innerHeight && el.getBoundingClientRect().top >= 0)).toBe(true);
      expect(await refusal.textContent()).toMatch(/\$15\.00/);
      await shot(page, "12-refund-too-much");
      await dialog.getByLabel("Amount in dollars").fill("5");
      await dialog.getByRole("button", { name: "Refund", exact: true }).click();
      await dialog.waitFor({ state: "detached" });
      await shot(page, "13-after-partial");
      await page.getByRole("button", { name: "Refund…" }).click();
      await page.getByRole("dialog").waitFor();
      await shot(page, "14-refund-rest-dialog");
      await page.getByRole("dialog").getByLabel("Reason").fill("The rest");
      await page.getByRole("dialog").getByRole("button", { name: "Refund", exact: true }).click();
      await page.getByRole("dialog").waitFor({ state: "detached" });
      await shot(page, "15-after-rest");
      await page.getByRole("link", { name: "Money Club" }).click();
      await page.getByTestId("money-needs-you").waitFor();
      await shot(page, "16-dashboard-tasks");
      // $45.00 of sales on one day: the axis's middle is $22.50 (not a rounded $23), and the key names only the bars.
      const chart = page.getByTestId("finance-panel").locator("figure.sales-chart");
      await chart.locator("figcaption").waitFor();
      expect(await chart.locator("text.chart-axis").allTextContents()).toContain("$22.50");
      expect(await chart.locator("figcaption").textContent()).not.toContain("running net");
      const latePayment = page.getByTestId("refund-needed-payment");
      await latePayment.getByText("Owed back", { exact: true }).waitFor();
      expect(await latePayment.textContent()).not.toMatch(/REFUND_NEEDED|manual/);
      await expect.poll(() => page.getByTestId("finance-refunded").textContent()).toBe("$0.00");
      await expect.poll(() => page.getByTestId("finance-owed").textContent()).toBe("$45.00");
      // Marking the late payment's refund done moves it from owed to refunded in the Money panel at once.
      const lateTask = page.getByTestId("refund-task").filter({ hasText: `reference ${late.reference}` });
      await lateTask.getByRole("button", { name: "Mark done" }).click();
      await lateTask.waitFor({ state: "detached" });
      await expect.poll(() => page.getByTestId("finance-refunded").textContent(), { timeout: 5_000 }).toBe("$15.00");
      expect(await page.getByTestId("finance-owed").textContent()).toBe("$30.00");
      await shot(page, "17-after-mark-done");

      // Student's view after refunds.
      await page.context().clearCookies();
      await signIn(page, server, buyer.username, `/orders/${orderId}`);
      await page.getByRole("heading", { level: 1, name: "Gala Night" }).waitFor();
      await shot(page, "18-student-order-refunded");
      await page.goto(`${server.url}/orders`);
      await page.getByRole("heading", { level: 1, name: "My orders" }).waitFor();
      // Both refunds are still tasks for the club: the order is not called refunded while the money is not back.
      const refundedOrder = page.getByRole("listitem").filter({ hasText: orderReference });
      await refundedOrder.getByText("Refund waiting for the club", { exact: true }).waitFor();
      expect(await refundedOrder.getByText("Refunded", { exact: true }).count()).toBe(0);
      await shot(page, "19-student-orders-refunded");
      const freeTicket = await prisma.ticket.findFirstOrThrow({ where: { ownerId: buyer.id, type: "Free" } });
      await page.goto(`${server.url}/tickets/${freeTicket.id}`);
      await page.getByText("Ticket details").waitFor();
      await shot(page, "20-free-ticket-no-returns");

      // Officer: selling controls and returns.
      await page.context().clearCookies();
      await signIn(page, server, officer.username, `/dashboard/${clubId}/showings/${showing.id}?tab=tickets`);
      await page.getByRole("button", { name: "Pause sales" }).waitFor();
      await shot(page, "21-showing-tickets-tab");
      await page.getByRole("button", { name: "Pause sales" }).click();
      await page.getByRole("button", { name: "Resume sales" }).waitFor();
      await shot(page, "22-paused");
      await page.getByRole("button", { name: "Resume sales" }).click();
      await page.getByRole("button", { name: "Pause sales" }).waitFor();
      const set = await trpc(server, "showing.updateType", { token: officer.token, mutation: true, input: { showingId: showing.id, type: "Free", returnHoursBefore: 24 } });
      expect(set.error).toBeUndefined();
      await page.reload();
      await page.getByRole("button", { name: "Pause sales" }).waitFor();
      await shot(page, "23-returns-set");

      await page.context().clearCookies();
      await signIn(page, server, buyer.username, `/tickets/${freeTicket.id}`);
      await page.getByRole("button", { name: "Return ticket" }).click();
      await shot(page, "24-return-dialog");
      await page.getByRole("dialog").getByRole("button", { name: "Return ticket" }).click();
      await page.waitForURL((url) => url.pathname === "/tickets");
      await shot(page, "25-returned");

      const buyer2 = await student(server, "Tom Two");
      await buyFreeThroughApi(server, buyer2, showing.id, "Free", 1);
      await page.context().clearCookies();
      await signIn(page, server, officer.username, `/dashboard/${clubId}/showings/${showing.id}?tab=tickets`);
      await page.getByRole("button", { name: "Cancel showing" }).click();
      await shot(page, "26-cancel-dialog");
      const cancelDialog = page.getByRole("dialog");
      await cancelDialog.getByLabel("Reason (holders read it)").fill("The hall flooded");
      await cancelDialog.getByRole("button", { name: "Cancel showing and refund everyone" }).click();
      await page.getByText("This showing is cancelled").waitFor();
      await page.getByText(/: The hall flooded\. Its tickets were voided/).waitFor();
      await shot(page, "27-cancelled");
      await page.context().clearCookies();
      await signIn(page, server, buyer2.username, `/orders`);
      await page.getByRole("heading", { level: 1, name: "My orders" }).waitFor();
      await shot(page, "28-student-cancelled-orders");
      await page.getByRole("link", { name: "Gala Night" }).first().click();
      await page.waitForURL(/\/orders\/[0-9a-f-]{36}$/);
      await shot(page, "29-student-cancelled-order");
      await page.goto(`${server.url}/tickets`);
      await shot(page, "30-student-tickets");
      await server.runtime.mailSender.sendDue();
      await page.goto(`${server.url}/mailbox`);
      await shot(page, "31-mailbox");
    });
  });
}
