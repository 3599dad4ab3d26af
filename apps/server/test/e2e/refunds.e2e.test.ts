import { testBackends } from "@admit/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestServer } from "../harness.ts";
import { ACCEPT, expireHolds, merchantPost, replyFor, startPaidCheckout } from "../payment-fixtures.ts";
import { clubWorld, soldOrder } from "../refund-fixtures.ts";
import type { TestBrowser } from "./browser.ts";
import { closeStorefront, eventually, openStorefront, signIn } from "./storefront-fixtures.ts";

// Club money in Chromium: an officer refunds one ticket of an order, then handles a late payment owed back from the dashboard.
for (const backend of testBackends()) {
  describe(`officer refunds in a browser (${backend.kind})`, { timeout: 180_000 }, () => {
    let server: TestServer;
    let browser: TestBrowser;

    beforeAll(async () => {
      ({ server, browser } = await openStorefront(backend));
    }, 240_000);
    afterAll(() => closeStorefront(server, browser));

    it("refunds one ticket of an order; the dashboard shows a REFUND_NEEDED payment and its task, marked done", async () => {
      const { page } = browser;
      const { prisma } = server.db;
      const world = await clubWorld(server, { count: 4, price: "15.00" });
      const order = await soldOrder(server, [{ showingId: world.showingId, count: 2 }]);
      const showcase = { showingId: world.showingId, eventId: world.eventId, type: "General" };
      const late = await startPaidCheckout(server, showcase, 1);
      await expireHolds(server);
      await startPaidCheckout(server, showcase, 2);
      expect((await merchantPost(server, replyFor(server, late, ACCEPT))).status).toBe(200);
      expect((await prisma.payment.findUniqueOrThrow({ where: { id: late.paymentId } })).status).toBe("REFUND_NEEDED");

      // The officer finds the order in the club's orders by the buyer's e-mail and refunds one of its two tickets.
      await signIn(page, server, world.officer.username, `/dashboard/${world.clubId}/orders`);
      await page.getByLabel("Search orders").fill(order.buyer.email);
      await page.getByRole("button", { name: "Search" }).click();
      await page.getByRole("link", { name: order.reference }).click();
      await page.getByRole("heading", { level: 1, name: `Order ${order.reference}` }).waitFor();
      const [ticket, kept] = order.ticketIds;
      await page.getByRole("button", { name: `Refund ticket ${ticket!.slice(0, 8)}` }).click();
      const dialog = page.getByRole("dialog");
      await dialog.getByText("Refunds are not automatic on this site").waitFor();
      await dialog.getByRole("button", { name: "Refund", exact: true }).click();
      await dialog.getByText("Say why, in a few words: the buyer reads it.").waitFor();
      await dialog.getByLabel("Reason").fill("The buyer cannot come");
      await dialog.getByRole("button", { name: "Refund", exact: true }).click();
      await page.locator("#main").getByText("$15.00 is now a task for the club").waitFor();
      const refund = await prisma.refund.findFirstOrThrow({ where: { orderId: order.orderId }, include: { tickets: true } });
      expect(refund).toMatchObject({ status: "MANUAL", reason: "The buyer cannot come", requestedById: world.officer.id });
      expect(refund.tickets.map((t) => t.ticketId)).toEqual([ticket]);
      expect(await prisma.ticket.findUniqueOrThrow({ where: { id: ticket! } })).toMatchObject({ ownerId: null, voidedAt: null, qrGeneration: 1 });
      expect(await prisma.ticket.findUniqueOrThrow({ where: { id: kept! } })).toMatchObject({ ownerId: order.buyer.id });
      await page.getByTestId("order-tickets").getByText("void (refunded)").waitFor();

      // The dashboard: the late payment owed back, and both refunds as Business Center tasks with exact instructions.
      await page.goto(`${server.url}/dashboard/${world.clubId}`);
      const panel = page.getByTestId("money-needs-you");
      await panel.getByTestId("refund-needed-payment").getByText(`Late payment ${late.reference}`).waitFor();
      const lateTask = panel.getByTestId("refund-task").filter({ hasText: `reference ${late.reference}` });
      await lateTask.getByText("Refund $15.00").first().waitFor();
      await expect(lateTask.getByTestId("refund-instruction").textContent()).resolves.toContain("in the CyberSource Business Center, transaction");
      expect(await panel.getByTestId("refund-task").count()).toBe(2);
      await lateTask.getByRole("button", { name: "Mark done" }).click();
      await eventually("the late payment refunded", async () =>
        (await prisma.payment.findUniqueOrThrow({ where: { id: late.paymentId } })).status === "REFUNDED" ? true : null,
      );
      await panel.getByTestId("refund-needed-payment").waitFor({ state: "detached" });
      await eventually("one task left", async () => ((await panel.getByTestId("refund-task").count()) === 1 ? true : null));
      const lateRefund = await prisma.refund.findFirstOrThrow({ where: { order: { paymentId: late.paymentId } } });
      expect(lateRefund).toMatchObject({ status: "SUCCEEDED", completedById: world.officer.id });
    });
  });
}
