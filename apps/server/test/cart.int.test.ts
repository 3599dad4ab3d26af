import { verifySignedRequest } from "@admit/cybersource";
import { testBackends } from "@admit/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addPath, api, quickStudents, removePath, showingWith } from "./cart-helpers.ts";
import { startTestServer, trpc, type TestServer } from "./harness.ts";

for (const backend of testBackends()) {
  describe(`cart and checkout over REST (${backend.kind})`, () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer(backend, { CHECKOUT_HOLD_MINUTES: "7" });
    });
    afterAll(async () => server?.close());

    const standard = () =>
      showingWith(server, [
        { type: "normal", count: 20, price: "15.00" },
        { type: "premium", count: 10, price: "30.00" },
      ]);

    it("adds, views, removes and checks out a paid cart with the seed's paths and fields", async () => {
      const { event, showing } = await standard();
      const { username } = await server.createAccount({ fullName: "Grace Hopper" });
      const token = await server.tokenFor(username);

      const added = await api(server, "POST", addPath(event.id, showing.id), {
        token,
        body: { quantities: [{ type: "normal", count: 2 }, { type: "premium", count: 1 }] },
      });
      expect(added).toEqual({ status: 200, body: { success: true, detail: "Successfully added 3 to cart", count: 3 } });

      const cart = await api(server, "GET", "/api/tickets/cart/", { token });
      expect(cart.status).toBe(200);
      expect(cart.body.tickets).toHaveLength(3);
      expect(cart.body).toMatchObject({ sold_out: [], total: "60.00", hold_expires_at: null });
      expect(cart.body.tickets[0]).toMatchObject({
        type: expect.any(String),
        price: expect.stringMatching(/^\d+\.00$/),
        showing: { id: showing.id, event: event.id, start_time: showing.startTime.toISOString() },
        event: { id: event.id, name: event.name },
      });

      const removed = await api(server, "POST", removePath(event.id, showing.id), {
        token,
        body: { quantities: [{ type: "premium", count: 1 }] },
      });
      expect(removed).toEqual({ status: 200, body: { success: true, detail: "Successfully removed 1 from cart", count: 1 } });

      const checkout = await api(server, "POST", "/api/tickets/initiate_checkout/", { token, body: {} });
      expect(checkout.status).toBe(200);
      expect(checkout.body).toMatchObject({ success: true, sold_free_tickets: false, total: "30.00" });
      const profile = server.runtime.config.cybersource.profile;
      expect(checkout.body.cybersource_url).toBe(profile.url);
      const params = checkout.body.payment_params as Record<string, string>;
      expect(verifySignedRequest(params, profile)).toMatchObject({ ok: true });
      expect(params).toMatchObject({
        amount: "30.00",
        currency: "USD",
        locale: "en-us",
        transaction_type: "sale",
        override_custom_receipt_page: `${server.url}/api/tickets/payment_complete/`,
        bill_to_forename: "Grace",
        bill_to_surname: "Hopper",
        bill_to_email: `${username}@example.edu`,
      });
      // CHECKOUT_HOLD_MINUTES=7 for this server.
      const payment = await server.db.prisma.payment.findUniqueOrThrow({ where: { transactionUuid: params.transaction_uuid! } });
      expect(payment.holdExpiresAt!.getTime()).toBe(Date.parse(checkout.body.hold_expires_at as string));
      expect(payment.holdExpiresAt!.getTime() - payment.createdAt.getTime()).toBe(7 * 60_000);
      expect((await api(server, "GET", "/api/tickets/cart/", { token })).body.hold_expires_at).toBe(checkout.body.hold_expires_at);
    });

    it("lists checkout's priced lines in the cart's order, as the cart view does", async () => {
      const { event, showing } = await standard();
      const { username } = await server.createAccount();
      const token = await server.tokenFor(username);
      for (const [type, count] of [["premium", 1], ["normal", 2]] as const) {
        const added = await api(server, "POST", addPath(event.id, showing.id), { token, body: { quantities: [{ type, count }] } });
        expect(added.status).toBe(200);
        server.clock.advance(1_000);
      }
      const cart = await api(server, "GET", "/api/tickets/cart/", { token });
      const checkout = await api(server, "POST", "/api/tickets/initiate_checkout/", { token, body: {} });
      expect(checkout.status).toBe(200);
      expect(cart.body.lines.map((l) => l.type)).toEqual(["premium", "normal"]);
      expect(checkout.body.lines).toEqual(cart.body.lines);
    });

    it("sells a free cart over tRPC and REST alike", async () => {
      const { event, showing } = await showingWith(server, [{ type: "free", count: 10, price: 0 }]);
      const [viaRest, viaTrpc] = await quickStudents(server, 2);
      await api(server, "POST", addPath(event.id, showing.id), { token: viaRest!.token, body: { quantities: [{ type: "free", count: 2 }] } });
      expect(await api(server, "POST", "/api/tickets/initiate_checkout/", { token: viaRest!.token })).toMatchObject({
        status: 200,
        body: { success: true, sold_free_tickets: true, detail: "Free tickets sold." },
      });
      const add = await trpc(server, "cart.add", {
        token: viaTrpc!.token,
        mutation: true,
        input: { eventId: event.id, showingId: showing.id, quantities: [{ type: "free", count: 3 }] },
      });
      expect(add.status).toBe(200);
      const cart = await trpc(server, "cart.get", { token: viaTrpc!.token });
      expect((cart.data as { tickets: unknown[] }).tickets).toHaveLength(3);
      const start = await trpc(server, "checkout.start", { token: viaTrpc!.token, mutation: true });
      expect(start.data).toMatchObject({ sold_free_tickets: true });
      const owned = await server.db.prisma.ticket.groupBy({
        by: ["ownerId"],
        where: { showingId: showing.id, ownerId: { not: null } },
        _count: { _all: true },
      });
      expect(Object.fromEntries(owned.map((o) => [o.ownerId, o._count._all]))).toEqual({ [viaRest!.id]: 2, [viaTrpc!.id]: 3 });
      // One receipt per order, each carrying every ticket's QR code.
      const receipts = await server.db.prisma.outgoingEmail.findMany({
        where: { toAddress: { in: [viaRest!.email, viaTrpc!.email] } },
        select: { toAddress: true, attachments: true },
      });
      expect(receipts.map((r) => [r.toAddress, (r.attachments as unknown[]).length]).sort()).toEqual(
        [[viaRest!.email, 2], [viaTrpc!.email, 3]].sort(),
      );
    });

    it("answers the seed's errors with their statuses: 403 for ended, not yet on sale, limit, not enough; 400 empty; 403 stale", async () => {
      const [student, rival] = await quickStudents(server, 2);
      const token = student!.token;
      const later = await showingWith(server, [{ type: "normal", count: 5, price: 1 }], {
        dropTime: new Date(server.clock.now().getTime() + 3_600_000),
      });
      const notYet = await api(server, "POST", addPath(later.event.id, later.showing.id), { token, body: { quantities: [{ type: "normal", count: 1 }] } });
      expect(notYet.status).toBe(403);
      expect(notYet.body).toMatchObject({ error: { code: "NOT_ON_SALE" }, detail: expect.any(String) });

      const { event, showing } = await showingWith(server, [{ type: "normal", count: 3, price: 1 }], { orderLimit: 2 });
      const over = await api(server, "POST", addPath(event.id, showing.id), { token, body: { quantities: [{ type: "normal", count: 3 }] } });
      expect(over).toMatchObject({ status: 403, body: { error: { code: "ORDER_LIMIT_EXCEEDED" } } });

      const few = await showingWith(server, [{ type: "normal", count: 1, price: 1 }]);
      const short = await api(server, "POST", addPath(few.event.id, few.showing.id), { token, body: { quantities: [{ type: "normal", count: 2 }] } });
      expect(short).toMatchObject({ status: 403, body: { error: { code: "NOT_ENOUGH_TICKETS" }, detail: "Not enough tickets of type normal left!" } });

      expect(await api(server, "POST", "/api/tickets/initiate_checkout/", { token, body: {} })).toMatchObject({
        status: 400,
        body: { error: { code: "CART_EMPTY" } },
      });

      await api(server, "POST", addPath(few.event.id, few.showing.id), { token, body: { quantities: [{ type: "normal", count: 1 }] } });
      await api(server, "POST", addPath(few.event.id, few.showing.id), { token: rival!.token, body: { quantities: [{ type: "normal", count: 1 }] } });
      expect(await api(server, "POST", "/api/tickets/initiate_checkout/", { token: rival!.token })).toMatchObject({ status: 200 });
      const stale = await api(server, "POST", "/api/tickets/initiate_checkout/", { token });
      expect(stale).toMatchObject({ status: 403, body: { error: { code: "CART_STALE" } } });
      expect(stale.body.detail).toMatch(/refresh your cart/i);
      const refreshed = await api(server, "GET", "/api/tickets/cart/", { token });
      expect(refreshed.body).toMatchObject({
        tickets: [],
        sold_out: [{ type: "normal", showing: { id: few.showing.id }, event: { id: few.event.id, name: few.event.name }, count: 1 }],
      });

      server.clock.set(showing.endTime.getTime() + 1);
      try {
        const ended = await api(server, "POST", addPath(event.id, showing.id), { token, body: { quantities: [{ type: "normal", count: 1 }] } });
        expect(ended).toMatchObject({ status: 403, body: { error: { code: "SHOWING_ENDED" }, detail: "This showing has already ended." } });
      } finally {
        server.clock.set(Date.now());
      }
    });

    it("gives 401 JSON to every cart route without credentials", async () => {
      const { event, showing } = await standard();
      const body = { quantities: [{ type: "normal", count: 1 }] };
      for (const [method, path] of [
        ["GET", "/api/tickets/cart/"],
        ["POST", "/api/tickets/initiate_checkout/"],
        ["POST", addPath(event.id, showing.id)],
        ["POST", removePath(event.id, showing.id)],
      ] as const) {
        const res = await api(server, method, path, method === "POST" ? { body } : {});
        expect(res.status).toBe(401);
        expect(res.body).toMatchObject({ error: { code: "UNAUTHENTICATED" } });
      }
      expect(await server.db.prisma.cartTicket.count({ where: { ticket: { showingId: showing.id } } })).toBe(0);
    });

    it("looks bearer tokens up quickly but still refuses expired sessions and refreshes old ones", async () => {
      const [live, expired, old] = await quickStudents(server, 3);
      const prisma = server.db.prisma;
      await prisma.session.update({ where: { token: expired!.token }, data: { expiresAt: new Date(Date.now() - 1000) } });
      // A session signed in 29 days ago is due for better-auth's daily refresh.
      const dueAt = new Date(Date.now() + 86_400_000);
      await prisma.session.update({ where: { token: old!.token }, data: { expiresAt: dueAt } });

      expect((await api(server, "GET", "/api/tickets/cart/", { token: live!.token })).status).toBe(200);
      expect((await api(server, "GET", "/api/tickets/cart/", { token: "no-such-token" })).status).toBe(401);
      expect((await api(server, "GET", "/api/tickets/cart/", { token: expired!.token })).status).toBe(401);
      expect(await prisma.session.count({ where: { token: expired!.token } })).toBe(0);
      expect((await api(server, "GET", "/api/tickets/cart/", { token: old!.token })).status).toBe(200);
      const refreshed = await prisma.session.findUniqueOrThrow({ where: { token: old!.token } });
      expect(refreshed.expiresAt.getTime()).toBeGreaterThan(dueAt.getTime() + 20 * 86_400_000);
    });

    it("rejects bad input on every endpoint with a 4xx JSON error and changes nothing", async () => {
      const { event, showing } = await standard();
      const other = await standard();
      const [student] = await quickStudents(server, 1);
      const token = student!.token;
      await api(server, "POST", addPath(event.id, showing.id), { token, body: { quantities: [{ type: "normal", count: 1 }] } });
      const before = await server.db.prisma.cartTicket.findMany({ where: { cart: { userId: student!.id } }, orderBy: { ticketId: "asc" } });
      expect(before).toHaveLength(1);

      const badBodies: Array<{ body?: unknown; rawBody?: string; contentType?: string }> = [
        { body: { quantities: [{ type: "normal", count: -1 }] } },
        { body: { quantities: [{ type: "normal", count: 0 }] } },
        { body: { quantities: [{ type: "normal", count: 1.5 }] } },
        { body: { quantities: [{ type: "normal", count: "2" }] } },
        { body: { quantities: [{ type: "normal" }] } },
        { body: { quantities: [{ count: 1 }] } },
        { body: { quantities: [] } },
        { body: { quantities: "normal" } },
        { body: {} },
        { body: [1, 2] },
        { rawBody: "{not json" },
        { rawBody: "quantities=1", contentType: "text/plain" },
        // PostgreSQL text cannot hold NUL: refused before any query, in any field.
        { body: { quantities: [{ type: "normal\u0000x", count: 1 }] } },
        // Nesting far deeper than any schema: refused without walking it on the call stack.
        { rawBody: `{"quantities":${"[".repeat(5000)}${"]".repeat(5000)}}` },
      ];
      for (const path of [addPath(event.id, showing.id), removePath(event.id, showing.id)]) {
        for (const bad of badBodies) {
          const res = await api(server, "POST", path, { token, ...bad });
          expect(res.status, `${path} ${JSON.stringify(bad)}`).toBeGreaterThanOrEqual(400);
          expect(res.status, `${path} ${JSON.stringify(bad)}`).toBeLessThan(500);
          expect(res.body, `${path} ${JSON.stringify(bad)}`).toHaveProperty("error.message");
        }
        const one = { quantities: [{ type: "normal", count: 1 }] };
        const unknownType = await api(server, "POST", path, {
          token,
          body: { quantities: [{ type: "balcony", count: 1 }] },
        });
        expect(unknownType.status).toBe(404);
        for (const wrong of [
          path.replace(`/showings/${showing.id}/`, "/showings/987654321/"),
          path.replace(`/events/${event.id}/`, `/events/${other.event.id}/`),
          path.replace(`/showings/${showing.id}/`, "/showings/abc/"),
          path.replace(`/events/${event.id}/`, "/events/-4/"),
          // Larger than any PostgreSQL integer id.
          path.replace(`/showings/${showing.id}/`, "/showings/99999999999/"),
          path.replace(`/events/${event.id}/`, "/events/99999999999/"),
        ]) {
          const res = await api(server, "POST", wrong, { token, body: one });
          expect(res.status, wrong).toBeGreaterThanOrEqual(400);
          expect(res.status, wrong).toBeLessThan(500);
        }
      }
      for (const input of [
        { showingId: 99_999_999_999, quantities: [{ type: "normal", count: 1 }] },
        { showingId: showing.id, quantities: [{ type: "nor\u0000mal", count: 1 }] },
      ]) {
        for (const procedure of ["cart.add", "cart.remove"]) {
          const res = await trpc(server, procedure, { token, mutation: true, input });
          expect(res.status, `${procedure} ${JSON.stringify(input)}`).toBe(400);
        }
      }
      const deep = await fetch(`${server.url}/trpc/cart.add`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: `{"showingId":${showing.id},"quantities":${"[".repeat(5000)}${"]".repeat(5000)}}`,
      });
      expect(deep.status).toBe(400);
      for (const bad of [{ rawBody: "{oops" }, { body: [1] }, { body: "text" }]) {
        const res = await api(server, "POST", "/api/tickets/initiate_checkout/", { token, ...bad });
        expect(res.status, JSON.stringify(bad)).toBe(400);
      }
      const after = await server.db.prisma.cartTicket.findMany({ where: { cart: { userId: student!.id } }, orderBy: { ticketId: "asc" } });
      expect(after.map((r) => r.ticketId)).toEqual(before.map((r) => r.ticketId));
      expect(await server.db.prisma.ticket.count({ where: { OR: [{ holderId: student!.id }, { ownerId: student!.id }] } })).toBe(0);
      expect(await server.db.prisma.payment.count({ where: { userId: student!.id } })).toBe(0);
    });

    it("lists the cart routes in the API document", async () => {
      const res = await fetch(`${server.url}/api/openapi.json`);
      expect(res.status).toBe(200);
      const doc = (await res.json()) as { paths: Record<string, Record<string, unknown>> };
      const paths = Object.keys(doc.paths);
      expect(paths).toContain("/api/tickets/cart/");
      expect(paths).toContain("/api/tickets/initiate_checkout/");
      expect(paths.some((p) => p.endsWith("/add_to_cart/"))).toBe(true);
      expect(paths.some((p) => p.endsWith("/remove_from_cart/"))).toBe(true);
    });
  });
}
