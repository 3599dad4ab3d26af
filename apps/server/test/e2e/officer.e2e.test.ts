import { readFile } from "node:fs/promises";
import { testBackends } from "@admit/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trpc, type TestServer } from "../harness.ts";
import { liveNumber, localInputValue, officerOfNewClub, officerShowing, wholeMinuteAfter } from "./officer-fixtures.ts";
import { cspViolations, type TestBrowser } from "./browser.ts";
import { buyFreeThroughApi, closeStorefront, decodeQr, openStorefront, signIn, student } from "./storefront-fixtures.ts";

// An officer runs a showing through the real dashboard in Chromium, against a real server and a fresh database.
for (const backend of testBackends()) {
  describe(`club officer dashboard in a browser (${backend.kind})`, { timeout: 120_000 }, () => {
    let server: TestServer;
    let browser: TestBrowser;

    beforeAll(async () => {
      ({ server, browser } = await openStorefront(backend));
    }, 240_000);
    afterAll(() => closeStorefront(server, browser));

    it("creates an event, a showing and its tickets; sees a buyer, marks attendance and exports the CSV", async () => {
      const { page } = browser;
      const { prisma } = server.db;
      const { officer, clubId } = await officerOfNewClub(server, "Film Society");
      const maya = await student(server, "Maya Buyer");

      // One club: /dashboard goes straight to it.
      await signIn(page, server, officer.username, "/dashboard");
      await page.waitForURL(`${server.url}/dashboard/${clubId}`);
      await page.getByRole("heading", { level: 1, name: "Film Society" }).waitFor();
      await page.getByText("No events yet").waitFor();

      // The event form checks with the server's schema before sending anything.
      await page.getByRole("button", { name: "New event" }).click();
      await page.getByRole("button", { name: "Create event" }).click();
      await page.getByText("Give the event a name.").waitFor();
      await page.getByLabel("Event name").fill("Spring Screening");
      await page.getByLabel("Description").fill("A film under the stars.");
      await page.getByRole("button", { name: "Create event" }).click();
      await page.waitForURL(/\/dashboard\/\d+\/events\/\d+$/);
      await page.getByRole("heading", { level: 1, name: "Spring Screening" }).waitFor();
      const event = await prisma.event.findFirstOrThrow({ where: { clubId, name: "Spring Screening" } });
      expect(event.description).toBe("A film under the stars.");

      // A showing: an end before the start is refused next to the field, in the browser's time zone.
      const start = wholeMinuteAfter(server, 48);
      const end = new Date(start.getTime() + 2 * 3_600_000);
      await page.getByRole("button", { name: "Add showing" }).first().click();
      await page.getByLabel("Starts").fill(localInputValue(end));
      await page.getByLabel("Ends").fill(localInputValue(start));
      await page.getByLabel("Location").fill("Irvine Auditorium");
      await page.getByLabel("Tickets per person").fill("4");
      await page.getByRole("button", { name: "Add showing" }).last().click();
      await page.getByText("A showing starts before it ends.").waitFor();
      expect(await prisma.showing.count({ where: { eventId: event.id } })).toBe(0);
      await page.getByLabel("Starts").fill(localInputValue(start));
      await page.getByLabel("Ends").fill(localInputValue(end));
      await page.getByRole("button", { name: "Add showing" }).last().click();
      await page.waitForURL(/\/showings\/\d+\?tab=tickets$/);
      const showing = await prisma.showing.findFirstOrThrow({ where: { eventId: event.id } });
      expect(showing.startTime.toISOString()).toBe(start.toISOString());
      expect(showing.endTime.toISOString()).toBe(end.toISOString());
      expect(showing.location).toBe("Irvine Auditorium");
      expect(showing.ticketOrderLimit).toBe(4);

      // Ticket types: a free General type and a paid, non-transferable Front Row with a group discount.
      const first = page.getByTestId("offering-1");
      await first.getByLabel("Type name").fill("General");
      await first.getByLabel("Number of tickets").fill("50");
      await first.getByLabel("Price in dollars").fill("0");
      await page.getByRole("button", { name: "Add a ticket type" }).click();
      const second = page.getByTestId("offering-2");
      await second.getByLabel("Type name").fill("Front Row");
      await second.getByLabel("Number of tickets").fill("5");
      await second.getByLabel("Price in dollars").fill("12.5");
      await second.getByLabel("Group discount (%)").fill("20");
      await page.getByRole("button", { name: "Save ticket types" }).click();
      await page.getByText("Give the group discount and the group size together, or neither.").waitFor();
      await second.getByLabel("Group size").fill("4");
      await second.getByLabel("Transferable").uncheck();
      await page.getByRole("button", { name: "Save ticket types" }).click();
      await page.getByRole("main").getByText("Saved: 55 tickets listed.").waitFor();
      const frontRow = await prisma.ticket.findFirstOrThrow({ where: { showingId: showing.id, type: "Front Row" } });
      expect(frontRow.price.toFixed(2)).toBe("12.50");
      expect(frontRow.groupDiscount.toFixed(2)).toBe("0.20");
      expect(frontRow.groupSize).toBe(4);
      expect(frontRow.transferable).toBe(false);
      expect(await prisma.ticket.count({ where: { showingId: showing.id, type: "General", buyable: true } })).toBe(50);

      // A student takes two free tickets; the live numbers catch up on their own (refetched every 10 seconds).
      await buyFreeThroughApi(server, maya, showing.id, "General", 2);
      const numbers = "Live numbers for this showing";
      await expect.poll(() => liveNumber(page, numbers, "Sold").textContent(), { timeout: 15_000 }).toBe("2");

      await page.getByRole("tab", { name: "Ticket holders" }).click();
      const mayaRows = page.getByRole("row").filter({ hasText: "Maya Buyer" });
      await expect.poll(() => mayaRows.count()).toBe(2);
      await page.getByLabel("Search ticket holders").fill("nobody-like-this");
      await page.getByText("Nobody matches").waitFor();
      await page.getByLabel("Search ticket holders").fill(maya.username);
      await expect.poll(() => mayaRows.count()).toBe(2);

      // Attendance: one of Maya's tickets is marked checked in, and the dashboard counts it.
      const toggle = page.getByRole("checkbox", { name: /^Maya Buyer, General ticket .*: checked in$/ }).first();
      const attendedCount = () => prisma.ticket.count({ where: { showingId: showing.id, attended: true } });
      await toggle.check();
      await expect.poll(attendedCount).toBe(1);
      await toggle.uncheck();
      await expect.poll(attendedCount).toBe(0);
      await toggle.check();
      await expect.poll(attendedCount).toBe(1);
      await expect.poll(() => liveNumber(page, numbers, "Checked in").textContent(), { timeout: 15_000 }).toBe("1");
      const attendedRows = await prisma.ticket.findMany({ where: { showingId: showing.id, attended: true }, include: { owner: true } });
      expect(attendedRows.map((t) => t.owner?.username)).toEqual([maya.username]);

      // The CSV link downloads the same list with the officer's session.
      const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download CSV" }).click()]);
      expect(download.suggestedFilename()).toBe(`buyers-spring-screening-showing-${showing.id}.csv`);
      const csv = await readFile((await download.path())!, "utf8");
      const lines = csv.trim().split("\r\n");
      expect(lines[0]).toBe("Ticket,Name,Username,Email,Type,Attended,Amount paid,Complimentary,Checked in at");
      expect(lines.slice(1).filter((l) => l.includes(",Maya Buyer,"))).toHaveLength(2);
      expect(lines.filter((l) => l.includes(",yes,0.00,no"))).toHaveLength(1);

      // Sold tickets cannot be deleted: the server's refusal shows in plain words, and nothing changes.
      await page.getByRole("button", { name: "Delete showing" }).click();
      const dialog = page.getByRole("dialog", { name: "Delete this showing?" });
      await dialog.getByRole("button", { name: "Delete showing" }).click();
      await dialog.getByText("Tickets of this showing are held or sold, so it cannot be deleted.").waitFor();
      await dialog.getByRole("button", { name: "Cancel" }).click();
      expect(await prisma.showing.count({ where: { id: showing.id } })).toBe(1);
      // Nothing on the dashboard was refused by its Content-Security-Policy.
      expect(cspViolations(browser.errors)).toEqual([]);
    });

    it("after a sale, adds tickets of a current type and a new type, each problem marked at its own box", async () => {
      const { page } = browser;
      const { prisma } = server.db;
      await browser.context.clearCookies();
      const { officer, clubId, showingId } = await officerShowing(server, {
        clubName: "Drama Club",
        eventName: "Spring Play",
        startsInHours: 60,
        offerings: [{ type: "General", count: 10, price: "0.00" }],
      });
      const buyer = await student(server, "Bea Buyer");
      await buyFreeThroughApi(server, buyer, showingId, "General", 1);

      await signIn(page, server, officer.username, `/dashboard/${clubId}/showings/${showingId}?tab=tickets`);
      const form = page.getByRole("form", { name: "Add tickets" });
      await form.getByLabel("Add more General tickets").fill("0");
      await form.getByRole("button", { name: "Add a new ticket type" }).click();
      const fresh = form.getByTestId("offering-1");
      await fresh.getByLabel("Type name").fill("Balcony");
      await fresh.getByLabel("Price in dollars").fill("5");
      await form.getByRole("button", { name: "Add tickets" }).click();
      // The current type's box and the new row's empty count each say what is wrong; nothing is added.
      await form.getByText("The number of tickets must be at least 1.").waitFor();
      await fresh.getByText("Give the number of tickets as a whole number.").waitFor();
      expect(await prisma.ticket.count({ where: { showingId } })).toBe(10);

      await form.getByLabel("Add more General tickets").fill("3");
      await fresh.getByLabel("Number of tickets").fill("2");
      await form.getByRole("button", { name: "Add tickets" }).click();
      await page.getByRole("main").getByText("Added 5 tickets.").waitFor();
      expect(await prisma.ticket.count({ where: { showingId, type: "General" } })).toBe(13);
      const balcony = await prisma.ticket.findMany({ where: { showingId, type: "Balcony" } });
      expect(balcony.map((t) => t.price.toFixed(2))).toEqual(["5.00", "5.00"]);
    });

    it("issues tickets to a username, e-mails holders, and pairs and revokes a door device", async () => {
      const { page } = browser;
      const { prisma } = server.db;
      await browser.context.clearCookies();
      const { officer, clubId, showingId } = await officerShowing(server, {
        clubName: "Jazz Ensemble",
        eventName: "Winter Concert",
        startsInHours: 30,
        offerings: [{ type: "Guest", count: 5, price: "0.00", buyable: false }],
      });
      const guest = await student(server, "Gus Guest");

      await signIn(page, server, officer.username, `/dashboard/${clubId}/showings/${showingId}?tab=issue`);
      await page.getByRole("heading", { level: 1, name: "Winter Concert" }).waitFor();

      // An unknown username is marked on its line and nothing is issued.
      await page.getByLabel("Username").fill("no-such-person");
      await page.getByRole("button", { name: "Issue tickets" }).click();
      await page.getByText("No account has this username.").waitFor();
      expect(await prisma.ticket.count({ where: { showingId, ownerId: { not: null } } })).toBe(0);
      await page.getByLabel("Username").fill(guest.username);
      await page.getByLabel("How many").fill("2");
      await page.getByRole("button", { name: "Issue tickets" }).click();
      await page.getByRole("main").getByText("Issued 2 tickets to 1 person. Each of them got an e-mail.").waitFor();
      expect(await prisma.ticket.count({ where: { showingId, ownerId: guest.id, complimentary: true } })).toBe(2);

      // E-mail to every holder, after a confirmation.
      await page.getByRole("tab", { name: "E-mail holders" }).click();
      await page.getByText("This showing has 1 ticket holder.").waitFor();
      await page.getByLabel("Message").fill("Doors open at 6:30.");
      await page.getByRole("button", { name: "Review and send" }).click();
      await page.getByRole("dialog", { name: "Send this e-mail?" }).getByRole("button", { name: "Send to 1 person" }).click();
      await page.getByRole("main").getByText("Sent to 1 person.").waitFor();

      // A door device: the code is shown once, as text, a link and a QR code of the link; the tablet pairs with it.
      await page.getByRole("tab", { name: "Door" }).click();
      await page.getByText("No door devices yet").waitFor();
      await page.getByText("No conflicts: no ticket has been let in twice.").waitFor();
      await page.getByRole("button", { name: "Set up a door device" }).click();
      await page.getByRole("button", { name: "Create and show code" }).click();
      await page.getByText("Give the door a name, e.g. North entrance.").waitFor();
      await page.getByLabel("Door name").fill("North door");
      await page.getByRole("button", { name: "Create and show code" }).click();
      const pairingDialog = page.getByRole("dialog", { name: "Pair “North door”" });
      const code = (await pairingDialog.locator(".pairing-code").textContent())!;
      expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
      await pairingDialog.getByRole("timer").waitFor();
      const link = `${server.url}/kiosk/#pair=${code}`;
      await pairingDialog.getByText(link).waitFor();
      const qr = pairingDialog.getByRole("img", { name: "QR code of the pairing link for North door" });
      expect(decodeQr(await qr.screenshot())).toBe(link);
      const paired = await trpc(server, "kiosk.pair", { mutation: true, input: { code } });
      expect(paired.error).toBeUndefined();
      await pairingDialog.getByRole("button", { name: "Done" }).click();
      const card = page.getByRole("listitem").filter({ hasText: "North door" });
      await card.getByText("Paired", { exact: true }).waitFor({ timeout: 15_000 });

      // The tablet reports with its syncs how many scans it has not sent yet (here 3).
      const deviceToken = (paired.data as { token: string }).token;
      const { cursor } = (await trpc(server, "door.manifest", { token: deviceToken })).data as { cursor: string };
      expect((await trpc(server, "door.changes", { token: deviceToken, input: { cursor, unsent: 3 } })).status).toBe(200);

      // Revoking asks first, saying what happens to a tablet that is offline and what it still holds; then the
      // device's token stops working.
      await card.getByRole("button", { name: "Revoke North door" }).click();
      const revokeDialog = page.getByRole("dialog", { name: "Revoke “North door”?" });
      await revokeDialog.getByText(/it had 3 scans not sent yet/).waitFor();
      await revokeDialog.getByText(/If it is offline, it keeps checking people in/).waitFor();
      await revokeDialog.getByRole("button", { name: "Revoke device" }).click();
      await card.getByText(/^Revoked /).waitFor();
      const device = await prisma.kioskDevice.findFirstOrThrow({ where: { clubId, name: "North door" } });
      expect(device.revokedAt).not.toBeNull();
      const manifest = await trpc(server, "door.manifest", { token: (paired.data as { token: string }).token });
      expect(manifest.status).toBeGreaterThanOrEqual(400);
      // The pairing QR code and the rest were drawn without anything refused by the Content-Security-Policy.
      expect(cspViolations(browser.errors)).toEqual([]);
    });
  });
}
