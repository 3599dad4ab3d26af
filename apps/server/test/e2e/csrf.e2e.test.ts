import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { testBackends } from "@admit/db/testing";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, trpc, type TestServer } from "../harness.ts";
import { launchStorefrontBrowser, type TestBrowser } from "./browser.ts";
import { buyFreeThroughApi, requireBuiltStorefront, showingWith, signInWithForm, student } from "./storefront-fixtures.ts";

/** Another origin on the same host: a page SameSite=Lax treats as the same site, so the browser sends the cookie. */
async function startAttackerSite(pages: Record<string, string>): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const page = pages[req.url ?? ""];
    res.writeHead(page ? 200 : 404, { "content-type": "text/html; charset=utf-8" });
    res.end(page ?? "not found");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** A page that posts a plain HTML form the moment it loads, as an attacker's page would. */
function autoSubmit(action: string, enctype: string, fields: Record<string, string>): string {
  const inputs = Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${name}" value="${value}">`)
    .join("");
  return `<!doctype html><title>You won!</title><form method="POST" action="${action}" enctype="${enctype}">${inputs}</form><script>document.forms[0].submit()</script>`;
}

/** Opens the attacker's page and returns what the server answered to the form the page posted. */
async function visitAttackerPage(page: Page, url: string, target: string) {
  const answered = page.waitForResponse((r) => r.url() === target && r.request().method() === "POST");
  await page.goto(url);
  const response = await answered;
  const sent = await response.request().allHeaders();
  return { status: response.status(), body: (await response.json()) as { error: { code: string; message: string } }, sent };
}

for (const backend of testBackends()) {
  describe(`a signed-in student's browser driven by another site (${backend.kind})`, { timeout: 120_000 }, () => {
    let server: TestServer;
    let browser: TestBrowser;
    let attacker: { url: string; server: Server } | undefined;

    beforeAll(async () => {
      requireBuiltStorefront();
      server = await startTestServer(backend);
      browser = await launchStorefrontBrowser();
    }, 240_000);
    afterAll(async () => {
      await browser?.close();
      await new Promise((resolve) => (attacker ? attacker.server.close(resolve) : resolve(undefined)));
      await server?.close();
    });

    it("refuses the forms another port's page auto-submits; the storefront itself still transfers and checks out", async () => {
      const { page } = browser;
      const victim = await student(server, "Vera Victim");
      const thief = await student(server, "Mallory Attacker");
      const friend = await student(server, "Fran Friend");
      const concert = await showingWith(server, { eventName: "Spring Concert", types: [{ type: "General", count: 4, price: "0.00" }] });
      await buyFreeThroughApi(server, victim, concert.showing.id, "General", 2);
      const [ticket, gift] = await server.db.prisma.ticket.findMany({
        where: { showingId: concert.showing.id, ownerId: victim.id },
        orderBy: { id: "asc" },
      });
      const screening = await showingWith(server, { eventName: "Late Screening", types: [{ type: "General", count: 5, price: "0.00" }] });
      const added = await trpc(server, "cart.add", {
        token: victim.token,
        mutation: true,
        input: { showingId: screening.showing.id, quantities: [{ type: "General", count: 2 }] },
      });
      expect(added.error).toBeUndefined();
      const cartBefore = (await trpc(server, "cart.get", { token: victim.token })).data;

      await signInWithForm(page, server, victim.username, "/tickets");

      const transferUrl = `${server.url}/api/tickets/${ticket!.id}/transfer/`;
      const checkoutUrl = `${server.url}/trpc/checkout.start`;
      attacker = await startAttackerSite({
        "/transfer": autoSubmit(transferUrl, "application/x-www-form-urlencoded", { username: thief.username }),
        "/checkout": autoSubmit(checkoutUrl, "multipart/form-data", { anything: "1" }),
      });

      const transfer = await visitAttackerPage(page, `${attacker.url}/transfer`, transferUrl);
      // The attack as it happens: the browser sent the session cookie along, from another origin.
      expect(transfer.sent.cookie).toContain("admit.session_token=");
      expect(transfer.sent.origin).toBe(attacker.url);
      expect(transfer.status).toBe(403);
      expect(transfer.body.error.code).toBe("CROSS_ORIGIN_REFUSED");

      const checkout = await visitAttackerPage(page, `${attacker.url}/checkout`, checkoutUrl);
      expect(checkout.sent.cookie).toContain("admit.session_token=");
      expect(checkout.status).toBe(403);
      expect(checkout.body.error.code).toBe("CROSS_ORIGIN_REFUSED");

      const prisma = server.db.prisma;
      expect((await prisma.ticket.findUniqueOrThrow({ where: { id: ticket!.id } })).ownerId).toBe(victim.id);
      expect(await prisma.transferRecord.count({ where: { ticketId: ticket!.id } })).toBe(0);
      expect((await trpc(server, "cart.get", { token: victim.token })).data).toEqual(cartBefore);
      expect(await prisma.ticket.count({ where: { showingId: screening.showing.id, ownerId: victim.id } })).toBe(0);

      // From its own origin the same browser, with the same cookie, still does both.
      await page.goto(`${server.url}/tickets/${gift!.id}`);
      await page.getByRole("button", { name: "Transfer to a friend" }).click();
      const dialog = page.getByRole("dialog", { name: "Transfer this ticket" });
      await dialog.getByLabel("Their username").fill(friend.username);
      await dialog.getByRole("button", { name: "Continue" }).click();
      await page.getByRole("dialog", { name: "Send this ticket?" }).getByRole("button", { name: `Send ticket to @${friend.username}` }).click();
      await page.getByText(`now belongs to @${friend.username}`).first().waitFor();
      expect((await prisma.ticket.findUniqueOrThrow({ where: { id: gift!.id } })).ownerId).toBe(friend.id);

      await page.goto(`${server.url}/cart`);
      await page.getByRole("button", { name: "Get my free tickets" }).click();
      await page.waitForURL(/\/checkout\/result\?outcome=free/);
      expect(await prisma.ticket.count({ where: { showingId: screening.showing.id, ownerId: victim.id } })).toBe(2);
      expect(await prisma.ticket.count({ where: { ownerId: thief.id } })).toBe(0);
    });
  });
}
