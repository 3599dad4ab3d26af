import { existsSync } from "node:fs";
import { createClub, createEvent, createShowing, createTickets, type TicketBatch } from "@admit/db/factories";
import jsQR from "jsqr";
import type { Page } from "playwright-core";
import { PNG } from "pngjs";
import { expect } from "vitest";
import { storefrontDist } from "../../src/http/web-apps.ts";
import type { TestBackend } from "@admit/db/testing";
import { startTestServer, TEST_PASSWORD, trpc, type TestServer } from "../harness.ts";
import { launchStorefrontBrowser, type TestBrowser } from "./browser.ts";

export function requireBuiltStorefront() {
  expect(existsSync(`${storefrontDist}/index.html`), "build the storefront first: npm run build -w @admit/storefront").toBe(true);
}

/** A real server on `backend` and a Chromium for the built storefront, for one describe block's tests. */
export async function openStorefront(backend: TestBackend, env?: Record<string, string>): Promise<{ server: TestServer; browser: TestBrowser }> {
  requireBuiltStorefront();
  const server = await startTestServer(backend, env);
  const browser = await launchStorefrontBrowser();
  return { server, browser };
}

/** Closes what openStorefront opened (either may be missing when opening failed). */
export async function closeStorefront(server: TestServer | undefined, browser: TestBrowser | undefined): Promise<void> {
  await browser?.close();
  await server?.close();
}

export interface Student {
  id: string;
  username: string;
  fullName: string;
  token: string;
}

export async function student(server: TestServer, fullName: string): Promise<Student> {
  const account = await server.createAccount({ fullName });
  return { ...account, fullName, token: await server.tokenFor(account.username) };
}

export interface ShowingSetup {
  clubName?: string;
  eventName: string;
  types: TicketBatch[];
  orderLimit?: number;
  /** Hours from now until the showing starts (default 48). */
  startsInHours?: number;
  dropTime?: Date | null;
}

/** An approved club's event with one showing and its tickets, made straight in the database. */
export async function showingWith(server: TestServer, setup: ShowingSetup) {
  const { prisma } = server.db;
  const club = await createClub(prisma, setup.clubName ? { name: setup.clubName } : {});
  const event = await createEvent(prisma, club.id, { name: setup.eventName, description: `About ${setup.eventName}.` });
  const start = new Date(server.clock.now().getTime() + (setup.startsInHours ?? 48) * 3_600_000);
  const showing = await createShowing(prisma, event.id, {
    startTime: start,
    endTime: new Date(start.getTime() + 2 * 3_600_000),
    location: "Irvine Auditorium",
    ticketOrderLimit: setup.orderLimit ?? 6,
    ticketDropTime: setup.dropTime ?? null,
  });
  for (const batch of setup.types) await createTickets(prisma, showing.id, batch);
  return { club, event, showing };
}

/** Buys tickets the way a script would, through the API (for setting the stage, not for what is under test). */
export async function buyFreeThroughApi(server: TestServer, who: Student, showingId: number, type: string, count: number) {
  const added = await trpc(server, "cart.add", { token: who.token, mutation: true, input: { showingId, quantities: [{ type, count }] } });
  expect(added.error).toBeUndefined();
  const sold = await trpc(server, "checkout.start", { token: who.token, mutation: true });
  expect(sold.error).toBeUndefined();
  expect(sold.data).toMatchObject({ sold_free_tickets: true });
}

/** Signs in through the sign-in form, which then sends the browser on to `next`. */
export async function signInWithForm(page: Page, server: TestServer, username: string, next = "/") {
  await page.goto(`${server.url}/sign-in?next=${encodeURIComponent(next)}`);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(TEST_PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).last().click();
  await page.waitForURL((url) => url.pathname === next.split("?")[0]);
}

/** Signs in with the same request the form sends (the session cookie lands in the browser), then opens `next`. */
export async function signIn(page: Page, server: TestServer, username: string, next = "/") {
  const res = await page.request.post(`${server.url}/api/auth/sign-in/username`, {
    data: { username, password: TEST_PASSWORD },
    headers: { origin: server.url },
  });
  expect(res.status()).toBe(200);
  await page.goto(`${server.url}${next}`);
}

export async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByRole("link", { name: "Sign in", exact: true }).waitFor();
}

export function decodeQr(png: Buffer): string | null {
  const image = PNG.sync.read(png);
  return jsQR(new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length), image.width, image.height)?.data ?? null;
}

/** The ticket page's QR as drawn on screen: its size, its scaling, and what a camera reading the screen gets. */
export async function readQrOnScreen(page: Page) {
  const image = page.locator("img.qr-image");
  await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  const box = await image.boundingBox();
  const rendering = await image.evaluate((img) => getComputedStyle(img).imageRendering);
  const fromScreen = decodeQr(await image.screenshot());
  const src = await image.getAttribute("src");
  const served = await page.request.get(new URL(src!, page.url()).toString());
  return { box, rendering, fromScreen, fromServer: decodeQr(await served.body()) };
}

/** Polls until `probe` gives a value (for setup code, where vitest's expect.poll is not available). */
export async function eventually<T>(what: string, probe: () => Promise<T | null | undefined>, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null && value !== undefined) return value;
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
