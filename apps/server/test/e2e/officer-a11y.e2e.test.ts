import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import AxeBuilder from "@axe-core/playwright";
import { testBackends } from "@admit/db/testing";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, trpc, type TestServer } from "../harness.ts";
import { officerOfNewClub, wholeMinuteAfter } from "./officer-fixtures.ts";
import { launchStorefrontBrowser, type TestBrowser } from "./browser.ts";
import { buyFreeThroughApi, requireBuiltStorefront, signIn, student } from "./storefront-fixtures.ts";

const SCREENSHOTS = fileURLToPath(new URL("../../test-results/screenshots/", import.meta.url));

const VIEWPORTS = [
  { name: "phone", width: 390, height: 844 },
  { name: "desktop", width: 1280, height: 800 },
] as const;

async function seriousViolations(page: Page, where: string): Promise<string[]> {
  const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]).analyze();
  return axe.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}) at ${where}: ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

async function settle(page: Page) {
  await page.waitForFunction(() => document.querySelectorAll(".skeleton").length === 0);
}

/**
 * axe-core and screenshots of the club dashboard with real data, at phone and desktop widths. The pages are the same
 * whichever database is underneath, so this runs on the embedded one only; officer.e2e.test.ts runs on both.
 */
for (const backend of testBackends().slice(0, 1)) {
  describe(`club dashboard accessibility and layout (${backend.kind})`, { timeout: 120_000 }, () => {
    let server: TestServer;
    let browser: TestBrowser;
    let clubId = 0;
    let showingId = 0;
    let unlistedShowingId = 0;

    beforeAll(async () => {
      requireBuiltStorefront();
      await mkdir(SCREENSHOTS, { recursive: true });
      server = await startTestServer(backend);
      browser = await launchStorefrontBrowser();
      const made = await officerOfNewClub(server, "Jazz Ensemble");
      clubId = made.clubId;
      const token = made.officer.token;
      const call = async (path: string, input: unknown) => {
        const res = await trpc(server, path, { token, mutation: true, input });
        expect(res.error, path).toBeUndefined();
        return res.data as { id: number };
      };
      const concert = await call("event.create", { clubId, name: "Winter Concert", description: "Big band classics." });
      const start = wholeMinuteAfter(server, 72);
      const later = wholeMinuteAfter(server, 24 * 9);
      const first = await call("showing.create", {
        eventId: concert.id,
        startTime: start.toISOString(),
        endTime: new Date(start.getTime() + 7_200_000).toISOString(),
        location: "Irvine Auditorium",
        orderLimit: 6,
      });
      showingId = first.id;
      const unlisted = await call("showing.create", {
        eventId: concert.id,
        startTime: later.toISOString(),
        endTime: new Date(later.getTime() + 7_200_000).toISOString(),
        location: "Houston Hall",
        dropTime: wholeMinuteAfter(server, 24 * 3).toISOString(),
      });
      unlistedShowingId = unlisted.id;
      await call("showing.setOfferings", {
        showingId,
        offerings: [
          { type: "General", count: 120, price: "0.00" },
          { type: "Front Row", count: 10, price: "40.00", transferable: false, groupDiscount: "0.2", groupSize: 4 },
        ],
      });
      await call("event.create", { clubId, name: "Spring Gala" });
      for (const name of ["Avery Axe", "Blake Brown", "Casey Chen"]) {
        const who = await student(server, name);
        await buyFreeThroughApi(server, who, showingId, "General", 2);
      }
      await signIn(browser.page, server, made.officer.username, `/dashboard/${clubId}`);
    });
    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    const cases = [
      { name: "officer-dashboard", path: () => `/dashboard/${clubId}`, ready: "Spring Gala" },
      { name: "officer-showing", path: () => `/dashboard/${clubId}/showings/${showingId}`, ready: "Casey Chen" },
      { name: "officer-tickets", path: () => `/dashboard/${clubId}/showings/${showingId}?tab=tickets`, ready: "Current ticket types" },
      { name: "officer-offerings", path: () => `/dashboard/${clubId}/showings/${unlistedShowingId}?tab=tickets`, ready: "Save ticket types" },
      { name: "officer-door", path: () => `/dashboard/${clubId}/showings/${showingId}?tab=door`, ready: "No door devices yet" },
    ];

    for (const pageCase of cases) {
      it(`the ${pageCase.name} page has no serious or critical axe violations at phone and desktop widths`, async () => {
        const { page } = browser;
        for (const viewport of VIEWPORTS) {
          await page.setViewportSize({ width: viewport.width, height: viewport.height });
          await page.goto(`${server.url}${pageCase.path()}`);
          await page.getByText(pageCase.ready).first().waitFor();
          await settle(page);
          expect(await seriousViolations(page, viewport.name)).toEqual([]);
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
          expect(overflow, "the page must not scroll sideways").toBeLessThanOrEqual(0);
          await page.screenshot({ path: `${SCREENSHOTS}${pageCase.name}-${viewport.name}.png`, fullPage: true });
        }
      });
    }

    it("the pairing dialog has no serious or critical axe violations on a phone", async () => {
      const { page } = browser;
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(`${server.url}/dashboard/${clubId}/showings/${showingId}?tab=door`);
      await page.getByRole("button", { name: "Set up a door device" }).click();
      await page.getByLabel("Door name").fill("South door");
      await page.getByRole("button", { name: "Create and show code" }).click();
      await page.getByRole("dialog", { name: "Pair “South door”" }).getByRole("timer").waitFor();
      expect(await seriousViolations(page, "phone")).toEqual([]);
      await page.screenshot({ path: `${SCREENSHOTS}officer-pairing-phone.png` });
    });
  });
}
