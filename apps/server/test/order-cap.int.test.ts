import { testBackends } from "@admit/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addPath, api, quickStudents, removePath, showingWith } from "./cart-helpers.ts";
import { startTestServer, trpc, type TestServer } from "./harness.ts";

const MINUTE = 60_000;

type Student = Awaited<ReturnType<typeof quickStudents>>[number];
type Made = Awaited<ReturnType<typeof showingWith>>;

/**
 * The per-student cap of a showing counts every order (tickets bought and still owned) and the cart, at the add and
 * again at checkout, with or without a lobby in front of the sale.
 */
for (const backend of testBackends()) {
  describe(`the order limit across orders (${backend.kind})`, () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer(backend);
    });
    afterAll(async () => server?.close());

    const addRest = (made: Made, student: Student, count: number) =>
      api(server, "POST", addPath(made.event.id, made.showing.id), { token: student.token, body: { quantities: [{ type: "general", count }] } });
    const addTrpc = (made: Made, student: Student, count: number) =>
      trpc(server, "cart.add", {
        token: student.token,
        mutation: true,
        input: { eventId: made.event.id, showingId: made.showing.id, quantities: [{ type: "general", count }] },
      });
    const checkoutRest = (student: Student) => api(server, "POST", "/api/tickets/initiate_checkout/", { token: student.token, body: {} });
    const checkoutTrpc = (student: Student) => trpc(server, "checkout.start", { token: student.token, mutation: true });
    const owned = (made: Made, student: Student) =>
      server.db.prisma.ticket.count({ where: { showingId: made.showing.id, ownerId: student.id } });

    async function buy(made: Made, student: Student, count: number) {
      expect((await addRest(made, student, count)).status).toBe(200);
      expect((await checkoutRest(student)).body.sold_free_tickets).toBe(true);
    }

    /** A friend gives `to` one of their tickets of the showing, through the transfer route. */
    async function transferOne(made: Made, from: Student, to: Student) {
      const ticket = await server.db.prisma.ticket.findFirstOrThrow({ where: { showingId: made.showing.id, ownerId: from.id } });
      const moved = await api(server, "POST", `/api/tickets/${ticket.id}/transfer/`, { token: from.token, body: { username: to.username } });
      expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    }

    it("a student who bought 2 of a limit of 2 in one order cannot add more in a second order, over REST or tRPC", async () => {
      const made = await showingWith(server, [{ type: "general", count: 10, price: 0 }], { orderLimit: 2 });
      const [student] = await quickStudents(server, 1);
      await buy(made, student!, 2);

      const rest = await addRest(made, student!, 1);
      expect(rest).toMatchObject({ status: 403, body: { error: { code: "ORDER_LIMIT_EXCEEDED" } } });
      expect(rest.body.detail).toBe("Order exceeds the maximum ticket limit of 2 (you have 2 already yours).");
      expect((await addTrpc(made, student!, 1)).error).toMatchObject({ data: { appCode: "ORDER_LIMIT_EXCEEDED" } });
      expect(await owned(made, student!)).toBe(2);
    });

    it("a second order's checkout counts what the first order bought and what came in since, over REST or tRPC", async () => {
      const made = await showingWith(server, [{ type: "general", count: 10, price: 0 }], { orderLimit: 2 });
      const [student, friend] = await quickStudents(server, 2);
      await buy(made, student!, 1);
      expect((await addRest(made, student!, 1)).status).toBe(200);
      // A friend's ticket makes two owned, with one more in the cart.
      await buy(made, friend!, 1);
      await transferOne(made, friend!, student!);

      const rest = await checkoutRest(student!);
      expect(rest).toMatchObject({ status: 403, body: { error: { code: "ORDER_LIMIT_EXCEEDED" } } });
      expect(rest.body.detail).toBe("Order exceeds the maximum ticket limit of 2 (you have 2 already yours). Remove some from your cart.");
      expect((await checkoutTrpc(student!)).error).toMatchObject({ data: { appCode: "ORDER_LIMIT_EXCEEDED" } });
      expect(await owned(made, student!)).toBe(2);
      expect(await server.db.prisma.ticket.count({ where: { showingId: made.showing.id, holderId: student!.id } })).toBe(0);
    });

    it("through the lobby: an admitted student still gets no more than the limit, at the add and at checkout", async () => {
      const drop = new Date(server.clock.now().getTime() + 30 * MINUTE);
      const made = await showingWith(server, [{ type: "general", count: 6, price: 0 }], { dropTime: drop, orderLimit: 2 });
      const [officer, first, second] = await quickStudents(server, 3);
      await server.db.prisma.membership.create({ data: { clubId: made.club.id, userId: officer!.id, role: "OFFICER" } });
      const configured = await trpc(server, "lobby.configure", {
        token: officer!.token,
        mutation: true,
        input: { showingId: made.showing.id, enabled: true, opensMinutesBefore: 15, admitMinutes: 10 },
      });
      expect(configured.status).toBe(200);
      server.clock.advance(20 * MINUTE);
      for (const student of [first!, second!]) {
        expect((await trpc(server, "lobby.join", { token: student.token, mutation: true, input: { showingId: made.showing.id } })).status).toBe(200);
      }
      server.clock.set(drop);
      expect(await server.runtime.services.lobbies.advance(made.showing.id)).toMatchObject({ admitted: 2 });

      // The turn lets them in; the limit still counts the cart.
      expect((await addRest(made, first!, 2)).status).toBe(200);
      expect(await addRest(made, first!, 1)).toMatchObject({ status: 403, body: { error: { code: "ORDER_LIMIT_EXCEEDED" } } });
      expect((await addTrpc(made, first!, 1)).error).toMatchObject({ data: { appCode: "ORDER_LIMIT_EXCEEDED" } });
      expect((await checkoutTrpc(first!)).data).toMatchObject({ sold_free_tickets: true });

      // A ticket given to the second student during their turn counts against their checkout.
      expect((await addRest(made, second!, 2)).status).toBe(200);
      await transferOne(made, first!, second!);
      expect(await checkoutRest(second!)).toMatchObject({ status: 403, body: { error: { code: "ORDER_LIMIT_EXCEEDED" } } });
      expect((await checkoutTrpc(second!)).error).toMatchObject({ data: { appCode: "ORDER_LIMIT_EXCEEDED" } });
      expect(await owned(made, second!)).toBe(1);
      const removed = await api(server, "POST", removePath(made.event.id, made.showing.id), {
        token: second!.token,
        body: { quantities: [{ type: "general", count: 1 }] },
      });
      expect(removed.status).toBe(200);
      expect((await checkoutRest(second!)).body.sold_free_tickets).toBe(true);
      expect(await owned(made, second!)).toBe(2);
    });
  });
}
