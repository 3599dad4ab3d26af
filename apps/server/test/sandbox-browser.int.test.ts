import { existsSync } from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import { testBackends } from "@admit/db/testing";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./harness.ts";
import { paidShowing, paymentState, startPaidCheckout } from "./payment-fixtures.ts";

const CHROMIUM = "/usr/bin/chromium";

const escape = (s: string) => s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");

describe("the sandbox payment page in a real browser", () => {
  let browser: Browser;
  beforeAll(async () => {
    expect(existsSync(CHROMIUM), "apt-get install chromium").toBe(true);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
  });
  afterAll(async () => browser?.close());

  for (const backend of testBackends()) {
    describe(backend.kind, () => {
      let server: TestServer;
      beforeAll(async () => {
        server = await startTestServer(backend);
      });
      afterAll(async () => server?.close());

      it("is accessible, and Pay takes the browser back through the receipt URL to the paid result", async () => {
        const showcase = await paidShowing(server, { price: "15.00" });
        const attempt = await startPaidCheckout(server, showcase, 2);
        const context = await browser.newContext();
        const page = await context.newPage();
        try {
          // What the storefront does with payment_params: an auto-submitted form to cybersource_url.
          const inputs = Object.entries(attempt.params)
            .map(([name, value]) => `<input type="hidden" name="${escape(name)}" value="${escape(value)}">`)
            .join("");
          await page.setContent(`<form method="post" action="${escape(attempt.url)}">${inputs}</form>`);
          await Promise.all([page.waitForURL(attempt.url), page.evaluate(() => document.forms[0]!.submit())]);

          expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Pay $30.00");
          const axe = await new AxeBuilder({ page }).analyze();
          expect(axe.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);

          await page.getByRole("button", { name: "Pay $30.00" }).click();
          await page.waitForURL(/\/checkout\/result\?/);
          const landed = new URL(page.url());
          expect(landed.searchParams.get("outcome")).toBe("paid");
          expect(landed.searchParams.get("reference")).toBe(attempt.reference);
        } finally {
          await context.close();
        }
        const state = await paymentState(server, attempt.paymentId);
        expect(state.payment.status).toBe("PAID");
        expect(state.owned).toHaveLength(2);
        expect(state.replies.map((r) => r.channel).sort()).toEqual(["browser", "merchant"]);
      });
    });
  }
});
