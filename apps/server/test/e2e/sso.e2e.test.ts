import { unique } from "@admit/db/factories";
import { testBackends, type TestBackend } from "@admit/db/testing";
import type { Page } from "playwright-core";
import pino from "pino";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { freePort, startTestServer, type TestServer } from "../harness.ts";
import { startCampusProvider, type CampusProvider, type CampusUser } from "../oidc-provider.ts";
import { launchStorefrontBrowser, type TestBrowser } from "./browser.ts";
import { requireBuiltStorefront, signIn } from "./storefront-fixtures.ts";

/** Discovery retried quickly, so a provider that comes back is seen within a second or two. */
const FAST_DISCOVERY = { retryFirstMs: 200, retryMaxMs: 1_000, timeoutMs: 2_000 };

/** A server whose log (the HTTP layer's and the auth package's) the test can read. */
async function serverWithLog(backend: TestBackend, env: Record<string, string>) {
  const lines: string[] = [];
  const logger = pino({ level: "info" }, { write: (line: string) => void lines.push(line) });
  const server = await startTestServer(backend, env, { authLogger: logger, campusDiscovery: FAST_DISCOVERY }, logger);
  return { server, log: lines };
}

function campusUser(name: string, extra: Partial<CampusUser> = {}): CampusUser {
  const id = unique("c");
  return { sub: `sub-${id}`, email: `${id}@campus.example.edu`, name, preferred_username: id, ...extra };
}

/** Signs in at the provider's development login page (any password) and gives consent when it asks. */
async function atProvider(page: Page, provider: CampusProvider, admitUrl: string, sub: string) {
  await page.waitForURL((url) => url.origin === provider.issuer);
  await page.locator('input[name="login"]').fill(sub);
  await page.locator('input[name="password"]').fill("campus password");
  await page.getByRole("button", { name: "Sign-in" }).click();
  const consent = page.getByRole("button", { name: "Continue" });
  await consent.or(page.locator("header.site-header")).first().waitFor();
  if (new URL(page.url()).origin === provider.issuer) await consent.click();
  await page.waitForURL((url) => url.origin === admitUrl);
}

async function clickCampusButton(page: Page, server: TestServer, next = "/") {
  await page.goto(`${server.url}/sign-in${next !== "/" ? `?next=${encodeURIComponent(next)}` : ""}`);
  await page.getByRole("button", { name: "Sign in with your campus account" }).click();
}

async function campusSignIn(page: Page, server: TestServer, provider: CampusProvider, user: CampusUser, next = "/") {
  await clickCampusButton(page, server, next);
  await atProvider(page, provider, server.url, user.sub);
}

const problemPage = (page: Page) => page.waitForURL((url) => url.pathname === "/sign-in/problem");
const signedInAs = (page: Page, name: string) => page.getByRole("link", { name, exact: true }).waitFor();
const logged = (log: string[], text: string) => log.some((line) => line.includes(text));

async function signOutThroughHeader(page: Page) {
  await page.getByRole("button", { name: "Sign out" }).click();
}

// Campus sign-in against a real OpenID Connect provider (node-oidc-provider on 127.0.0.1) in Chromium.
for (const backend of testBackends()) {
  describe(`campus sign-in with a real OpenID Connect provider (${backend.kind})`, { timeout: 180_000 }, () => {
    let browser: TestBrowser;
    // The provider allows only client_secret_basic (the default) and offers RP-initiated logout.
    let provider: CampusProvider;
    let admit: TestServer;
    let log: string[];
    // The same provider, but this server is told to send the secret in the body (OIDC_CLIENT_AUTH): refused.
    let forcedPost: TestServer;
    let forcedPostLog: string[];

    beforeAll(async () => {
      requireBuiltStorefront();
      const [admitPort, forcedPort] = [await freePort(), await freePort()];
      provider = await startCampusProvider({
        users: [],
        admitUrls: [`http://127.0.0.1:${admitPort}`, `http://127.0.0.1:${forcedPort}`],
        clientAuthMethods: ["client_secret_basic"],
      });
      ({ server: admit, log } = await serverWithLog(backend, { ...provider.env, PORT: String(admitPort) }));
      ({ server: forcedPost, log: forcedPostLog } = await serverWithLog(backend, {
        ...provider.env,
        PORT: String(forcedPort),
        OIDC_CLIENT_AUTH: "client_secret_post",
      }));
      browser = await launchStorefrontBrowser();
    }, 240_000);
    afterAll(async () => {
      await browser?.close();
      await admit?.close();
      await forcedPost?.close();
      await provider?.close();
    });
    beforeEach(async () => {
      await browser.context.clearCookies();
    });

    it("signs in with the campus account, keeps ?next=, and signing out ends the campus session too (RP-initiated logout)", async () => {
      const { page } = browser;
      const jordan = campusUser("Jordan Martin");
      provider.addUser(jordan);
      await campusSignIn(page, admit, provider, jordan, "/tickets");
      await page.waitForURL((url) => url.pathname === "/tickets");
      await signedInAs(page, "Jordan Martin");
      // client_secret_basic is all this provider allows: the code exchange used it.

      await signOutThroughHeader(page);
      await page.waitForURL((url) => url.origin === provider.issuer);
      await page.getByRole("button", { name: "Yes, sign me out" }).click();
      await page.waitForURL((url) => url.origin === admit.url && url.pathname === "/signed-out");
      await page.getByText("Signed out of Admit and your campus account").waitFor();

      // The next person at this computer gets the provider's login form, not Jordan's campus session.
      await clickCampusButton(page, admit);
      await page.waitForURL((url) => url.origin === provider.issuer);
      await page.locator('input[name="login"]').waitFor();

      // Signing in again reaches the same account.
      await page.goto(`${admit.url}/sign-in`);
      await campusSignIn(page, admit, provider, jordan);
      await signedInAs(page, "Jordan Martin");
      const accounts = await admit.db.prisma.account.findMany({ where: { providerId: "campus", accountId: jordan.sub } });
      expect(accounts).toHaveLength(1);
    });

    it("a cancelled sign-in, an expired attempt and the library's error page all land on the storefront's problem page", async () => {
      const { page } = browser;
      const kim = campusUser("Kim Cancel");
      provider.addUser(kim);
      await clickCampusButton(page, admit);
      await page.waitForURL((url) => url.origin === provider.issuer);
      await page.getByRole("link", { name: "[ Cancel ]" }).click();
      await problemPage(page);
      await page.getByRole("heading", { name: "Campus sign-in was cancelled" }).waitFor();
      await page.getByRole("link", { name: "Try again" }).waitFor();
      expect(logged(log, '"campusSignIn":"access_denied"')).toBe(true);

      // A callback whose state this browser never started (another tab, an old link).
      await page.goto(`${admit.url}/api/auth/callback/campus?code=abc&state=forged-state&iss=${encodeURIComponent(provider.issuer)}`);
      await problemPage(page);
      await page.getByRole("heading", { name: "This sign-in attempt has expired" }).waitFor();

      await page.goto(`${admit.url}/api/auth/error?error=account_not_linked`);
      await problemPage(page);
      await page.getByRole("heading", { name: "An Admit account already uses your campus e-mail address" }).waitFor();
      expect(await page.getByText("better-auth").count()).toBe(0);
    });

    it("a wrong client authentication says invalid_client in the log and a plain message on the page (OIDC_CLIENT_AUTH forces the method)", async () => {
      const { page } = browser;
      const lee = campusUser("Lee Forced");
      provider.addUser(lee);
      await campusSignIn(page, forcedPost, provider, lee);
      await problemPage(page);
      expect(new URL(page.url()).searchParams.get("error")).toBe("invalid_client");
      await page.getByRole("heading", { name: "Campus sign-in is not working at the moment" }).waitFor();
      expect(logged(forcedPostLog, '"campusSignIn":"invalid_client"')).toBe(true);
      expect(logged(forcedPostLog, '"reported":"invalid_code"')).toBe(true);
    });

    it("a second campus identity claiming the same verified address is refused, never signed in as the first", async () => {
      const { page } = browser;
      const owner = campusUser("Olivia Owner");
      const impostor = campusUser("Ivan Impostor", { email: owner.email });
      provider.addUser(owner);
      provider.addUser(impostor);
      await campusSignIn(page, admit, provider, owner);
      await signedInAs(page, "Olivia Owner");
      await browser.context.clearCookies();

      await campusSignIn(page, admit, provider, impostor);
      await problemPage(page);
      expect(new URL(page.url()).searchParams.get("error")).toBe("campus_identity_conflict");
      await page.getByRole("heading", { name: "Your e-mail address belongs to someone else's campus sign-in" }).waitFor();
      await page.getByRole("link", { name: "Sign in", exact: true }).waitFor();
      expect(await page.getByRole("link", { name: "Olivia Owner" }).count()).toBe(0);
      expect(await admit.db.prisma.account.count({ where: { providerId: "campus", accountId: impostor.sub } })).toBe(0);
    });

    it("a password account joins campus sign-in by an explicit link from the account page; implicitly only when both sides verified the address", async () => {
      const { page } = browser;
      // Unconfirmed password account with the campus address: campus sign-in is refused with the way forward.
      const { id, username } = await admit.createAccount({ fullName: "Priya Password", emailVerified: false });
      const { email } = await admit.db.prisma.user.findUniqueOrThrow({ where: { id } });
      const priya = campusUser("Priya Campus", { email });
      provider.addUser(priya);
      await campusSignIn(page, admit, provider, priya);
      await problemPage(page);
      await page.getByRole("heading", { name: "An Admit account already uses your campus e-mail address" }).waitFor();
      expect(logged(log, '"campusSignIn":"account_not_linked"')).toBe(true);

      // Signed in with the password, she links her campus identity (proving both).
      await browser.context.clearCookies();
      await signIn(page, admit, username, "/account");
      await page.getByRole("button", { name: "Link your campus account" }).click();
      await atProvider(page, provider, admit.url, priya.sub);
      await page.waitForURL((url) => url.pathname === "/account");
      await page.getByText("Your campus account is linked").waitFor();

      // From now on the campus button signs in to her password account.
      await browser.context.clearCookies();
      await campusSignIn(page, admit, provider, priya);
      await signedInAs(page, "Priya Password");

      // A confirmed password account and a provider that verified the address: joined implicitly.
      await browser.context.clearCookies();
      const confirmed = await admit.createAccount({ fullName: "Quinn Confirmed", emailVerified: true });
      const quinnEmail = (await admit.db.prisma.user.findUniqueOrThrow({ where: { id: confirmed.id } })).email;
      const quinn = campusUser("Quinn Campus", { email: quinnEmail });
      provider.addUser(quinn);
      await campusSignIn(page, admit, provider, quinn);
      await signedInAs(page, "Quinn Confirmed");

      // A confirmed password account, but the provider does not vouch for the address: refused.
      await browser.context.clearCookies();
      const ruth = await admit.createAccount({ fullName: "Ruth Confirmed", emailVerified: true });
      const ruthEmail = (await admit.db.prisma.user.findUniqueOrThrow({ where: { id: ruth.id } })).email;
      const unverified = campusUser("Ruth Campus", { email: ruthEmail, email_verified: false });
      provider.addUser(unverified);
      await campusSignIn(page, admit, provider, unverified);
      await problemPage(page);
      expect(new URL(page.url()).searchParams.get("error")).toBe("account_not_linked");
      expect(await admit.db.prisma.account.count({ where: { userId: ruth.id, providerId: "campus" } })).toBe(0);
    });
  });

  describe(`campus sign-in while its provider is down (${backend.kind})`, { timeout: 180_000 }, () => {
    it("starts with a warning naming OIDC_ISSUER, reports it in /api/health, tells students, and recovers by itself; without end_session the signed-out page says the campus session is open", async () => {
      requireBuiltStorefront();
      const [admitPort, providerPort] = [await freePort(), await freePort()];
      const clientSecret = "campus-client-secret-for-tests";
      const issuer = `http://127.0.0.1:${providerPort}`;
      const { server, log } = await serverWithLog(backend, {
        OIDC_ISSUER: issuer,
        OIDC_CLIENT_ID: "admit",
        OIDC_CLIENT_SECRET: clientSecret,
        PORT: String(admitPort),
      });
      const browser = await launchStorefrontBrowser();
      let provider: CampusProvider | undefined;
      try {
        expect(log.find((line) => line.includes("OIDC_ISSUER") && line.includes('"level":40'))).toBeDefined();
        const health = (await (await fetch(`${server.url}/api/health`)).json()) as { ok: boolean; campusSignOn: string };
        expect(health).toMatchObject({ ok: true, campusSignOn: "unavailable" });

        const { page } = browser;
        await page.goto(`${server.url}/sign-in`);
        await page.getByText("Campus sign-in is unavailable right now").waitFor();
        expect(await page.getByRole("button", { name: "Sign in with your campus account" }).count()).toBe(0);
        const refused = await fetch(`${server.url}/api/auth/sign-in/social`, {
          method: "POST",
          headers: { "content-type": "application/json", origin: server.url },
          body: JSON.stringify({ provider: "campus", callbackURL: "/", disableRedirect: true }),
        });
        expect(refused.status).toBe(503);

        // The provider comes up: only client_secret_post, and no RP-initiated logout.
        const sam = campusUser("Sam Later");
        provider = await startCampusProvider({
          users: [sam],
          admitUrls: [server.url],
          port: providerPort,
          clientSecret,
          clientAuthMethods: ["client_secret_post"],
          clientAuthMethod: "client_secret_post",
          endSession: false,
        });
        await page.getByRole("button", { name: "Sign in with your campus account" }).waitFor({ timeout: 30_000 });
        expect(((await (await fetch(`${server.url}/api/health`)).json()) as { campusSignOn: string }).campusSignOn).toBe("available");
        expect(logged(log, "campus sign-in is available again")).toBe(true);

        await page.getByRole("button", { name: "Sign in with your campus account" }).click();
        await atProvider(page, provider, server.url, sam.sub);
        await signedInAs(page, "Sam Later");

        await signOutThroughHeader(page);
        await page.waitForURL((url) => url.pathname === "/signed-out" && url.searchParams.get("campus") === "open");
        await page.getByText("Your campus account is still signed in").waitFor();
      } finally {
        await browser.close();
        await server.close();
        await provider?.close();
      }
    });
  });
}
