import { testBackends } from "@admit/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestServer } from "../harness.ts";
import type { TestBrowser } from "./browser.ts";
import { closeStorefront, openStorefront, showingWith } from "./storefront-fixtures.ts";

// Pages load on first visit, as files named by their content: a deploy while a tab is open removes the files that
// tab would ask for next. The student still gets the page.
const backend = testBackends()[0]!;

describe("the storefront across a deploy", { timeout: 120_000 }, () => {
  let server: TestServer;
  let browser: TestBrowser;

  beforeAll(async () => {
    ({ server, browser } = await openStorefront(backend));
  }, 240_000);
  afterAll(() => closeStorefront(server, browser));

  it("a tab opened before a deploy loads the new version when a page's file is gone, and shows the page", async () => {
    const { page } = browser;
    const { event } = await showingWith(server, { eventName: "Deploy Night", types: [{ type: "General", count: 5, price: "0.00" }] });
    await page.goto(`${server.url}/`);
    await page.getByRole("link", { name: "Deploy Night" }).waitFor();
    await page.evaluate(() => ((window as unknown as { openedBeforeDeploy: boolean }).openedBeforeDeploy = true));

    // The event page's file of the old build is gone (once: the new build's files are there after the reload).
    let refused = 0;
    await page.route(
      /\/assets\/EventPage-[\w-]+\.js$/,
      async (route) => {
        refused++;
        await route.fulfill({ status: 404, contentType: "application/json", body: "{}" });
      },
      { times: 1 },
    );
    await page.getByRole("link", { name: "Deploy Night" }).click();

    await page.waitForURL(new RegExp(`/events/${event.id}`));
    await page.getByRole("heading", { level: 1, name: "Deploy Night" }).waitFor();
    expect(refused).toBe(1);
    // A fresh load, not the old tab's state.
    expect(await page.evaluate(() => (window as unknown as { openedBeforeDeploy?: boolean }).openedBeforeDeploy)).toBeUndefined();
  });
});
