import { createHmac } from "node:crypto";
import { testBackends } from "@admit/db/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { trpc, type TestServer } from "../harness.ts";
import type { TestBrowser } from "./browser.ts";
import { BROWSER_TIME_ZONE } from "./officer-fixtures.ts";
import { checkOnPhone } from "./phone-check.ts";
import { buyFreeThroughApi, closeStorefront, openStorefront, showingWith, signIn, student, type Student } from "./storefront-fixtures.ts";

const MINUTE = 60_000;
/** The lobby page asks again when the server says (up to 15 s while waiting for the drop); a busy machine adds more. */
const LIVE = { timeout: 60_000 };

// A fair drop in Chromium: a student joins the lobby before the drop, watches their place after the draw, gets their
// turn when the student ahead has bought, and buys.
for (const backend of testBackends()) {
  describe(`a drop lobby in a browser (${backend.kind})`, { timeout: 240_000 }, () => {
    let server: TestServer;
    let browser: TestBrowser;

    beforeAll(async () => {
      ({ server, browser } = await openStorefront(backend));
    }, 240_000);
    afterAll(() => closeStorefront(server, browser));
    beforeEach(async () => {
      await browser.context.clearCookies();
    });

    /** The officer turns the lobby on from the showing's dashboard page; its seed is fixed from then on. */
    async function lobbyOnFromDashboard(clubId: number, showingId: number) {
      const { page } = browser;
      const officer = await student(server, "Olivia Officer");
      await server.db.prisma.membership.create({ data: { clubId, userId: officer.id, role: "OFFICER" } });
      await signIn(page, server, officer.username, `/dashboard/${clubId}/showings/${showingId}?tab=drop`);
      const form = page.getByRole("form", { name: "Lobby settings" });
      await form.getByLabel("Sell this drop through a lobby").check();
      await form.getByLabel("Lobby opens (minutes before the drop)").fill("15");
      await form.getByLabel("Minutes each student has to buy").fill("10");
      await form.getByRole("button", { name: "Save lobby" }).click();
      await page.getByText("Open: students are joining").waitFor();
      const lobby = await server.db.prisma.lobby.findUniqueOrThrow({ where: { showingId } });
      expect(lobby).toMatchObject({ enabled: true, opensMinutesBefore: 15, admitMinutes: 10 });
      await page.getByText(lobby.seedCommitment).waitFor();
      await checkOnPhone(page, "lobby-officer");
      await page.context().clearCookies();
      return lobby;
    }

    /** Two students in draw order: the seed decides which of them the draw places first (the draw stays random). */
    async function twoStudentsInDrawOrder(seed: string): Promise<[Student, Student]> {
      const key = (s: Student) => createHmac("sha256", seed).update(s.id).digest("hex");
      const a = await student(server, "Riley Rival");
      const b = await student(server, "Sam Lobby");
      return key(a) < key(b) ? [a, b] : [b, a];
    }

    it("a student joins before the drop, sees their place after the draw, then 'You're in', adds, checks out and sees the order", async () => {
      const { page } = browser;
      const { prisma } = server.db;
      const drop = new Date(server.clock.now().getTime() + 10 * MINUTE);
      const { club, event, showing } = await showingWith(server, {
        clubName: "Formal Committee",
        eventName: "Winter Formal",
        types: [{ type: "General", count: 2, price: "0.00" }],
        orderLimit: 2,
        dropTime: drop,
      });
      const lobby = await lobbyOnFromDashboard(club.id, showing.id);
      // The student in this browser is the one the draw places second.
      const [rival, sam] = await twoStudentsInDrawOrder(lobby.seed);
      const joined = await trpc(server, "lobby.join", { token: rival.token, mutation: true, input: { showingId: showing.id } });
      expect(joined.error).toBeUndefined();

      // Before the drop: the event page offers the lobby, and joining leads to the lobby page.
      await signIn(page, server, sam.username, `/events/${event.id}`);
      const block = page.getByTestId(`lobby-block-${showing.id}`);
      await block.getByText("The lobby is open").waitFor();
      expect(await page.getByRole("button", { name: "Add to cart" }).count()).toBe(0);
      await checkOnPhone(page, "lobby-event");
      await block.getByRole("button", { name: "Join the lobby" }).click();
      await page.waitForURL(`${server.url}/events/${event.id}/showings/${showing.id}/lobby`);
      await page.getByRole("heading", { level: 2, name: "You're in the lobby" }).waitFor();
      await page.getByText(lobby.seedCommitment).waitFor();
      await checkOnPhone(page, "lobby-before-drop");
      expect(await prisma.lobbyEntry.findUniqueOrThrow({ where: { showingId_userId: { showingId: showing.id, userId: sam.id } } })).toMatchObject({
        state: "WAITING",
        position: null,
      });

      // The drop: the draw puts the rival first and gives them a turn sized to both tickets; Sam waits second.
      server.clock.set(drop.getTime() + 1_000);
      const rivalStatus = await trpc(server, "lobby.status", { token: rival.token, input: { showingId: showing.id } });
      expect(rivalStatus.data).toMatchObject({ phase: "RUNNING", you: { state: "ADMITTED", position: 1 } });
      await page.getByText("You're #2 in line. You're next.").waitFor(LIVE);
      await page.getByRole("heading", { level: 2, name: "You're in line" }).waitFor();
      // After the draw the seed is revealed and this browser checks it against the fingerprint published before.
      await page.getByText(lobby.seed).waitFor();
      await page.getByText("This browser checked it").waitFor();
      await checkOnPhone(page, "lobby-waiting");

      // The rival buys one ticket: their turn ends with the order, and the next advance lets Sam in for the last one.
      await buyFreeThroughApi(server, rival, showing.id, "General", 1);
      server.clock.advance(2_000);
      await page.getByRole("heading", { level: 2, name: "You're in!" }).waitFor(LIVE);
      await page.getByText("Your turn ends in").waitFor();

      // On a phone the lobby fits the screen (the long seed and keys wrap) and reads well to assistive technology.
      await page.getByRole("button", { name: "More General tickets" }).waitFor();
      await checkOnPhone(page, "lobby-your-turn");

      await page.getByRole("button", { name: "More General tickets" }).click();
      await page.getByRole("button", { name: "Add to cart" }).click();
      await page.getByText("1 ticket added to your cart.").first().waitFor();
      await page.getByRole("link", { name: "Go to cart and check out" }).first().click();
      await page.getByRole("button", { name: "Get my free tickets" }).click();
      await page.waitForURL(/\/checkout\/result\?outcome=free/);
      await page.getByRole("link", { name: "View your order and receipt" }).click();
      await page.waitForURL(/\/orders\/[0-9a-f-]{36}$/);
      await page.getByText("Confirmed", { exact: true }).waitFor();
      await page.getByRole("heading", { level: 1, name: "Winter Formal" }).waitFor();

      expect(await prisma.ticket.count({ where: { showingId: showing.id, ownerId: sam.id } })).toBe(1);
      expect(await prisma.lobbyEntry.findUniqueOrThrow({ where: { showingId_userId: { showingId: showing.id, userId: sam.id } } })).toMatchObject({
        state: "DONE",
        position: 2,
      });
    });

    it("before the lobby opens, the event page says when and a student asks to be reminded", async () => {
      const { page } = browser;
      const drop = new Date(server.clock.now().getTime() + 120 * MINUTE);
      const { club, event, showing } = await showingWith(server, {
        eventName: "Spring Formal",
        types: [{ type: "General", count: 5, price: "0.00" }],
        dropTime: drop,
      });
      const officer = await student(server, "Omar Officer");
      await server.db.prisma.membership.create({ data: { clubId: club.id, userId: officer.id, role: "OFFICER" } });
      const configured = await trpc(server, "lobby.configure", {
        token: officer.token,
        mutation: true,
        input: { showingId: showing.id, enabled: true, opensMinutesBefore: 15, admitMinutes: 10 },
      });
      expect(configured.error).toBeUndefined();
      const nora = await student(server, "Nora Notify");

      await signIn(page, server, nora.username, `/events/${event.id}`);
      const opensAt = new Date(drop.getTime() - 15 * MINUTE).toLocaleTimeString("en-US", { timeZone: BROWSER_TIME_ZONE, hour: "numeric", minute: "2-digit" });
      const block = page.getByTestId(`lobby-block-${showing.id}`);
      await block.getByText(`Lobby opens at ${opensAt}`).waitFor();
      await block.getByRole("button", { name: "Notify me" }).click();
      await block.getByText(/We'll e-mail you on/).waitFor();
      const reminder = await server.db.prisma.dropReminder.findFirstOrThrow({ where: { showingId: showing.id, userId: nora.id } });
      expect(reminder.sentAt).toBeNull();
      await block.getByRole("button", { name: "Don't remind me" }).click();
      await block.getByRole("button", { name: "Notify me" }).waitFor();
      expect(await server.db.prisma.dropReminder.count({ where: { showingId: showing.id, userId: nora.id } })).toBe(0);
      await page.context().clearCookies();
    });
  });
}
