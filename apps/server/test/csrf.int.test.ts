import { testBackends } from "@admit/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, TEST_PASSWORD, type TestServer } from "./harness.ts";
import { ACCEPT, paidShowing, paymentState, replyFor, startPaidCheckout } from "./payment-fixtures.ts";
import { ticketWorld, type TicketWorld } from "./tickets-fixture.ts";

const ATTACKER_PAGE = "http://127.0.0.1:9"; // same host, another port: same site, another origin

interface Answer {
  status: number;
  body: { error?: { code: string; message: string }; detail?: string } & Record<string, unknown>;
}

async function send(server: TestServer, method: string, path: string, headers: Record<string, string>, body?: BodyInit): Promise<Answer> {
  const res = await fetch(`${server.url}${path}`, { method, headers, redirect: "manual", ...(body === undefined ? {} : { body }) });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Answer["body"]) : {} };
}

/** The browser session cookie, from a real sign-in. */
async function signIn(server: TestServer, username: string): Promise<string> {
  const res = await fetch(`${server.url}/api/auth/sign-in/username`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: server.url },
    body: JSON.stringify({ username, password: TEST_PASSWORD }),
  });
  expect(res.status).toBe(200);
  return res.headers.getSetCookie().find((c) => c.startsWith("admit.session_token="))!.split(";")[0]!;
}

function expectRefused(answer: Answer, status: number, code: string) {
  expect(answer.status, JSON.stringify(answer.body)).toBe(status);
  expect(answer.body.error?.code).toBe(code);
  expect(answer.body.detail).toBe(answer.body.error?.message);
}

for (const backend of testBackends()) {
  describe(`cross-site requests with the session cookie (${backend.kind})`, () => {
    let server: TestServer;
    let world: TicketWorld;
    let cookie: string;
    const json = { "content-type": "application/json" };

    beforeAll(async () => {
      server = await startTestServer(backend);
      world = await ticketWorld(server);
      cookie = await signIn(server, world.owner.username);
    });
    afterAll(async () => server?.close());

    const owner = (id: string) => world.prisma.ticket.findUniqueOrThrow({ where: { id }, select: { ownerId: true } });
    const transfer = (id: string, headers: Record<string, string>, body: BodyInit = JSON.stringify({ username: world.student.username })) =>
      send(server, "POST", `/api/tickets/${id}/transfer/`, headers, body);

    it("refuses a cookie POST from another origin (403, names the rule) and changes nothing", async () => {
      const id = await world.ticket();
      const answer = await transfer(id, { ...json, cookie, origin: ATTACKER_PAGE, "sec-fetch-site": "same-site" });
      expectRefused(answer, 403, "CROSS_ORIGIN_REFUSED");
      expect(answer.body.error!.message).toContain(server.url);
      expect(await owner(id)).toEqual({ ownerId: world.owner.id });
      expect(await world.prisma.transferRecord.count({ where: { ticketId: id } })).toBe(0);
    });

    it("refuses a cookie POST without Origin unless Sec-Fetch-Site says it is our own page", async () => {
      const id = await world.ticket();
      expectRefused(await transfer(id, { ...json, cookie, "sec-fetch-site": "cross-site" }), 403, "CROSS_ORIGIN_REFUSED");
      expectRefused(await transfer(id, { ...json, cookie, "sec-fetch-site": "same-site" }), 403, "CROSS_ORIGIN_REFUSED");
      expectRefused(await transfer(id, { ...json, cookie }), 403, "CROSS_ORIGIN_REFUSED");
      expectRefused(await transfer(id, { ...json, cookie, origin: "null" }), 403, "CROSS_ORIGIN_REFUSED");
      expect(await owner(id)).toEqual({ ownerId: world.owner.id });

      const attend = await send(server, "PATCH", `/api/tickets/${id}/`, { ...json, cookie }, JSON.stringify({ attended: true }));
      expectRefused(attend, 403, "CROSS_ORIGIN_REFUSED");
      const mutation = await send(server, "POST", "/trpc/account.revokeToken", { ...json, cookie, origin: ATTACKER_PAGE }, '{"id":"x"}');
      expect(mutation.status).toBe(403);
      expect(mutation.body.error?.code).toBe("CROSS_ORIGIN_REFUSED");
      const signOut = await send(server, "POST", "/api/auth/sign-out", { ...json, cookie, origin: ATTACKER_PAGE }, "{}");
      expectRefused(signOut, 403, "CROSS_ORIGIN_REFUSED");
      expectRefused(await send(server, "POST", "/api/nowhere/", { ...json, cookie, origin: ATTACKER_PAGE }, "{}"), 403, "CROSS_ORIGIN_REFUSED");
      expect((await send(server, "POST", "/api/nowhere/", { ...json, cookie, origin: server.url }, "{}")).status).toBe(404);

      expect(await transfer(id, { ...json, cookie, "sec-fetch-site": "same-origin" })).toMatchObject({ status: 200 });
      expect(await owner(id)).toEqual({ ownerId: world.student.id });
    });

    it("serves the same origin, reads with the cookie from anywhere, and lets sign-out through", async () => {
      const id = await world.ticket();
      expect(await transfer(id, { ...json, cookie, origin: server.url })).toMatchObject({ status: 200 });
      expect(await owner(id)).toEqual({ ownerId: world.student.id });
      const list = await send(server, "GET", "/api/tickets/", { cookie, origin: ATTACKER_PAGE });
      expect(list.status).toBe(200);

      const other = await signIn(server, world.student.username);
      expect((await send(server, "POST", "/api/auth/sign-out", { ...json, cookie: other, origin: server.url }, "{}")).status).toBe(200);
      expect((await send(server, "GET", "/api/tickets/", { cookie: other })).status).toBe(401);
    });

    it("does not touch bearer requests, and never lets one fall back to the cookie", async () => {
      const id = await world.ticket();
      const bearer = { ...json, authorization: `Bearer ${world.owner.token}` };
      expect(await transfer(id, bearer)).toMatchObject({ status: 200 });
      expect(await owner(id)).toEqual({ ownerId: world.student.id });

      // A token that does not verify, next to a live session cookie, from another origin: the cookie is not used.
      const back = await world.ticket({ ownerId: world.owner.id });
      const forged = await transfer(back, { ...json, authorization: "Bearer not.valid", cookie, origin: ATTACKER_PAGE });
      expectRefused(forged, 401, "UNAUTHENTICATED");
      expect(await owner(back)).toEqual({ ownerId: world.owner.id });
    });

    it("refuses form, multipart and text bodies on JSON routes with 415, before anything happens", async () => {
      const id = await world.ticket();
      const bearer = { authorization: `Bearer ${world.owner.token}` };
      const form = new URLSearchParams({ username: world.student.username });
      const answer = await transfer(id, { ...bearer, "content-type": "application/x-www-form-urlencoded" }, form.toString());
      expectRefused(answer, 415, "UNSUPPORTED_MEDIA_TYPE");
      const multipart = new FormData();
      multipart.set("username", world.student.username);
      expectRefused(await transfer(id, bearer, multipart), 415, "UNSUPPORTED_MEDIA_TYPE");
      expectRefused(await transfer(id, { ...bearer, "content-type": "text/plain" }, form.toString()), 415, "UNSUPPORTED_MEDIA_TYPE");
      // Same origin with the cookie: the origin is right, the body type still is not.
      const sameOrigin = { cookie, origin: server.url, "content-type": "application/x-www-form-urlencoded" };
      expectRefused(await transfer(id, sameOrigin, form.toString()), 415, "UNSUPPORTED_MEDIA_TYPE");
      const signIn = await send(server, "POST", "/api/auth/sign-in/username", { "content-type": "application/x-www-form-urlencoded", origin: server.url }, new URLSearchParams({ username: world.owner.username, password: TEST_PASSWORD }).toString());
      expectRefused(signIn, 415, "UNSUPPORTED_MEDIA_TYPE");
      expect(await owner(id)).toEqual({ ownerId: world.owner.id });
    });

    it("takes only JSON on tRPC: multipart, forms, text and octet-stream are 415 and check nothing out", async () => {
      const showcase = await paidShowing(server, { count: 4 });
      const student = await server.createAccount();
      const studentCookie = await signIn(server, student.username);
      const own = { cookie: studentCookie, origin: server.url };
      const add = await send(
        server,
        "POST",
        `/api/events/${showcase.eventId}/showings/${showcase.showingId}/add_to_cart/`,
        { ...own, ...json },
        JSON.stringify({ quantities: [{ type: showcase.type, count: 2 }] }),
      );
      expect(add.status, JSON.stringify(add.body)).toBe(200);
      const cartBefore = await send(server, "GET", "/api/tickets/cart/", own);

      const multipart = new FormData();
      multipart.set("x", "1");
      expectRefused(await send(server, "POST", "/trpc/checkout.start", own, multipart), 415, "UNSUPPORTED_MEDIA_TYPE");
      for (const type of ["application/x-www-form-urlencoded", "text/plain", "application/octet-stream"]) {
        const answer = await send(server, "POST", "/trpc/checkout.start", { ...own, "content-type": type }, "{}");
        expectRefused(answer, 415, "UNSUPPORTED_MEDIA_TYPE");
      }
      expectRefused(await send(server, "POST", "/trpc/checkout.start", own), 415, "UNSUPPORTED_MEDIA_TYPE");
      const bearer = { authorization: `Bearer ${await server.tokenFor(student.username)}` };
      expectRefused(await send(server, "POST", "/trpc/checkout.start", bearer, multipart), 415, "UNSUPPORTED_MEDIA_TYPE");

      expect(await server.db.prisma.payment.count({ where: { userId: student.id } })).toBe(0);
      expect(await send(server, "GET", "/api/tickets/cart/", own)).toEqual(cartBefore);

      const started = await send(server, "POST", "/trpc/checkout.start", { ...own, ...json }, "{}");
      expect(started.status, JSON.stringify(started.body)).toBe(200);
      expect(await server.db.prisma.payment.count({ where: { userId: student.id } })).toBe(1);
    });

    it("still takes CyberSource's form posts from across sites, cookie or not, and nothing but forms", async () => {
      const showcase = await paidShowing(server);
      const attempt = await startPaidCheckout(server, showcase);
      const fields = replyFor(server, attempt, ACCEPT);
      const crossSite = {
        "content-type": "application/x-www-form-urlencoded",
        origin: "https://secureacceptance.cybersource.com",
        "sec-fetch-site": "cross-site",
        cookie,
      };
      const receipt = await send(server, "POST", "/api/tickets/payment_complete/", crossSite, new URLSearchParams(fields).toString());
      expect(receipt.status).toBe(303);
      const merchant = await send(server, "POST", "/api/tickets/payment_notification/", { ...crossSite, origin: "null" }, new URLSearchParams(fields).toString());
      expect(merchant.status, JSON.stringify(merchant.body)).toBe(200);
      const state = await paymentState(server, attempt.paymentId);
      expect(state.payment.status).toBe("PAID");
      expect(state.owned.map((t) => t.ownerId)).toEqual(attempt.ticketIds.map(() => attempt.userId));
      // Nothing but a form: JSON is not what CyberSource sends.
      const asJson = await send(server, "POST", "/api/tickets/payment_notification/", json, JSON.stringify(fields));
      expectRefused(asJson, 415, "UNSUPPORTED_MEDIA_TYPE");
    });
  });
}
