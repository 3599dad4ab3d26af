import { testBackends } from "@admit/db/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { trpc, type TestServer } from "../harness.ts";
import { clubWorld, soldOrder } from "../refund-fixtures.ts";
import type { TestBrowser } from "./browser.ts";
import { checkOnPhone } from "./phone-check.ts";
import { closeStorefront, eventually, openStorefront, signIn, student } from "./storefront-fixtures.ts";

// The face-value exchange in Chromium: a student who cannot go offers their ticket from its page, a student on the
// sold-out showing's waitlist gets it held for them and buys it, and the seller's order shows their refund.
for (const backend of testBackends()) {
  describe(`the waitlist and the exchange in a browser (${backend.kind})`, { timeout: 240_000 }, () => {
    let server: TestServer;
    let browser: TestBrowser;

    beforeAll(async () => {
      ({ server, browser } = await openStorefront(backend));
    }, 240_000);
    afterAll(() => closeStorefront(server, browser));
    beforeEach(async () => {
      await browser.context.clearCookies();
    });

    it("a student waits on the waitlist (the officer sees the line and sets the offer time); a seller offers a ticket on the exchange; the waitlisted student gets it held and buys it; the seller's order shows the refund", async () => {
      const { page } = browser;
      const { prisma } = server.db;
      const world = await clubWorld(server, { count: 1, price: "15.00" });
      const allowed = await trpc(server, "showing.updateType", {
        token: world.officer.token,
        mutation: true,
        input: { showingId: world.showingId, type: "General", exchangeAllowed: true },
      });
      expect(allowed.error).toBeUndefined();
      const sold = await soldOrder(server, [{ showingId: world.showingId, count: 1 }]);
      const ticketId = sold.ticketIds[0]!;
      const wendy = await student(server, "Wendy Waitlist");

      // The showing is sold out: Wendy joins its waitlist from the event page.
      await signIn(page, server, wendy.username, `/events/${world.eventId}`);
      const waitlist = page.getByRole("region", { name: "Waitlist" });
      await waitlist.getByText("This showing is sold out.").waitFor();
      await waitlist.getByRole("button", { name: "Join the waitlist" }).click();
      await waitlist.getByText("You're #1 on the waitlist").waitFor();
      await checkOnPhone(page, "waitlist-event");
      await page.context().clearCookies();

      // The officer sees her in line, finds nothing to release yet, and makes offers hold tickets for 20 minutes.
      await signIn(page, server, world.officer.username, `/dashboard/${world.clubId}/showings/${world.showingId}?tab=drop`);
      const line = page.getByRole("table", { name: "Waitlist, in order" });
      const row = line.getByRole("row", { name: /Wendy Waitlist/ });
      await expect.poll(() => row.innerText()).toMatch(/1\s+Wendy Waitlist.*1 ticket.*Waiting/s);
      await page.getByRole("button", { name: "Release to the waitlist" }).click();
      await page.locator("#main").getByText("Nothing to offer right now").waitFor();
      await page.getByLabel("Offer holds tickets for (minutes)").fill("20");
      await page.getByRole("button", { name: "Save offer time" }).click();
      await eventually("the offer time saved", async () =>
        (await prisma.showing.findUniqueOrThrow({ where: { id: world.showingId } })).waitlistOfferMinutes === 20 ? true : null,
      );
      await page.context().clearCookies();

      // The seller cannot go: they offer the ticket from its page, after a dialog that says what they get back.
      await signIn(page, server, sold.buyer.username, `/tickets/${ticketId}`);
      await page.getByRole("button", { name: "Offer on the exchange" }).click();
      const dialog = page.getByRole("dialog");
      await dialog.getByText("you're refunded what you paid ($15.00)").waitFor();
      await dialog.getByRole("button", { name: "Offer on the exchange" }).click();
      await page.getByText(/Offered on the exchange since/).waitFor();
      await page.getByRole("button", { name: "Withdraw from the exchange" }).waitFor();
      expect(await page.getByRole("button", { name: "Transfer to a friend" }).isDisabled()).toBe(true);
      await checkOnPhone(page, "exchange-ticket");
      // Still the seller's until it sells, and the waitlist gets it first: held for Wendy.
      const held = await eventually("the ticket held for Wendy", async () => {
        const t = await prisma.ticket.findUniqueOrThrow({ where: { id: ticketId } });
        return t.holderId === wendy.id ? t : null;
      });
      expect(held).toMatchObject({ ownerId: sold.buyer.id });
      expect(held.holdExpiresAt!.getTime() - server.clock.now().getTime()).toBe(20 * 60_000);
      expect(held.exchangeListedAt).not.toBeNull();
      await page.context().clearCookies();

      // Wendy sees the offer on any page, checks out from her cart and pays face value.
      await signIn(page, server, wendy.username, "/tickets");
      await page.getByText(/Tickets held for you until/).first().waitFor();
      await checkOnPhone(page, "waitlist-offer");
      await page.getByRole("link", { name: "Check out now" }).click();
      await page.waitForURL(`${server.url}/cart`);
      await page.getByRole("button", { name: "Check out · $15.00" }).click();
      await page.waitForURL(/\/sandbox\/cybersource\/pay$/);
      await page.getByRole("button", { name: "Pay $15.00" }).click();
      await page.waitForURL(/\/checkout\/result\?outcome=paid/);
      await page.getByRole("heading", { level: 1, name: "You're going!" }).waitFor();
      const resold = await prisma.ticket.findUniqueOrThrow({ where: { id: ticketId } });
      expect(resold).toMatchObject({ ownerId: wendy.id, exchangeListedAt: null, qrGeneration: 1 });
      await page.context().clearCookies();

      // The seller's order shows the refund of what they paid, once.
      await signIn(page, server, sold.buyer.username, `/orders/${sold.orderId}`);
      const refunds = page.getByRole("region", { name: "Refunds" });
      await refunds.getByText("Reason: Resold on the exchange", { exact: false }).waitFor();
      await refunds.getByText("$15.00").first().waitFor();
      const made = await prisma.refund.findMany({ where: { orderId: sold.orderId } });
      expect(made).toHaveLength(1);
      expect(made[0]!.amount.toFixed(2)).toBe("15.00");
    });
  });
}
