import { testBackends } from "@admit/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addPath, api, quickStudents, showingWith } from "./cart-helpers.ts";
import { startTestServer, trpc, type TestServer } from "./harness.ts";

const HOUR = 3_600_000;

interface EventAnswer {
  showings: Array<{
    id: number;
    saleStatus: string;
    types: Array<{ type: string; saleStatus: string; available: number; salesEndAt: string | null; returnHoursBefore: number | null }>;
  }>;
}

for (const backend of testBackends()) {
  describe(`selling controls: pause, resume, sales end (${backend.kind})`, () => {
    let server: TestServer;
    let officer: { id: string; username: string };
    let officerToken: string;
    beforeAll(async () => {
      server = await startTestServer(backend);
      officer = await server.createAccount();
      officerToken = await server.tokenFor(officer.username);
    });
    afterAll(async () => server?.close());

    /** A showing of a club the officer runs, with a paid and a free type. */
    async function officerShowing() {
      const made = await showingWith(server, [
        { type: "normal", count: 10, price: "12.00" },
        { type: "free", count: 10, price: 0 },
      ]);
      await server.db.prisma.membership.create({ data: { clubId: made.club.id, userId: officer.id, role: "OFFICER" } });
      return made;
    }

    const setShowing = (showingId: number, salesPaused: boolean) =>
      trpc(server, "showing.update", { token: officerToken, mutation: true, input: { showingId, salesPaused } });
    const setType = (input: Record<string, unknown>) =>
      trpc(server, "showing.updateType", { token: officerToken, mutation: true, input });
    const eventOf = async (eventId: number, token?: string) =>
      (await trpc(server, "event.get", { input: { eventId }, ...(token ? { token } : {}) })).data as EventAnswer;
    const addRest = (token: string, made: { event: { id: number }; showing: { id: number } }, type = "normal", count = 1) =>
      api(server, "POST", addPath(made.event.id, made.showing.id), { token, body: { quantities: [{ type, count }] } });
    const addTrpc = (token: string, made: { event: { id: number }; showing: { id: number } }, type = "normal", count = 1) =>
      trpc(server, "cart.add", {
        token,
        mutation: true,
        input: { eventId: made.event.id, showingId: made.showing.id, quantities: [{ type, count }] },
      });

    it("a paused showing refuses cart adds and checkouts over REST and tRPC, says so, and sells again once resumed", async () => {
      const made = await officerShowing();
      const [early, late] = await quickStudents(server, 2);
      expect((await addRest(early!.token, made, "normal", 1)).status).toBe(200);
      expect((await addTrpc(late!.token, made, "free", 1)).status).toBe(200);

      const paused = await setShowing(made.showing.id, true);
      expect(paused.status).toBe(200);
      expect(paused.data).toMatchObject({ id: made.showing.id, salesPaused: true, cancelledAt: null });
      expect((await eventOf(made.event.id)).showings[0]!.saleStatus).toBe("PAUSED");

      const restAdd = await addRest(late!.token, made);
      expect(restAdd).toMatchObject({ status: 403, body: { error: { code: "SALES_PAUSED" } } });
      expect(restAdd.body.detail).toMatch(/paused/i);
      const trpcAdd = await addTrpc(early!.token, made, "free");
      expect(trpcAdd.status).toBe(403);
      expect(trpcAdd.error).toMatchObject({ data: { appCode: "SALES_PAUSED" }, message: expect.stringMatching(/paused/i) });

      // The cart keeps paused tickets (not "sold out"); checkout says why it cannot go ahead.
      const cart = await api(server, "GET", "/api/tickets/cart/", { token: early!.token });
      expect(cart.body).toMatchObject({ sold_out: [], total: "12.00" });
      expect(cart.body.tickets).toHaveLength(1);
      const restCheckout = await api(server, "POST", "/api/tickets/initiate_checkout/", { token: early!.token, body: {} });
      expect(restCheckout).toMatchObject({ status: 403, body: { error: { code: "SALES_PAUSED" } } });
      const trpcCheckout = await trpc(server, "checkout.start", { token: late!.token, mutation: true });
      expect(trpcCheckout.error).toMatchObject({ data: { appCode: "SALES_PAUSED" } });
      expect(await server.db.prisma.ticket.count({ where: { showingId: made.showing.id, OR: [{ ownerId: { not: null } }, { holderId: { not: null } }] } })).toBe(0);

      expect((await setShowing(made.showing.id, false)).data).toMatchObject({ salesPaused: false });
      expect((await eventOf(made.event.id)).showings[0]!.saleStatus).toBe("ON_SALE");
      expect((await addRest(late!.token, made, "free", 1)).status).toBe(200);
      expect(await trpc(server, "checkout.start", { token: late!.token, mutation: true })).toMatchObject({
        status: 200,
        data: { sold_free_tickets: true },
      });
      expect((await api(server, "POST", "/api/tickets/initiate_checkout/", { token: early!.token, body: {} })).status).toBe(200);
    });

    it("a paused type refuses its own adds and checkouts by name while other types sell; the event answer says it is paused", async () => {
      const made = await officerShowing();
      const [student] = await quickStudents(server, 1);
      expect((await addRest(student!.token, made, "normal", 2)).status).toBe(200);

      const paused = await setType({ showingId: made.showing.id, type: "normal", salesPaused: true });
      expect(paused.data).toMatchObject({ type: "normal", salesPaused: true, saleStatus: "PAUSED" });
      expect(await server.db.prisma.ticket.count({ where: { showingId: made.showing.id, type: "normal", salesPaused: false } })).toBe(0);

      const refused = await addRest(student!.token, made, "normal", 1);
      expect(refused).toMatchObject({ status: 403, body: { error: { code: "SALES_PAUSED" } } });
      expect(refused.body.detail).toMatch(/"normal" tickets are paused/);
      const checkout = await api(server, "POST", "/api/tickets/initiate_checkout/", { token: student!.token, body: {} });
      expect(checkout).toMatchObject({ status: 403, body: { error: { code: "SALES_PAUSED" } } });
      const types = (await eventOf(made.event.id)).showings[0]!.types;
      expect(types.find((t) => t.type === "normal")).toMatchObject({ saleStatus: "PAUSED", available: 0 });
      expect(types.find((t) => t.type === "free")).toMatchObject({ saleStatus: "ON_SALE", available: 10 });
      expect((await addTrpc(student!.token, made, "free", 1)).status).toBe(200);

      await setType({ showingId: made.showing.id, type: "normal", salesPaused: false });
      expect((await addRest(student!.token, made, "normal", 1)).status).toBe(200);
      expect((await api(server, "POST", "/api/tickets/initiate_checkout/", { token: student!.token, body: {} })).status).toBe(200);
    });

    it("a type stops selling at its sales end to the millisecond, and says its sales ended", async () => {
      const made = await officerShowing();
      const [student] = await quickStudents(server, 1);
      const endsAt = new Date(server.clock.now().getTime() + HOUR);
      const set = await setType({ showingId: made.showing.id, type: "normal", salesEndAt: endsAt.toISOString(), returnHoursBefore: 24 });
      expect(set.data).toMatchObject({ salesEndAt: endsAt.toISOString(), returnHoursBefore: 24, saleStatus: "ON_SALE" });
      try {
        server.clock.set(endsAt.getTime() - 1);
        expect((await addRest(student!.token, made, "normal", 1)).status).toBe(200);
        server.clock.set(endsAt);
        const ended = await addRest(student!.token, made, "normal", 1);
        expect(ended).toMatchObject({ status: 403, body: { error: { code: "SALES_ENDED" }, detail: 'Sales of "normal" tickets have ended.' } });
        const checkout = await api(server, "POST", "/api/tickets/initiate_checkout/", { token: student!.token, body: {} });
        expect(checkout).toMatchObject({ status: 403, body: { error: { code: "SALES_ENDED" } } });
        const normal = (await eventOf(made.event.id)).showings[0]!.types.find((t) => t.type === "normal");
        expect(normal).toMatchObject({ saleStatus: "SALES_ENDED", salesEndAt: endsAt.toISOString(), returnHoursBefore: 24 });
        expect((await addRest(student!.token, made, "free", 1)).status).toBe(200);
      } finally {
        server.clock.set(Date.now());
      }
    });

    it("complimentary tickets can still be given while sales are paused", async () => {
      const made = await officerShowing();
      const guest = await server.createAccount();
      await setShowing(made.showing.id, true);
      await setType({ showingId: made.showing.id, type: "normal", salesPaused: true });
      const issued = await trpc(server, "showing.issueTickets", {
        token: officerToken,
        mutation: true,
        input: { showingId: made.showing.id, tickets: [{ username: guest.username, type: "normal", count: 2 }] },
      });
      expect(issued.status).toBe(200);
      expect(await server.db.prisma.ticket.count({ where: { showingId: made.showing.id, ownerId: guest.id, complimentary: true } })).toBe(2);
    });

    it("a cancelled showing and void tickets are never sold; comps of a cancelled showing are refused", async () => {
      const made = await officerShowing();
      const [student] = await quickStudents(server, 1);
      const guest = await server.createAccount();
      const prisma = server.db.prisma;
      const normal = await prisma.ticket.findMany({ where: { showingId: made.showing.id, type: "normal" }, orderBy: { id: "asc" } });
      await prisma.ticket.updateMany({ where: { id: { in: normal.slice(0, 9).map((t) => t.id) } }, data: { voidedAt: server.clock.now() } });
      expect((await eventOf(made.event.id)).showings[0]!.types.find((t) => t.type === "normal")!.available).toBe(1);
      expect(await addRest(student!.token, made, "normal", 2)).toMatchObject({ status: 403, body: { error: { code: "NOT_ENOUGH_TICKETS" } } });

      await prisma.showing.update({ where: { id: made.showing.id }, data: { cancelledAt: server.clock.now(), cancelReason: "Flooded hall" } });
      const answer = (await trpc(server, "event.get", { input: { eventId: made.event.id } })).data as EventAnswer & {
        showings: Array<{ cancelReason: string | null }>;
      };
      expect(answer.showings[0]).toMatchObject({ saleStatus: "CANCELLED", cancelReason: "Flooded hall" });
      expect(await addRest(student!.token, made, "free", 1)).toMatchObject({ status: 409, body: { error: { code: "SHOWING_CANCELLED" } } });
      const comps = await trpc(server, "showing.issueTickets", {
        token: officerToken,
        mutation: true,
        input: { showingId: made.showing.id, tickets: [{ username: guest.username, type: "free", count: 1 }] },
      });
      expect(comps.status).toBeGreaterThanOrEqual(400);
      expect(comps.status).toBeLessThan(500);
      expect(await prisma.ticket.count({ where: { showingId: made.showing.id, ownerId: { not: null } } })).toBe(0);
      expect((await setShowing(made.showing.id, false)).error).toMatchObject({ data: { appCode: "SHOWING_CANCELLED" } });
      expect((await setType({ showingId: made.showing.id, type: "free", salesPaused: true })).error).toMatchObject({
        data: { appCode: "SHOWING_CANCELLED" },
      });
    });

    it("only the club's officers change the controls; bad settings are a 400 and unknown types a 404, changing nothing", async () => {
      const made = await officerShowing();
      const stranger = await server.createAccount();
      const strangerToken = await server.tokenFor(stranger.username);
      const other = await trpc(server, "showing.update", { token: strangerToken, mutation: true, input: { showingId: made.showing.id, salesPaused: true } });
      expect(other.error).toMatchObject({ data: { appCode: "NOT_FOUND" } });
      const otherType = await trpc(server, "showing.updateType", {
        token: strangerToken,
        mutation: true,
        input: { showingId: made.showing.id, type: "normal", salesPaused: true },
      });
      expect(otherType.error).toMatchObject({ data: { appCode: "NOT_FOUND" } });
      for (const input of [
        { showingId: made.showing.id, type: "normal", returnHoursBefore: -1 },
        { showingId: made.showing.id, type: "normal", returnHoursBefore: 1.5 },
        { showingId: made.showing.id, type: "normal", salesEndAt: "tomorrow" },
        { showingId: made.showing.id, type: "normal" },
        { showingId: made.showing.id, type: "normal", salesPaused: "yes" },
      ]) {
        const res = await setType(input);
        expect(res.status, JSON.stringify(input)).toBe(400);
      }
      expect((await setType({ showingId: made.showing.id, type: "nope", salesPaused: true })).error).toMatchObject({
        data: { appCode: "NOT_FOUND" },
      });
      const untouched = await server.db.prisma.ticket.findMany({ where: { showingId: made.showing.id } });
      expect(untouched.every((t) => !t.salesPaused && t.salesEndAt === null && t.returnHoursBefore === null)).toBe(true);
      expect((await server.db.prisma.showing.findUniqueOrThrow({ where: { id: made.showing.id } })).salesPaused).toBe(false);
    });
  });
}
