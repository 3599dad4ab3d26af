import { testBackends } from "@admit/db/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { TestServer } from "../harness.ts";
import type { TestBrowser } from "./browser.ts";
import { closeStorefront, eventually, openStorefront, showingWith, signIn, student } from "./storefront-fixtures.ts";

// A student checks out, finds the order under My orders, and reads its receipt in the development mailbox.
for (const backend of testBackends()) {
  describe(`orders in a browser (${backend.kind})`, { timeout: 180_000 }, () => {
    let server: TestServer;
    let browser: TestBrowser;

    beforeAll(async () => {
      ({ server, browser } = await openStorefront(backend));
    }, 240_000);
    afterAll(() => closeStorefront(server, browser));
    beforeEach(async () => {
      await browser.context.clearCookies();
    });

    it("a student pays, sees the order with its lines, total and reference, then its one receipt with every QR code", async () => {
      const { page } = browser;
      const payer = await student(server, "Olivia Order");
      const { event } = await showingWith(server, {
        clubName: "Jazz Ensemble",
        eventName: "Winter Concert",
        types: [{ type: "General", count: 10, price: "15.00", groupDiscount: "0.2", groupSize: 4 }],
      });

      await signIn(page, server, payer.username, `/events/${event.id}`);
      await page.getByText("20% off each General ticket when you buy 4 or more").waitFor();
      for (let i = 0; i < 4; i++) await page.getByRole("button", { name: "More General tickets" }).click();
      await page.getByRole("button", { name: "Add to cart" }).click();
      await page.getByText("4 tickets added to your cart.").first().waitFor();
      await page.getByRole("link", { name: "Go to cart and check out" }).click();
      await page.getByRole("button", { name: "Check out · $48.00" }).click();
      await page.waitForURL(/\/sandbox\/cybersource\/pay$/);
      await page.getByRole("button", { name: "Pay $48.00" }).click();
      await page.waitForURL(/\/checkout\/result\?outcome=paid/);
      await page.getByRole("heading", { level: 1, name: "You're going!" }).waitFor();

      // The result page leads to the order it made.
      await page.getByRole("link", { name: "View your order and receipt" }).click();
      await page.waitForURL(/\/orders\/[0-9a-f-]{36}$/);
      const orderId = new URL(page.url()).pathname.split("/").at(-1)!;
      const order = await server.db.prisma.order.findUniqueOrThrow({ where: { id: orderId }, include: { payment: true } });
      expect(order.userId).toBe(payer.id);
      await page.getByRole("heading", { level: 1, name: "Winter Concert" }).waitFor();
      const summary = page.getByRole("region", { name: "Order summary" });
      await summary.getByText("Paid", { exact: true }).waitFor();
      await summary.getByText(order.reference).waitFor();
      await summary.getByText(order.payment!.transactionId!).waitFor();
      const lines = page.getByRole("table", { name: "What you bought" });
      const row = lines.getByRole("row", { name: /General/ });
      await expect.poll(() => row.innerText()).toMatch(/General\s+4\s+\$15\.00\s+-\$12\.00\s+\$48\.00/);
      await expect.poll(() => lines.getByRole("row", { name: /Total/ }).innerText()).toMatch(/Total\s+\$48\.00/);
      const ticketLinks = page.getByRole("link", { name: "Winter Concert, General" });
      await expect.poll(() => ticketLinks.count()).toBe(4);

      // My orders in the navigation lists it; a ticket opens from the order.
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "My orders" }).click();
      await page.getByRole("heading", { level: 1, name: "My orders" }).waitFor();
      const listed = page.getByRole("listitem").filter({ hasText: order.reference });
      await listed.getByText("Paid", { exact: true }).waitFor();
      await listed.getByText("$48.00").waitFor();
      await listed.getByRole("link", { name: "Winter Concert" }).click();
      await page.waitForURL(`${server.url}/orders/${orderId}`);
      await ticketLinks.first().click();
      await page.waitForURL(/\/tickets\/[0-9a-f-]{36}$/);
      await page.getByText("Ticket details").waitFor();

      // One receipt for the order, in the development mailbox, with the four QR codes inline.
      await server.runtime.mailSender.sendDue();
      const receipt = await eventually("the receipt to be sent", () =>
        server.db.prisma.outgoingEmail.findFirst({ where: { dedupeKey: `receipt:${orderId}`, status: "SENT" } }),
      );
      expect(await server.db.prisma.outgoingEmail.count({ where: { toAddress: receipt.toAddress } })).toBe(1);
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Mailbox" }).click();
      await page.getByRole("link", { name: /Your receipt for Winter Concert/ }).click();
      const mail = page.frameLocator("iframe.mail-frame");
      await mail.getByText("Total: $48.00").waitFor();
      await mail.getByText(`Reference number: ${order.reference}`, { exact: false }).waitFor();
      await mail.getByText("4 × General at $15.00 = $48.00 (group discount $12.00)", { exact: false }).waitFor();
      const images = mail.locator("img");
      await expect.poll(() => images.count()).toBe(4);
      for (let i = 0; i < 4; i++) {
        await expect.poll(() => images.nth(i).evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
      }
    });

    it("a free checkout's result page links to its order; someone else's order is not found", async () => {
      const { page } = browser;
      const maya = await student(server, "Maya Free");
      const other = await student(server, "Omar Other");
      const { event } = await showingWith(server, { eventName: "Free Screening", types: [{ type: "General", count: 10, price: "0.00" }] });

      await signIn(page, server, maya.username, `/events/${event.id}`);
      await page.getByRole("button", { name: "More General tickets" }).click();
      await page.getByRole("button", { name: "Add to cart" }).click();
      await page.getByText("1 ticket added to your cart.").first().waitFor();
      await page.getByRole("link", { name: "Go to cart and check out" }).click();
      await page.getByRole("button", { name: "Get my free tickets" }).click();
      await page.waitForURL(/\/checkout\/result\?outcome=free/);
      await page.getByRole("link", { name: "View your order and receipt" }).click();
      await page.waitForURL(/\/orders\/[0-9a-f-]{36}$/);
      const orderUrl = page.url();
      await page.getByText("Confirmed", { exact: true }).waitFor();
      await page.getByText("Order reference").waitFor();

      await page.getByRole("button", { name: "Sign out" }).click();
      await signIn(page, server, other.username, new URL(orderUrl).pathname);
      await page.getByRole("heading", { level: 1, name: "Order not found" }).waitFor();
    });
  });
}
