import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { testBackends } from "@admit/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { concertClub } from "../finance-fixtures.ts";
import type { TestServer } from "../harness.ts";
import { refundKey, soldOrder } from "../refund-fixtures.ts";
import type { TestBrowser } from "./browser.ts";
import { closeStorefront, openStorefront, signIn } from "./storefront-fixtures.ts";

// A club treasurer opens the dashboard, reads the money panel, downloads the reconciliation file and sets the zone.
for (const backend of testBackends()) {
  describe(`club finance in a browser (${backend.kind})`, { timeout: 180_000 }, () => {
    let server: TestServer;
    let browser: TestBrowser;

    beforeAll(async () => {
      ({ server, browser } = await openStorefront(backend));
    }, 240_000);
    afterAll(() => closeStorefront(server, browser));

    it("an officer sees sales, refunds owed and net per month and per event, and downloads the CSV", async () => {
      const { page } = browser;
      server.clock.set(new Date("2026-11-20T15:00:00Z"));
      const club = await concertClub(server, { price: "15.00", eventName: "Winter Concert" });
      const first = await soldOrder(server, [{ showingId: club.showingId, count: 2 }]);
      server.clock.set(new Date("2026-11-20T16:00:00Z"));
      const second = await soldOrder(server, [{ showingId: club.showingId, count: 1 }]);
      server.clock.set(new Date("2026-12-02T15:00:00Z"));
      await server.runtime.services.refunds.refundOrder(club.officer.actor, {
        orderId: second.orderId,
        reason: "Cannot come",
        returnToSale: true,
        idempotencyKey: refundKey(),
      });

      await signIn(page, server, club.officer.username, `/dashboard/${club.clubId}`);
      const panel = page.getByTestId("finance-panel");
      await panel.getByRole("heading", { name: "Money" }).waitFor();
      await expect.poll(() => panel.getByTestId("finance-sales").textContent()).toBe("$45.00");
      expect(await panel.getByTestId("finance-owed").textContent()).toBe("$15.00");
      expect(await panel.getByTestId("finance-net").textContent()).toBe("$45.00");
      await panel.getByTestId("sales-chart").waitFor();
      const months = page.getByRole("table", { name: "Per month" });
      await expect.poll(() => months.getByRole("row", { name: /November 2026/ }).innerText()).toMatch(/November 2026\s+2\s+3\s+\$45\.00\s+\$0\.00\s+\$45\.00\s+\$0\.00/);
      await expect.poll(() => months.getByRole("row", { name: /December 2026/ }).innerText()).toMatch(/\$15\.00$/);
      const events = page.getByRole("table", { name: "Per event" });
      await expect.poll(() => events.getByRole("row", { name: /Winter Concert/ }).innerText()).toMatch(/Winter Concert\s+2\s+3\s+\$45\.00/);
      await panel.getByText("in the club's time zone, America/New_York").waitFor();
      await page.screenshot({ path: fileURLToPath(new URL("../../test-results/screenshots/finance-dashboard.png", import.meta.url)), fullPage: true });

      const [download] = await Promise.all([
        page.waitForEvent("download"),
        panel.getByRole("link", { name: "Download payments and refunds (CSV)" }).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/^finance-[a-z0-9-]+\.csv$/);
      const csv = await readFile((await download.path())!, "utf8");
      const lines = csv.trim().split("\r\n");
      expect(lines[0]).toBe(
        "Date and time,Kind,Transaction ID,Reference number,Event,Showing,Amount,Payment total,Currency,Buyer,Buyer email,Status,Refund processor ID,Refund ID",
      );
      expect(lines).toHaveLength(4);
      expect(lines[1]).toContain(`2026-11-20T10:00:00-05:00,sale,${first.transactionId},${first.reference},Winter Concert,"Dec 5, 2026, 2:00 PM EST",30.00`);
      expect(lines[3]).toContain(`2026-12-02T10:00:00-05:00,refund,${second.transactionId},${second.reference}`);
      expect(lines[3]).toContain(",-15.00,15.00,USD,");
      expect(lines[3]).toContain(",manual,");

      // The club's time zone, chosen from the list: the report's months follow it.
      const zone = page.getByTestId("club-time-zone");
      await zone.getByLabel("Club time zone").selectOption("America/Chicago");
      await zone.getByRole("button", { name: "Save time zone" }).click();
      await expect
        .poll(async () => (await server.db.prisma.club.findUniqueOrThrow({ where: { id: club.clubId } })).timeZone)
        .toBe("America/Chicago");
      await panel.getByText("in the club's time zone, America/Chicago").waitFor();
    });
  });
}
