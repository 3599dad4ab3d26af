import { testBackends } from "@admit/db/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { TEST_PASSWORD, type TestServer } from "../harness.ts";
import type { TestBrowser } from "./browser.ts";
import { closeStorefront, eventually, openStorefront } from "./storefront-fixtures.ts";

const NEW_PASSWORD = "a brand new passphrase";

/** The link in the newest message to `to` whose subject is `subject`, as written to the outbox. */
async function linkInMail(server: TestServer, to: string, subject: string, path: string): Promise<string> {
  const mail = await eventually(`"${subject}" to ${to}`, () =>
    server.db.prisma.outgoingEmail.findFirst({ where: { toAddress: to, subject }, orderBy: { createdAt: "desc" } }),
  );
  const link = mail.text.split(/\s+/).find((word) => word.startsWith(`${server.url}${path}`));
  expect(link, mail.text).toBeDefined();
  return link!;
}

// Recovering an account and confirming an address through the real storefront in Chromium.
for (const backend of testBackends()) {
  describe(`account recovery in a browser (${backend.kind})`, { timeout: 120_000 }, () => {
    let server: TestServer;
    let browser: TestBrowser;

    beforeAll(async () => {
      ({ server, browser } = await openStorefront(backend));
    }, 240_000);
    afterAll(() => closeStorefront(server, browser));
    beforeEach(async () => {
      await browser.context.clearCookies();
    });

    it("forgot password: a link by e-mail, a new password, then sign in with it; the link works once", async () => {
      const { page } = browser;
      const { id, username } = await server.createAccount({ fullName: "Rosa Forgetful" });
      const { email } = await server.db.prisma.user.findUniqueOrThrow({ where: { id } });

      await page.goto(`${server.url}/sign-in`);
      await page.getByRole("link", { name: "Forgot your password?" }).click();
      await page.getByRole("heading", { level: 1, name: "Forgot your password?" }).waitFor();
      await page.getByLabel("E-mail").fill(email);
      await page.getByRole("button", { name: "Send me a link" }).click();
      await page.getByRole("heading", { level: 1, name: "Check your mail" }).waitFor();

      const link = await linkInMail(server, email, "Reset your Admit password", "/reset-password#token=");
      await page.goto(link);
      await page.getByRole("heading", { level: 1, name: "Choose a new password" }).waitFor();
      await page.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
      await page.getByLabel("New password again").fill("not the same");
      await page.getByRole("button", { name: "Set new password" }).click();
      await page.getByText("The two passwords differ.").waitFor();
      await page.getByLabel("New password again").fill(NEW_PASSWORD);
      await page.getByRole("button", { name: "Set new password" }).click();

      await page.waitForURL((url) => url.pathname === "/sign-in" && url.searchParams.get("reset") === "done");
      await page.getByText("Your password is changed").waitFor();
      await page.getByLabel("Username").fill(username);
      await page.getByLabel("Password", { exact: true }).fill(TEST_PASSWORD);
      await page.getByRole("button", { name: "Sign in", exact: true }).last().click();
      await page.getByText("The username or password is wrong.").waitFor();
      await page.getByLabel("Password", { exact: true }).fill(NEW_PASSWORD);
      await page.getByRole("button", { name: "Sign in", exact: true }).last().click();
      await page.waitForURL((url) => url.pathname === "/");
      await page.getByRole("link", { name: "Rosa Forgetful" }).waitFor();

      // The same link a second time: refused, with a way to get a new one.
      await page.getByRole("button", { name: "Sign out" }).click();
      await page.getByRole("link", { name: "Sign in", exact: true }).waitFor();
      await page.goto(link);
      await page.getByLabel("New password", { exact: true }).fill("yet another passphrase");
      await page.getByLabel("New password again").fill("yet another passphrase");
      await page.getByRole("button", { name: "Set new password" }).click();
      await page.getByText("This link has expired or has already been used.").waitFor();
      expect(browser.errors.filter((e) => !e.includes("status of 4"))).toEqual([]);
    });

    it("sign-up mails a confirmation link; opening it confirms the address on the account page", async () => {
      const { page } = browser;
      const username = `ines${Date.now().toString(36)}`;
      const email = `${username}@example.edu`;

      await page.goto(`${server.url}/sign-up`);
      await page.getByLabel("Full name").fill("Ines Newcomer");
      await page.getByLabel("Username").fill(username);
      await page.getByLabel("E-mail").fill(email);
      await page.getByLabel("Password").fill(TEST_PASSWORD);
      await page.getByRole("button", { name: "Create account" }).click();
      await page.waitForURL((url) => url.pathname === "/");

      await page.getByRole("link", { name: "Ines Newcomer" }).click();
      await page.getByRole("heading", { level: 1, name: "Your account" }).waitFor();
      await page.getByText("Not confirmed").waitFor();

      const link = await linkInMail(server, email, "Confirm your e-mail address for Admit", "/verify-email?token=");
      await page.goto(link);
      await page.getByText("Your address is confirmed").waitFor();
      await page.getByRole("link", { name: "Go to your account" }).click();
      await page.getByRole("heading", { level: 1, name: "Your account" }).waitFor();
      await page.getByText("Confirmed", { exact: true }).waitFor();
      expect(await page.getByRole("button", { name: "Send the confirmation e-mail again" }).count()).toBe(0);
    });
  });
}
