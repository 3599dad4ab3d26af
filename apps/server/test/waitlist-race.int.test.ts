import { createUser } from "@admit/db/factories";
import { racesRunOn, testBackends } from "@admit/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeServers, startTwoServers, trpc, type TestServer } from "./harness.ts";
import { person, type Person } from "./tickets-fixture.ts";
import { addToCart, checkout, join, waitlistWorld, type WaitlistWorld } from "./waitlist-fixtures.ts";

const MINUTE = 60_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const postgres = testBackends().find(racesRunOn);

/** Every ticket of the showing held by a checkout that lapses in a minute: sold out until then. */
async function heldUntilSoon(server: TestServer, w: WaitlistWorld) {
  const holder = await createUser(server.db.prisma);
  await server.db.prisma.ticket.updateMany({
    where: { showingId: w.showingId },
    data: { holderId: holder.id, holdExpiresAt: new Date(server.clock.now().getTime() + MINUTE) },
  });
}

function release(server: TestServer, w: WaitlistWorld) {
  return trpc(server, "waitlist.release", { token: w.officer.token, input: { showingId: w.showingId }, mutation: true });
}

describe.skipIf(!postgres)("race on PostgreSQL: waitlist offers from two server processes", () => {
  let first: TestServer;
  let second: TestServer;
  beforeAll(async () => {
    if (!postgres) return;
    [first, second] = await startTwoServers(postgres);
  });
  afterAll(() => closeServers(first, second));

  /** Both processes' clocks moved together. */
  const advance = (ms: number) => {
    first.clock.advance(ms);
    second.clock.set(first.clock.now());
  };

  it("an offer racing a new sale for the last tickets: one of them gets them, never both, no ticket sold or held twice", async () => {
    const outcomes = { offered: 0, sold: 0 };
    for (let round = 0; round < 16; round++) {
      second.clock.set(first.clock.now());
      const w = await waitlistWorld(first, { count: 3, price: "0.00" });
      await heldUntilSoon(first, w);
      const waiter = await person(first, "Wendy Waiting");
      const buyer = await person(first, "Xavier Quick");
      expect((await join(first, w, waiter, { count: 3 })).status).toBe(200);
      advance(2 * MINUTE);
      // The hold lapsed: the buyer puts the freed tickets in a cart (a cart is no reservation) and checks out on one
      // process while the other offers them to the waitlist.
      expect((await addToCart(second, w, buyer, 3)).status).toBe(200);
      // The offer's request does more before it reaches the tickets (sign-in, officer check, lock), so the sale starts a
      // little later each round: early rounds the sale wins, later ones the offer, and in between they overlap.
      const [offer, sale] = await Promise.all([release(first, w), sleep(round * 3).then(() => checkout(second, buyer))]);
      expect(offer.status).toBe(200);
      expect([200, 403]).toContain(sale.status);

      const tickets = await first.db.prisma.ticket.findMany({ where: { showingId: w.showingId } });
      const now = first.clock.now();
      const heldForWaiter = tickets.filter((t) => t.holderId === waiter.id && t.holdExpiresAt && t.holdExpiresAt > now);
      const ownedByBuyer = tickets.filter((t) => t.ownerId === buyer.id);
      const entry = await first.db.prisma.waitlistEntry.findFirstOrThrow({ where: { showingId: w.showingId, userId: waiter.id } });
      expect(tickets.filter((t) => t.ownerId !== null && t.holderId === waiter.id && t.holdExpiresAt && t.holdExpiresAt > now)).toEqual([]);
      expect(heldForWaiter.length + ownedByBuyer.length).toBeLessThanOrEqual(3);
      expect(heldForWaiter.length === 0 || ownedByBuyer.length === 0).toBe(true);
      expect(entry.state === "OFFERED" ? entry.offeredCount : 0).toBe(heldForWaiter.length);
      expect(sale.status === 200 ? 3 : 0).toBe(ownedByBuyer.length);
      const orderTickets = await first.db.prisma.orderTicket.groupBy({
        by: ["ticketId"],
        where: { ticketId: { in: tickets.map((t) => t.id) } },
        _count: { _all: true },
      });
      expect(orderTickets.filter((o) => o._count._all > 1)).toEqual([]);
      if (heldForWaiter.length) outcomes.offered++;
      if (ownedByBuyer.length) outcomes.sold++;
    }
    // Which one won varies with timing; every round above held the rule whichever it was.
    expect(outcomes.offered + outcomes.sold).toBe(16);
  }, 300_000);

  it("two processes offering at once make each offer once", async () => {
    for (let round = 0; round < 3; round++) {
      second.clock.set(first.clock.now());
      const w = await waitlistWorld(first, { count: 24 });
      await heldUntilSoon(first, w);
      const waiters: Person[] = [];
      for (let i = 0; i < 12; i++) {
        const waiter = await person(first, `Waiter ${i}`);
        expect((await join(first, w, waiter, { count: 2 })).status).toBe(200);
        waiters.push(waiter);
      }
      advance(2 * MINUTE);
      // Each server's own offer run, as their periodic jobs would start it, at the same moment.
      const rounds = await Promise.all([first, second].map((s) => s.runtime.services.waitlists.offerFreed([w.showingId])));
      const offers = rounds.map((r) => r.offers);
      expect(offers.reduce((a, b) => a + b, 0)).toBe(12);

      const now = first.clock.now();
      const entries = await first.db.prisma.waitlistEntry.findMany({ where: { showingId: w.showingId } });
      expect(entries.map((e) => [e.state, e.offeredCount])).toEqual(entries.map(() => ["OFFERED", 2]));
      for (const waiter of waiters) {
        const held = await first.db.prisma.ticket.count({ where: { showingId: w.showingId, holderId: waiter.id, holdExpiresAt: { gt: now } } });
        expect(held, `tickets held for ${waiter.username}`).toBe(2);
        const inCart = await first.db.prisma.cartTicket.count({ where: { cart: { userId: waiter.id }, ticket: { showingId: w.showingId } } });
        expect(inCart).toBe(2);
      }
      const mails = await first.db.prisma.outgoingEmail.count({
        where: { dedupeKey: { in: entries.map((e) => `waitlist-offer:${e.id}:${now.toISOString()}`) } },
      });
      expect(mails).toBe(12);
      // Running again on both changes nothing.
      const again = await Promise.all([release(first, w), release(second, w)]);
      expect(again.map((a) => (a.data as { offers: number }).offers)).toEqual([0, 0]);
    }
  }, 300_000);
});
