import { testBackends } from "@admit/db/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { TestServer } from "../harness.ts";
import type { TestBrowser } from "./browser.ts";
import {
  buyFreeThroughApi,
  readQrOnScreen,
  closeStorefront,
  openStorefront,
  showingWith,
  signIn,
  signInWithForm,
  signOut,
  student,
} from "./storefront-fixtures.ts";

// Students buying, paying and transferring through the real storefront in Chromium, against a real server.
for (const backend of testBackends()) {
  describe(`storefront in a browser (${backend.kind})`, { timeout: 120_000 }, () => {
    let server: TestServer;
    let browser: TestBrowser;

    beforeAll(async () => {
      ({ server, browser } = await openStorefront(backend));
    }, 240_000);
    afterAll(() => closeStorefront(server, browser));
    beforeEach(async () => {
      await browser.context.clearCookies();
    });

    it("a student gets a free ticket and sees it with a QR code a camera can read", async () => {
      const { page } = browser;
      const maya = await student(server, "Maya Free");
      const { event, showing } = await showingWith(server, {
        eventName: "Free Screening",
        types: [{ type: "General", count: 10, price: "0.00" }],
        orderLimit: 4,
      });

      await signInWithForm(page, server, maya.username, `/events/${event.id}`);
      await page.getByRole("heading", { level: 1, name: "Free Screening" }).waitFor();
      const more = page.getByRole("button", { name: "More General tickets" });
      for (let i = 0; i < 5; i++) if (await more.isEnabled()) await more.click();
      // The order limit (4) caps the picker.
      expect(await page.getByRole("textbox", { name: "Number of General tickets" }).inputValue()).toBe("4");
      await page.getByRole("button", { name: "Fewer General tickets" }).click();
      await page.getByRole("button", { name: "Add to cart" }).click();
      await page.getByText("3 tickets added to your cart.").first().waitFor();

      await page.getByRole("link", { name: "Go to cart and check out" }).click();
      await page.getByRole("heading", { level: 1, name: "Your cart" }).waitFor();
      await page.getByRole("button", { name: "Get my free tickets" }).click();
      await page.waitForURL(/\/checkout\/result\?outcome=free/);
      await page.getByRole("heading", { level: 1, name: "Your tickets are ready" }).waitFor();

      await page.getByRole("link", { name: "See my tickets" }).click();
      await page.getByRole("button", { name: /Upcoming \(3\)/ }).waitFor();
      // After a navigation, focus lands on the new page's heading (screen readers announce where they are).
      await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe("My tickets");
      await page.getByRole("link", { name: "Free Screening" }).first().click();
      await page.waitForURL(/\/tickets\/[0-9a-f-]{36}$/);
      await page.getByRole("heading", { level: 1, name: "Free Screening" }).waitFor();

      const qr = await readQrOnScreen(page);
      expect(qr.box!.width).toBeGreaterThanOrEqual(280);
      expect(qr.rendering).toBe("pixelated");
      expect(qr.fromServer).toBeTruthy();
      expect(qr.fromScreen).toBe(qr.fromServer);

      const owned = await server.db.prisma.ticket.count({ where: { showingId: showing.id, ownerId: maya.id } });
      expect(owned).toBe(3);
    });

    it("a student pays through the payment page and sees the tickets; a declined card releases the hold at once", async () => {
      const { page } = browser;
      const payer = await student(server, "Paula Payer");
      const decliner = await student(server, "Dan Decline");
      const { event, showing } = await showingWith(server, {
        eventName: "Winter Concert",
        types: [{ type: "General", count: 10, price: "15.00", groupDiscount: "0.2", groupSize: 4 }],
      });

      await signIn(page, server, payer.username, `/events/${event.id}`);
      await page.getByText("20% off each General ticket when you buy 4 or more").waitFor();
      for (let i = 0; i < 4; i++) await page.getByRole("button", { name: "More General tickets" }).click();
      await page.getByText("$48.00").first().waitFor();
      await page.getByRole("button", { name: "Add to cart" }).click();
      await page.getByText("4 tickets added to your cart.").first().waitFor();
      await page.getByRole("link", { name: "Go to cart and check out" }).click();
      await page.getByText("−$12.00").waitFor();
      await page.getByRole("button", { name: "Check out · $48.00" }).click();

      await page.waitForURL(/\/sandbox\/cybersource\/pay$/);
      await page.getByRole("button", { name: "Pay $48.00" }).click();
      await page.waitForURL(/\/checkout\/result\?outcome=paid/);
      await page.getByRole("heading", { level: 1, name: "You're going!" }).waitFor();
      await page.getByRole("link", { name: "See my tickets" }).click();
      await page.getByRole("button", { name: /Upcoming \(4\)/ }).waitFor();
      expect(await page.getByRole("link", { name: "Winter Concert" }).count()).toBe(4);
      expect(await server.db.prisma.ticket.count({ where: { showingId: showing.id, ownerId: payer.id } })).toBe(4);

      await signOut(page);
      await signIn(page, server, decliner.username, `/events/${event.id}`);
      for (let i = 0; i < 2; i++) await page.getByRole("button", { name: "More General tickets" }).click();
      await page.getByRole("button", { name: "Add to cart" }).click();
      await page.getByText("2 tickets added to your cart.").first().waitFor();
      await page.getByRole("link", { name: "Go to cart and check out" }).click();
      await page.getByRole("button", { name: "Check out · $30.00" }).click();
      await page.waitForURL(/\/sandbox\/cybersource\/pay$/);
      expect(await server.db.prisma.ticket.count({ where: { showingId: showing.id, holderId: decliner.id } })).toBe(2);

      await page.getByRole("button", { name: "Decline the card" }).click();
      await page.waitForURL(/\/checkout\/result\?outcome=declined/);
      await page.getByRole("heading", { level: 1, name: "Your card was declined" }).waitFor();
      await page.getByText("You were not charged.").waitFor();
      expect(await server.db.prisma.ticket.count({ where: { showingId: showing.id, holderId: decliner.id } })).toBe(0);
      expect(await server.db.prisma.ticket.count({ where: { showingId: showing.id, ownerId: decliner.id } })).toBe(0);

      // The cart keeps the tickets, with no hold counting down.
      await page.getByRole("link", { name: "Back to my cart" }).click();
      await page.getByRole("button", { name: "Check out · $30.00" }).waitFor();
      expect(await page.getByText("Your tickets are held for you").count()).toBe(0);
    });

    it("a stale cart says in plain words what sold out and checks out the rest", async () => {
      const { page } = browser;
      const slow = await student(server, "Sam Slow");
      const quick = await student(server, "Quinn Quick");
      const { event, showing } = await showingWith(server, {
        eventName: "Spring Social",
        types: [
          { type: "Early Bird", count: 2, price: "0.00" },
          { type: "General", count: 5, price: "0.00" },
        ],
      });

      await signIn(page, server, slow.username, `/events/${event.id}`);
      await page.getByRole("button", { name: "More Early Bird tickets" }).click();
      await page.getByRole("button", { name: "More Early Bird tickets" }).click();
      await page.getByRole("button", { name: "More General tickets" }).click();
      await page.getByRole("button", { name: "Add to cart" }).click();
      await page.getByText("3 tickets added to your cart.").first().waitFor();

      // Someone else buys both Early Bird tickets while they sit in the first student's cart.
      await buyFreeThroughApi(server, quick, showing.id, "Early Bird", 2);

      await page.goto(`${server.url}/cart`);
      await page.getByText("Spring Social: 2 Early Bird tickets sold out while in your cart and were removed.").waitFor();
      await page.getByRole("button", { name: "Get my free tickets" }).click();
      await page.waitForURL(/\/checkout\/result\?outcome=free/);
      await page.getByRole("link", { name: "See my tickets" }).click();
      await page.getByRole("button", { name: /Upcoming \(1\)/ }).waitFor();
      const mine = await server.db.prisma.ticket.findMany({ where: { showingId: showing.id, ownerId: slow.id }, select: { type: true } });
      expect(mine).toEqual([{ type: "General" }]);
    });

    it("a new student signs up, is told what to fix first, and lands signed in where they were going", async () => {
      const { page } = browser;
      const username = `newbie_${Date.now().toString(36)}`;
      await page.goto(`${server.url}/sign-up?next=${encodeURIComponent("/tickets")}`);
      await page.getByRole("heading", { level: 1, name: "Create your account" }).waitFor();
      await page.getByLabel("Full name").fill("Nora Newbie");
      await page.getByLabel("Username").fill(username);
      await page.getByLabel("E-mail").fill(`${username}@example.edu`);
      await page.getByLabel("Password").fill("short");
      await page.getByRole("button", { name: "Create account" }).click();
      await page.locator('input[name="password"][aria-invalid="true"]').waitFor();

      await page.getByLabel("Password").fill("a good long password");
      await page.getByRole("button", { name: "Create account" }).click();
      await page.waitForURL((url) => url.pathname === "/tickets");
      await page.getByRole("heading", { level: 1, name: "My tickets" }).waitFor();
      await page.getByRole("button", { name: "Sign out" }).first().waitFor({ state: "attached" });
      expect(await server.db.prisma.user.findUniqueOrThrow({ where: { username } })).toMatchObject({ fullName: "Nora Newbie" });
    });

    it("a transfer moves the ticket to another student, who sees it; the sender no longer does", async () => {
      const { page } = browser;
      const sender = await student(server, "Sol Sender");
      const receiver = await student(server, "Rae Receiver");
      const { showing } = await showingWith(server, { eventName: "Jazz Night", types: [{ type: "General", count: 3, price: "0.00" }] });
      await buyFreeThroughApi(server, sender, showing.id, "General", 1);
      const ticket = await server.db.prisma.ticket.findFirstOrThrow({ where: { showingId: showing.id, ownerId: sender.id } });

      await signIn(page, server, sender.username, "/tickets");
      await page.getByRole("link", { name: "Jazz Night" }).click();
      await page.getByRole("button", { name: "Transfer to a friend" }).click();
      const dialog = page.getByRole("dialog", { name: "Transfer this ticket" });
      await dialog.getByLabel("Their username").fill(receiver.username);
      await dialog.getByRole("button", { name: "Continue" }).click();
      const confirm = page.getByRole("dialog", { name: "Send this ticket?" });
      await confirm.getByText("Your QR code stops working right away").waitFor();
      await confirm.getByRole("button", { name: `Send ticket to @${receiver.username}` }).click();

      await page.waitForURL(/\/tickets$/);
      await page.getByText(`now belongs to @${receiver.username}`).first().waitFor();
      await page.getByText("No upcoming tickets").waitFor();
      await page.getByRole("cell", { name: `${receiver.fullName} (@${receiver.username})` }).waitFor();
      await page.goto(`${server.url}/tickets/${ticket.id}`);
      await page.getByRole("heading", { level: 1, name: "Ticket not found" }).waitFor();

      await signOut(page);
      await signIn(page, server, receiver.username, "/tickets");
      await page.getByRole("link", { name: "Jazz Night" }).click();
      await page.waitForURL(new RegExp(`/tickets/${ticket.id}$`));
      const qr = await readQrOnScreen(page);
      expect(qr.fromScreen).toBe(qr.fromServer);
      await page.getByRole("link", { name: "My tickets" }).click();
      await page.getByRole("cell", { name: `${sender.fullName} (@${sender.username})` }).waitFor();
      expect((await server.db.prisma.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).ownerId).toBe(receiver.id);
    });
  });
}
