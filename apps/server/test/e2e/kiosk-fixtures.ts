import { existsSync } from "node:fs";
import { createClub, createEvent, createShowing, createTickets } from "@admit/db/factories";
import type { TestBackend } from "@admit/db/testing";
import type { Page } from "playwright-core";
import { kioskDist } from "../../src/http/web-apps.ts";
import { startTestServer, trpc, type TestServer } from "../harness.ts";
import { person, rest, type Person } from "../tickets-fixture.ts";
import { launchBrowser, type TestBrowser } from "./browser.ts";

const HOUR = 3_600_000;

/** The e2e tests load the built kiosk (turbo builds it before the server's tests; by hand: npm run build -w @admit/kiosk). */
export function requireBuiltKiosk(): void {
  for (const file of ["index.html", "sw.js", "manifest.webmanifest"]) {
    if (!existsSync(`${kioskDist}/${file}`)) throw new Error(`The kiosk is not built (${kioskDist}/${file}); run npm run build -w @admit/kiosk.`);
  }
}

export interface DoorWorld {
  officer: Person;
  clubId: number;
  showingId: number;
  /** A ticket of the showing owned by a new student; transferable unless told otherwise, of a type of its own unless named. */
  ticket(holderName: string, options?: { transferable?: boolean; type?: string }): Promise<{ id: string; owner: Person }>;
}

export async function doorWorld(server: TestServer): Promise<DoorWorld> {
  const { prisma } = server.db;
  const officer = await person(server, "Door Officer");
  const club = await createClub(prisma, { officers: [officer.id], name: "Film Society" });
  const event = await createEvent(prisma, club.id, { name: "Midnight Screening" });
  const start = new Date(server.clock.now().getTime() + 2 * HOUR);
  const showing = await createShowing(prisma, event.id, { startTime: start, endTime: new Date(start.getTime() + 2 * HOUR), location: "Irvine" });
  let made = 0;
  return {
    officer,
    clubId: club.id,
    showingId: showing.id,
    ticket: async (holderName, options = {}) => {
      const owner = await person(server, holderName);
      const [row] = await createTickets(prisma, showing.id, {
        type: options.type ?? `General ${++made}`,
        count: 1,
        price: "10.00",
        transferable: options.transferable ?? true,
      });
      await prisma.ticket.update({ where: { id: row!.id }, data: { ownerId: owner.id, amountPaid: "10.00" } });
      return { id: row!.id, owner };
    },
  };
}

/** One describe block's server, door world and browsers (see openKiosk). */
export interface KioskSuite {
  server: TestServer;
  world: DoorWorld;
  /** A new Chromium for a tablet, reading `fakeCamera` (a video file) as its camera if given; closed with the suite. */
  browser(fakeCamera?: string): Promise<TestBrowser>;
  /** Keeps a browser opened elsewhere (e.g. the storefront's) to close with the suite. */
  keep(browser: TestBrowser): TestBrowser;
  /** Something to undo when the suite closes, after its browsers (a camera feed's file). */
  onClose(cleanup: () => Promise<void>): void;
  /** The ticket's QR code as its owner downloads it (PNG bytes). */
  qrPng(ticketId: string, token: string): Promise<Buffer>;
  /** Closes the browsers, then runs the cleanups, then stops the server. */
  close(): Promise<void>;
}

/**
 * A real server on `backend` and a door world on it, for one describe block's tests (`afterAll(() => kiosk?.close())`);
 * tablets' browsers get profiles named `profilePrefix`.
 */
export async function openKiosk(backend: TestBackend, profilePrefix: string): Promise<KioskSuite> {
  requireBuiltKiosk();
  const server = await startTestServer(backend);
  const browsers: TestBrowser[] = [];
  const cleanups: Array<() => Promise<void>> = [];
  const keep = (browser: TestBrowser) => {
    browsers.push(browser);
    return browser;
  };
  const suite: Omit<KioskSuite, "world"> = {
    server,
    browser: async (fakeCamera) => keep(await launchBrowser({ profilePrefix, timeoutMs: 30_000, ...(fakeCamera ? { fakeCamera } : {}) })),
    keep,
    onClose: (cleanup) => void cleanups.push(cleanup),
    qrPng: async (ticketId, token) => {
      const res = await rest(server, "GET", `/api/tickets/${ticketId}/qr/`, { token });
      if (res.status !== 200) throw new Error(`QR code of ${ticketId}: ${res.status}`);
      return res.bytes;
    },
    close: async () => {
      for (const b of browsers) await b.close().catch(() => undefined);
      for (const cleanup of cleanups) await cleanup();
      await server.close();
    },
  };
  try {
    return { ...suite, world: await doorWorld(server) };
  } catch (error) {
    await server.close();
    throw error;
  }
}

/** An officer creates a door for the showing (for some ticket types only, if given); returns its pairing code and id. */
export async function createDoor(server: TestServer, world: DoorWorld, name: string, allowedTypes?: string[]): Promise<{ code: string; deviceId: string }> {
  const created = await trpc(server, "kiosk.createDevice", {
    token: world.officer.token,
    mutation: true,
    input: { clubId: world.clubId, name, showingIds: [world.showingId], ...(allowedTypes ? { allowedTypes } : {}) },
  });
  if (created.status !== 200) throw new Error(`createDevice: ${created.status} ${JSON.stringify(created.error)}`);
  const data = created.data as { pairingCode: string; device: { id: string } };
  return { code: data.pairingCode, deviceId: data.device.id };
}

/** Opens the pairing link on the tablet and waits until the door has its tickets and can scan. */
export async function pairKiosk(page: Page, server: TestServer, code: string): Promise<void> {
  await page.goto(`${server.url}/kiosk/#pair=${code}`);
  await page.locator('.door[data-ready="true"]').waitFor();
}

/**
 * A hand scanner (keyboard wedge): the code as a burst of key presses, then Enter. The keys are dispatched inside
 * the page because Playwright's own typing can leave a second between keys on a busy machine, which the kiosk
 * (rightly) takes for a person typing, not a scanner.
 */
export async function scanWithHandScanner(page: Page, code: string): Promise<void> {
  await page.evaluate((text) => {
    (document.activeElement as HTMLElement | null)?.blur();
    // Created up front: a synthetic event's timeStamp is its creation time, as a real one's is the key press.
    const presses = [...text, "Enter"].map((key) => new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true }));
    for (const press of presses) document.body.dispatchEvent(press);
  }, code);
}

export async function shownVerdict(page: Page, verdict: string) {
  const overlay = page.locator(`[data-verdict="${verdict}"]`);
  await overlay.waitFor();
  return (await overlay.innerText()).replace(/\s+/g, " ");
}

/** Closes the verdict so the next one is seen as new. */
export async function dismissVerdict(page: Page): Promise<void> {
  // The overlay also hides by itself, so it may go between any check and a Playwright click (which would then wait
  // for an element that never comes back). Looking and tapping in one step inside the page cannot race that.
  await page.evaluate(() => document.querySelector<HTMLElement>("[data-verdict]")?.click());
  await page.locator("[data-verdict]").waitFor({ state: "detached" });
}

export async function pendingCount(page: Page): Promise<number> {
  return Number(await page.getByTestId("pending").getAttribute("data-count"));
}

export async function waitForPending(page: Page, count: number): Promise<void> {
  await page.locator(`[data-testid="pending"][data-count="${count}"]`).waitFor();
}

/** Waits until the service worker controls the page, so the kiosk loads without a network from now on. */
export async function waitForOfflineShell(page: Page): Promise<void> {
  await page.waitForFunction(async () => {
    const registration = await navigator.serviceWorker.ready;
    return registration.active?.state === "activated" && navigator.serviceWorker.controller !== null;
  });
}

/** Polls until `check` holds (database state reached through uploads and sync loops). */
export async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > end) throw new Error(`Timed out; last value: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Resolves with the page's clock time at which the kiosk's own ticket data (IndexedDB) shows the ticket checked in:
 * when that door would answer ALREADY IN. Looks every 10 ms (the measurement's resolution, not a wait for a result).
 */
export function whenStoredAsAttended(page: Page, ticketId: string): Promise<number> {
  return page.evaluate(async (id) => {
    const bucket = Number.parseInt(id.slice(0, 3), 16) % 1024;
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open("admit-kiosk");
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    try {
      for (;;) {
        const row = await new Promise<{ tickets: Record<string, { attended: boolean }> } | undefined>((resolve, reject) => {
          const get = db.transaction("buckets", "readonly").objectStore("buckets").get(bucket);
          get.onsuccess = () => resolve(get.result);
          get.onerror = () => reject(get.error);
        });
        if (row?.tickets[id]?.attended) return Date.now();
        await new Promise((r) => setTimeout(r, 10));
      }
    } finally {
      db.close();
    }
  }, ticketId);
}

/** When the kiosk recorded its admit of the ticket (the outbox row's time, the page's clock), in ms. */
export function recordedAdmitAt(page: Page, ticketId: string): Promise<number> {
  return page.evaluate(async (id) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open("admit-kiosk");
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    try {
      const rows = await new Promise<Array<{ action: string; scannedAt: string }>>((resolve, reject) => {
        const get = db.transaction("outbox", "readonly").objectStore("outbox").index("ticketId").getAll(id);
        get.onsuccess = () => resolve(get.result);
        get.onerror = () => reject(get.error);
      });
      const admit = rows.find((row) => row.action === "ADMIT");
      if (!admit) throw new Error(`No admit of ${id} in this kiosk's outbox.`);
      return Date.parse(admit.scannedAt);
    } finally {
      db.close();
    }
  }, ticketId);
}
