import { testBackends } from "@admit/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trpc, type TestServer } from "../harness.ts";
import { soldOrder } from "../refund-fixtures.ts";
import type { TestBrowser } from "./browser.ts";
import { officerShowing } from "./officer-fixtures.ts";
import { closeStorefront, eventually, openStorefront, signIn, student } from "./storefront-fixtures.ts";

// Selling controls in Chromium: an officer pauses and cancels a showing, students see it, and a buyer returns a ticket.
for (const backend of testBackends()) {
  describe(`selling controls in a browser (${backend.kind})`, { timeout: 180_000 }, () => {
    let server: TestServer;
    let browser: TestBrowser;

    beforeAll(async () => {
      ({ server, browser } = await openStorefront(backend));
    }, 240_000);
    afterAll(() => closeStorefront(server, browser));

    async function signOutAll() {
      await browser.page.context().clearCookies();
    }

    it("an officer pauses a showing and the student sees sales paused; the officer cancels it and the holder sees it refunded", async () => {
      const { page } = browser;
      const { prisma } = server.db;
      const { officer, clubId, showingId } = await officerShowing(server, {
        clubName: "Paused Players",
        eventName: "Spring Revue",
        startsInHours: 72,
        offerings: [{ type: "General", count: 10, price: "15.00" }],
      });
      const { eventId } = await prisma.showing.findUniqueOrThrow({ where: { id: showingId } });
      const order = await soldOrder(server, [{ showingId, count: 1 }]);

      await signIn(page, server, officer.username, `/dashboard/${clubId}/showings/${showingId}?tab=tickets`);
      await page.getByRole("button", { name: "Pause sales" }).click();
      await page.getByRole("button", { name: "Resume sales" }).waitFor();
      expect((await prisma.showing.findUniqueOrThrow({ where: { id: showingId } })).salesPaused).toBe(true);

      await signOutAll();
      const shopper = await student(server, "Sam Shopper");
      await signIn(page, server, shopper.username, `/events/${eventId}`);
      await page.getByText("Sales for this showing are paused right now.").waitFor();
      await page.getByText("Sales paused").first().waitFor();

      await signOutAll();
      await signIn(page, server, officer.username, `/dashboard/${clubId}/showings/${showingId}?tab=tickets`);
      await page.getByRole("button", { name: "Cancel showing" }).click();
      const dialog = page.getByRole("dialog");
      const confirm = dialog.getByRole("button", { name: "Cancel showing and refund everyone" });
      expect(await confirm.isDisabled()).toBe(true);
      await dialog.getByLabel("Reason (holders read it)").fill("The lead actor is ill");
      await confirm.click();
      await page.getByText("This showing is cancelled").waitFor();
      await eventually("the order refunded", async () => ((await prisma.refund.count({ where: { orderId: order.orderId } })) === 1 ? true : null));
      expect(await prisma.ticket.findUniqueOrThrow({ where: { id: order.ticketIds[0]! } })).toMatchObject({ ownerId: null });

      await signOutAll();
      await signIn(page, server, order.buyer.username, `/tickets/${order.ticketIds[0]!}`);
      await page.getByText("This ticket is no longer valid").waitFor();
      await page.getByText("This showing was cancelled and your ticket was already refunded.").waitFor();
      await signOutAll();
    });

    it("a student returns a ticket from its page after a dialog that says what comes back", async () => {
      const { page } = browser;
      const { prisma } = server.db;
      const { officer, showingId } = await officerShowing(server, {
        clubName: "Returning Readers",
        eventName: "Poetry Night",
        startsInHours: 72,
        offerings: [{ type: "General", count: 4, price: "15.00" }],
      });
      const set = await trpc(server, "showing.updateType", {
        token: officer.token,
        mutation: true,
        input: { showingId, type: "General", returnHoursBefore: 24 },
      });
      expect(set.error).toBeUndefined();
      const order = await soldOrder(server, [{ showingId, count: 1 }]);
      const ticketId = order.ticketIds[0]!;

      await signIn(page, server, order.buyer.username, `/tickets/${ticketId}`);
      await page.getByText(/Returns are open until/).waitFor();
      await page.getByRole("button", { name: "Return ticket" }).click();
      const dialog = page.getByRole("dialog");
      await dialog.getByText("You get $15.00 back: the club refunds it by hand").waitFor();
      await dialog.getByRole("button", { name: "Return ticket" }).click();
      await page.waitForURL((url) => url.pathname === "/tickets");
      await page.getByText(/You returned your General ticket for Poetry Night/).first().waitFor();
      const refund = await prisma.refund.findFirstOrThrow({ where: { orderId: order.orderId } });
      expect(refund).toMatchObject({ status: "MANUAL" });
      expect(refund.amount.toFixed(2)).toBe("15.00");
      expect(await prisma.ticket.findUniqueOrThrow({ where: { id: ticketId } })).toMatchObject({ ownerId: null, voidedAt: null });
      await signOutAll();
    });
  });
}
