import { createTickets } from "@admit/db/factories";
import { testBackends } from "@admit/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, trpc, type TestServer } from "./harness.ts";
import { soldOrder } from "./refund-fixtures.ts";
import { person, rest } from "./tickets-fixture.ts";
import {
  addToCart,
  checkout,
  heldFor,
  join,
  mailTo,
  pay,
  startCheckout,
  statusOf,
  waitlistPath,
  waitlistWorld,
  type WaitlistWorld,
} from "./waitlist-fixtures.ts";

const MINUTE = 60_000;

for (const backend of testBackends()) {
  describe(`waitlist with offers (${backend.kind})`, () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer(backend);
    });
    afterAll(async () => {
      await server?.close();
    });

    it("refuses joining while tickets are on sale, and bad input, changing nothing", async () => {
      const w = await waitlistWorld(server, { count: 2, orderLimit: 4 });
      const ann = await person(server, "Ann Early");
      const refused = await join(server, w, ann, { count: 1 });
      expect(refused.status).toBe(409);
      expect(refused.body.error?.code).toBe("TICKETS_AVAILABLE");

      const bad = [
        { body: { count: 0 }, status: 400 },
        { body: { count: 1.5 }, status: 400 },
        { body: { count: 1, type: "" }, status: 400 },
        { body: { count: 1, extra: true }, status: 400 },
        { body: { count: 1, type: "Balcony" }, status: 400 },
        { body: {}, status: 400 },
      ];
      for (const { body, status } of bad) expect((await join(server, w, ann, body)).status, JSON.stringify(body)).toBe(status);
      expect((await rest(server, "POST", "/api/showings/2147483647/waitlist/", { token: ann.token, body: { count: 1 } })).status).toBe(404);
      expect((await rest(server, "POST", "/api/showings/abc/waitlist/", { token: ann.token, body: { count: 1 } })).status).toBe(400);
      expect((await rest(server, "POST", waitlistPath(w), { body: { count: 1 } })).status).toBe(401);
      expect(await server.db.prisma.waitlistEntry.count({ where: { showingId: w.showingId } })).toBe(0);
    });

    it("a hold that lapses is offered to the first in line: held for them, in their cart, e-mailed; nobody else can take it; they buy it", async () => {
      const w = await waitlistWorld(server, { count: 2, orderLimit: 4 });
      const bea = await person(server, "Bea Buyer");
      const ann = await person(server, "Ann First");
      const cal = await person(server, "Cal Second");
      const dan = await person(server, "Dan Late");

      expect((await addToCart(server, w, bea, 2)).status).toBe(200);
      await startCheckout(server, bea);

      // Sold out for now (both held by Bea's checkout): the waitlist opens.
      const first = await join(server, w, ann, { count: 2 });
      expect(first.status, JSON.stringify(first.body)).toBe(200);
      expect(first.body.you).toMatchObject({ state: "WAITING", place: 1, count: 2, type: null, offer: null });
      const second = await join(server, w, cal, { count: 1, type: "General" });
      expect(second.body.you).toMatchObject({ state: "WAITING", place: 2, type: "General" });
      // Past the order limit: refused, place unchanged.
      const tooMany = await join(server, w, ann, { count: 5 });
      expect(tooMany.status).toBe(403);
      expect(tooMany.body.error?.code).toBe("ORDER_LIMIT_EXCEEDED");
      expect((await statusOf(server, w, ann)).you).toMatchObject({ place: 1, count: 2 });
      expect((await statusOf(server, w)).waiting).toBe(2);

      // Nothing is free yet: the offer job offers nothing.
      expect(await server.runtime.services.waitlists.offerFreed()).toMatchObject({ offers: 0 });

      // Bea's hold lapses; the sweeper frees the tickets and the offer job offers them to Ann.
      server.clock.advance(11 * MINUTE);
      await server.runtime.services.checkout.releaseExpiredHolds();
      const round = await server.runtime.services.waitlists.offerFreed();
      expect(round).toMatchObject({ offers: 1, tickets: 2 });
      const offered = await statusOf(server, w, ann);
      const offerEnds = new Date(server.clock.now().getTime() + 30 * MINUTE).toISOString();
      expect(offered.you).toMatchObject({ state: "OFFERED", place: null, offer: { count: 2, expiresAt: offerEnds } });
      expect((await statusOf(server, w, cal)).you).toMatchObject({ state: "WAITING", place: 1 });
      const mine = await trpc(server, "waitlist.mine", { token: ann.token });
      expect(mine.data).toEqual([
        expect.objectContaining({ showingId: w.showingId, eventId: w.eventId, state: "OFFERED", offer: { count: 2, expiresAt: offerEnds } }),
      ]);
      const annHeld = await heldFor(server, w, ann);
      expect(annHeld.held).toHaveLength(2);
      expect(annHeld.inCart).toBe(2);
      expect(annHeld.held.every((t) => t.holdExpiresAt?.toISOString() === offerEnds && t.heldForPaymentId === null)).toBe(true);
      const [mail] = await mailTo(server, ann);
      expect(mail?.subject).toMatch(/^Tickets held for you/);
      expect(mail?.text).toContain(`${server.url}/cart`);
      expect(mail?.text).toContain("2 tickets");

      // Running the job again offers nothing twice.
      expect(await server.runtime.services.waitlists.offerFreed()).toMatchObject({ offers: 0, tickets: 0 });
      expect(await mailTo(server, ann)).toHaveLength(1);

      // Bea still has the same tickets in her cart: her checkout finds them taken. Dan cannot add them either.
      const stale = await checkout(server, bea);
      expect(stale.status).toBe(403);
      expect((stale.body as { error: { code: string } }).error.code).toBe("CART_STALE");
      expect((await addToCart(server, w, dan, 1)).status).toBe(403);
      // While an offer holds tickets for Ann, joining again is refused.
      expect((await join(server, w, ann, { count: 1 })).body.error?.code).toBe("CONFLICT");

      // Ann checks out the offer and pays: the tickets are hers and her place is done.
      const params = await startCheckout(server, ann);
      await pay(server, params);
      const owned = await server.db.prisma.ticket.count({ where: { showingId: w.showingId, ownerId: ann.id } });
      expect(owned).toBe(2);
      expect((await statusOf(server, w, ann)).you?.state).toBe("DONE");
      expect((await statusOf(server, w)).waiting).toBe(1);
    });

    it("an unused offer expires and passes to the next in line; the first may join again at the back", async () => {
      const w = await waitlistWorld(server, { count: 1 });
      const bea = await person(server, "Bea Holder");
      const ann = await person(server, "Ann Away");
      const cal = await person(server, "Cal Next");
      await addToCart(server, w, bea, 1);
      await startCheckout(server, bea);
      expect((await join(server, w, ann, { count: 1 })).status).toBe(200);
      expect((await join(server, w, cal, { count: 1 })).status).toBe(200);
      // The officer shortens offers to 5 minutes.
      const configured = await trpc(server, "waitlist.configure", {
        token: w.officer.token,
        input: { showingId: w.showingId, offerMinutes: 5 },
        mutation: true,
      });
      expect(configured.data).toEqual({ showingId: w.showingId, offerMinutes: 5 });

      server.clock.advance(11 * MINUTE);
      await server.runtime.services.waitlists.offerFreed();
      expect((await statusOf(server, w, ann)).you?.state).toBe("OFFERED");
      const [ticket] = (await heldFor(server, w, ann)).held;
      expect(ticket).toBeDefined();

      // Four minutes on, still Ann's.
      server.clock.advance(4 * MINUTE);
      expect(await server.runtime.services.waitlists.offerFreed()).toMatchObject({ offers: 0, expired: 0 });
      expect((await addToCart(server, w, cal, 1)).status).toBe(403);

      server.clock.advance(1 * MINUTE);
      expect(await server.runtime.services.waitlists.offerFreed()).toMatchObject({ offers: 1, expired: 1 });
      expect((await statusOf(server, w, ann)).you).toMatchObject({ state: "EXPIRED", offer: null });
      expect((await statusOf(server, w, cal)).you).toMatchObject({ state: "OFFERED", offer: { count: 1 } });
      expect((await heldFor(server, w, cal)).held.map((t) => t.id)).toEqual([ticket!.id]);
      expect((await mailTo(server, cal)).map((m) => m.subject)).toEqual([expect.stringMatching(/^Tickets held for you/)]);
      // Ann's old cart ticket is Cal's now: her checkout is stale.
      expect((await checkout(server, ann)).status).toBe(403);

      // Ann joins again: at the back of the line (behind nobody else here, so place 1, with a new joining time).
      const again = await join(server, w, ann, { count: 1 });
      expect(again.status).toBe(200);
      expect(again.body.you).toMatchObject({ state: "WAITING", place: 1 });

      // Cal leaves: the ticket goes back to Ann at once.
      const left = await rest(server, "DELETE", waitlistPath(w), { token: cal.token });
      expect(left.status).toBe(200);
      expect((left.body as { you: { state: string } }).you.state).toBe("LEFT");
      expect((await heldFor(server, w, cal)).held).toHaveLength(0);
      expect((await statusOf(server, w, ann)).you?.state).toBe("OFFERED");
    });

    it("a refund back on sale, a return, and tickets an officer adds, are offered at once", async () => {
      const w = await waitlistWorld(server, { count: 2, price: "12.00" });
      await server.db.prisma.ticket.updateMany({ where: { showingId: w.showingId }, data: { returnHoursBefore: 1 } });
      const sold = await soldOrder(server, [{ showingId: w.showingId, count: 1 }]);
      const returned = await soldOrder(server, [{ showingId: w.showingId, count: 1 }]);
      const ann = await person(server, "Ann Refund");
      const bo = await person(server, "Bo Return");
      const cal = await person(server, "Cal Added");
      expect((await join(server, w, ann, { count: 1 })).status).toBe(200);
      expect((await join(server, w, bo, { count: 1 })).status).toBe(200);
      expect((await join(server, w, cal, { count: 1 })).status).toBe(200);

      const refund = await rest(server, "POST", `/api/orders/${sold.orderId}/refunds/`, {
        token: w.officer.token,
        body: { reason: "Cannot come", return_to_sale: true, idempotency_key: crypto.randomUUID() },
      });
      expect(refund.status, JSON.stringify(refund.body)).toBe(200);
      // No job ran: the refund itself offered the seat.
      expect((await statusOf(server, w, ann)).you?.state).toBe("OFFERED");
      expect((await heldFor(server, w, ann)).held).toHaveLength(1);
      expect((await statusOf(server, w, bo)).you?.state).toBe("WAITING");

      const buyerToken = await server.tokenFor(returned.buyer.username);
      const giveBack = await rest(server, "POST", `/api/tickets/${returned.ticketIds[0]}/return/`, { token: buyerToken });
      expect(giveBack.status, JSON.stringify(giveBack.body)).toBeLessThan(300);
      expect((await statusOf(server, w, bo)).you?.state).toBe("OFFERED");
      expect((await heldFor(server, w, bo)).held.map((t) => t.id)).toEqual(returned.ticketIds);

      const added = await trpc(server, "showing.addTickets", {
        token: w.officer.token,
        input: { showingId: w.showingId, tickets: [{ type: "General", count: 1 }] },
        mutation: true,
      });
      expect(added.status, JSON.stringify(added.error)).toBe(200);
      expect((await statusOf(server, w, cal)).you?.state).toBe("OFFERED");
    });

    it("officers list the line in order and release by hand; others get 404", async () => {
      const w = await waitlistWorld(server, { count: 2 });
      const students = [await person(server, "Ann One"), await person(server, "Bo Two"), await person(server, "Cy Three")];
      const tickets = await server.db.prisma.ticket.findMany({ where: { showingId: w.showingId } });
      // Sold out: one ticket sold, the other taken off sale (reserved, not buyable) by an officer for now. (A type with
      // no ticket for public sale at all is not for students, and has no waitlist.)
      await server.db.prisma.ticket.update({ where: { id: tickets[1]!.id }, data: { ownerId: w.officer.id } });
      await server.db.prisma.ticket.update({ where: { id: tickets[0]!.id }, data: { buyable: false } });
      for (const [i, s] of students.entries()) {
        server.clock.advance(1000);
        expect((await join(server, w, s, { count: i + 1 > 2 ? 2 : 1 })).status).toBe(200);
      }
      const list = await trpc(server, "waitlist.list", { token: w.officer.token, input: { showingId: w.showingId } });
      expect(list.status).toBe(200);
      const data = list.data as { waiting: number; offered: number; offerMinutes: number; entries: Array<{ place: number; fullName: string; state: string }> };
      expect(data).toMatchObject({ waiting: 3, offered: 0, offerMinutes: 30 });
      expect(data.entries.map((e) => [e.place, e.fullName, e.state])).toEqual([
        [1, "Ann One", "WAITING"],
        [2, "Bo Two", "WAITING"],
        [3, "Cy Three", "WAITING"],
      ]);
      expect((await trpc(server, "waitlist.list", { token: students[0]!.token, input: { showingId: w.showingId } })).status).toBe(404);
      expect(
        (await trpc(server, "waitlist.release", { token: students[0]!.token, input: { showingId: w.showingId }, mutation: true })).status,
      ).toBe(404);
      const tooShort = await trpc(server, "waitlist.configure", {
        token: w.officer.token,
        input: { showingId: w.showingId, offerMinutes: 4 },
        mutation: true,
      });
      expect(tooShort.status).toBe(400);

      // The officer puts one ticket back on sale and releases it to the line by hand.
      await server.db.prisma.ticket.update({ where: { id: tickets[0]!.id }, data: { buyable: true } });
      const released = await trpc(server, "waitlist.release", { token: w.officer.token, input: { showingId: w.showingId }, mutation: true });
      expect(released.data).toEqual({ offers: 1, tickets: 1, expired: 0 });
      const after = (await trpc(server, "waitlist.list", { token: w.officer.token, input: { showingId: w.showingId } })).data as typeof data;
      expect(after.entries.map((e) => [e.place, e.fullName, e.state])).toEqual([
        [null, "Ann One", "OFFERED"],
        [1, "Bo Two", "WAITING"],
        [2, "Cy Three", "WAITING"],
      ]);
    });

    it("notify me: one e-mail 30 minutes before the drop (before the lobby opens when there is one), sent once", async () => {
      const drop = new Date(server.clock.now().getTime() + 3 * 60 * MINUTE);
      const plain = await waitlistWorld(server, { count: 5, dropTime: drop });
      const lobbied = await waitlistWorld(server, { count: 5, dropTime: drop });
      await server.db.prisma.lobby.create({
        data: { showingId: lobbied.showingId, enabled: true, opensMinutesBefore: 15, seed: "00".repeat(32), seedCommitment: "ab".repeat(32) },
      });
      const ann = await person(server, "Ann Reminded");
      const plainReminder = await rest(server, "POST", `/api/showings/${plain.showingId}/reminder/`, { token: ann.token });
      expect(plainReminder.status).toBe(200);
      expect(plainReminder.body).toEqual({ remindAt: new Date(drop.getTime() - 30 * MINUTE).toISOString(), sentAt: null });
      const lobbyReminder = await trpc(server, "waitlist.remind", { token: ann.token, input: { showingId: lobbied.showingId }, mutation: true });
      expect(lobbyReminder.data).toEqual({ remindAt: new Date(drop.getTime() - 45 * MINUTE).toISOString(), sentAt: null });
      // Asking twice is one reminder.
      expect((await rest(server, "POST", `/api/showings/${plain.showingId}/reminder/`, { token: ann.token })).status).toBe(200);
      expect(await server.db.prisma.dropReminder.count({ where: { userId: ann.id } })).toBe(2);
      expect((await statusOf(server, plain, ann)).reminder).toMatchObject({ sentAt: null });

      const reminders = server.runtime.services.waitlists;
      const mailCount = async () => (await mailTo(server, ann)).filter((m) => m.dedupeKey?.startsWith("drop-reminder:")).length;
      server.clock.set(new Date(drop.getTime() - 46 * MINUTE));
      expect(await reminders.sendDueReminders()).toEqual({ sent: 0 });
      server.clock.set(new Date(drop.getTime() - 45 * MINUTE));
      expect(await reminders.sendDueReminders()).toEqual({ sent: 1 });
      const [lobbyMail] = (await mailTo(server, ann)).filter((m) => m.dedupeKey?.startsWith("drop-reminder:"));
      expect(lobbyMail?.text).toContain(`${server.url}/events/${lobbied.eventId}/showings/${lobbied.showingId}/lobby`);
      expect(lobbyMail?.text).toContain(`${server.url}/events/${lobbied.eventId}`);
      server.clock.set(new Date(drop.getTime() - 31 * MINUTE));
      expect(await reminders.sendDueReminders()).toEqual({ sent: 0 });
      server.clock.set(new Date(drop.getTime() - 30 * MINUTE));
      expect(await reminders.sendDueReminders()).toEqual({ sent: 1 });
      expect(await reminders.sendDueReminders()).toEqual({ sent: 0 });
      expect(await mailCount()).toBe(2);
      const plainMail = (await mailTo(server, ann)).filter((m) => m.dedupeKey?.startsWith("drop-reminder:"))[1];
      expect(plainMail?.text).toContain(`${server.url}/events/${plain.eventId}`);
      expect(plainMail?.text).not.toContain("/lobby");
      expect((await statusOf(server, plain, ann)).reminder?.sentAt).toBe(server.clock.now().toISOString());

      // After the drop there is nothing to remind of; cancelling a reminder removes it.
      server.clock.set(new Date(drop.getTime() + MINUTE));
      const late = await rest(server, "POST", `/api/showings/${plain.showingId}/reminder/`, { token: (await person(server)).token });
      expect(late.status).toBe(409);
      const forgot = await rest(server, "DELETE", `/api/showings/${plain.showingId}/reminder/`, { token: ann.token });
      expect(forgot.body).toEqual({ removed: true });
      expect((await statusOf(server, plain, ann)).reminder).toBeNull();
    });

    it("the status lists exactly the ticket types the join accepts: sold out for you, on sale for the public, not paused", async () => {
      const w = await waitlistWorld(server, { count: 2, orderLimit: 4 });
      const prisma = server.db.prisma;
      await createTickets(prisma, w.showingId, { type: "VIP", count: 2, price: "40.00" });
      await createTickets(prisma, w.showingId, { type: "Balcony", count: 1, price: "10.00" });
      await prisma.ticket.updateMany({ where: { showingId: w.showingId, type: "Balcony" }, data: { salesPaused: true } });
      await createTickets(prisma, w.showingId, { type: "Crew", count: 1, buyable: false });
      const sellOut = (type: string) => prisma.ticket.updateMany({ where: { showingId: w.showingId, type }, data: { ownerId: w.officer.id } });
      await sellOut("General");
      const ann = await person(server, "Ann Chooser");

      const accepted = async () => {
        const yes: Array<string | null> = [];
        for (const type of ["Balcony", "Crew", "General", "VIP", null]) {
          const answer = await join(server, w, ann, { count: 1, type });
          expect([200, 400, 403, 409], JSON.stringify(answer.body)).toContain(answer.status);
          if (answer.status === 200) yes.push(type);
        }
        return yes;
      };
      const first = await statusOf(server, w, ann);
      expect(first).toMatchObject({ waitableTypes: ["General"], anyTypeWaitable: false });
      const viaTrpc = await trpc(server, "waitlist.status", { token: ann.token, input: { showingId: w.showingId } });
      expect(viaTrpc.data).toMatchObject({ waitableTypes: ["General"], anyTypeWaitable: false });
      expect(await accepted()).toEqual(["General"]);

      // VIP sells out too: both types, and any type.
      await sellOut("VIP");
      expect(await statusOf(server, w, ann)).toMatchObject({ waitableTypes: ["General", "VIP"], anyTypeWaitable: true });
      expect(await accepted()).toEqual(["General", "VIP", null]);
      // Signed out, the same facts.
      expect(await statusOf(server, w)).toMatchObject({ waitableTypes: ["General", "VIP"], anyTypeWaitable: true });
    });

    it("drop reminders: none for a paused or a cancelled showing, exactly one for a showing with its drop ahead", async () => {
      const drop = new Date(server.clock.now().getTime() + 3 * 60 * MINUTE);
      const [plain, paused, cancelled] = [
        await waitlistWorld(server, { count: 2, dropTime: drop }),
        await waitlistWorld(server, { count: 2, dropTime: drop }),
        await waitlistWorld(server, { count: 2, dropTime: drop }),
      ];
      const bo = await person(server, "Bo Reminded");
      for (const w of [plain, paused, cancelled]) {
        expect((await rest(server, "POST", `/api/showings/${w.showingId}/reminder/`, { token: bo.token })).status).toBe(200);
      }
      const prisma = server.db.prisma;
      await prisma.showing.update({ where: { id: paused.showingId }, data: { salesPaused: true } });
      await prisma.showing.update({ where: { id: cancelled.showingId }, data: { cancelledAt: server.clock.now(), cancelReason: "Rain" } });
      // Nobody asks for a reminder of a paused or a cancelled showing either.
      const pausedAsk = await rest(server, "POST", `/api/showings/${paused.showingId}/reminder/`, { token: (await person(server)).token });
      expect(pausedAsk.status).toBe(403);
      expect((pausedAsk.body as { error: { code: string } }).error.code).toBe("SALES_PAUSED");
      const cancelledAsk = await rest(server, "POST", `/api/showings/${cancelled.showingId}/reminder/`, { token: (await person(server)).token });
      expect((cancelledAsk.body as { error: { code: string } }).error.code).toBe("SHOWING_CANCELLED");

      const reminders = server.runtime.services.waitlists;
      const remindersTo = async () => (await mailTo(server, bo)).filter((m) => m.dedupeKey?.startsWith("drop-reminder:"));
      server.clock.set(new Date(drop.getTime() - 30 * MINUTE));
      expect(await reminders.sendDueReminders()).toEqual({ sent: 1 });
      expect(await reminders.sendDueReminders()).toEqual({ sent: 0 });
      const mails = await remindersTo();
      expect(mails).toHaveLength(1);
      expect(mails[0]?.text).toContain(`/events/${plain.eventId}`);
      const sentOf = async (w: WaitlistWorld) =>
        (await prisma.dropReminder.findUniqueOrThrow({ where: { showingId_userId: { showingId: w.showingId, userId: bo.id } } })).sentAt;
      expect(await sentOf(paused)).toBeNull();
      expect(await sentOf(cancelled)).toBeNull();

      // Sales resume before the drop: the paused showing's reminder goes then, once; the cancelled one's never.
      await prisma.showing.update({ where: { id: paused.showingId }, data: { salesPaused: false } });
      server.clock.advance(MINUTE);
      expect(await reminders.sendDueReminders()).toEqual({ sent: 1 });
      expect(await reminders.sendDueReminders()).toEqual({ sent: 0 });
      expect(await remindersTo()).toHaveLength(2);
      expect(await sentOf(cancelled)).toBeNull();
    });
  });
}
