import { decideScan, type DoorTicket } from "@admit/door";
import { toVerifyingKeys, verifyTicketCode } from "@admit/ticket-codes";
import { expect } from "vitest";
import { trpc, type TestServer } from "./harness.ts";
import { ACCEPT, merchantPost, replyFor, startPaidCheckout, type Attempt } from "./payment-fixtures.ts";
import type { ClubWorld } from "./refund-fixtures.ts";

export type Json = Record<string, unknown> & { error?: { code: string; message: string } };

/** A REST call with a bearer token; the status and JSON body as they came. */
export async function call(server: TestServer, method: string, path: string, token?: string, body?: unknown) {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(`${server.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Json };
}

export const offer = (server: TestServer, token: string | undefined, ticketId: string) =>
  call(server, "POST", `/api/tickets/${ticketId}/exchange/`, token);
export const withdraw = (server: TestServer, token: string | undefined, ticketId: string) =>
  call(server, "DELETE", `/api/tickets/${ticketId}/exchange/`, token);

/** The officer allows (or stops) the exchange for a type, through showing.updateType as the dashboard does. */
export async function allowExchange(server: TestServer, world: ClubWorld, type: string, allowed = true) {
  const res = await trpc(server, "showing.updateType", {
    token: world.officer.token,
    mutation: true,
    input: { showingId: world.showingId, type, exchangeAllowed: allowed },
  });
  expect(res.status, JSON.stringify(res.error)).toBe(200);
  expect(res.data).toMatchObject({ type, exchangeAllowed: allowed });
}

/** A new student buys `count` tickets through the cart and a paid checkout, and CyberSource accepts the payment. */
export async function buyPaid(server: TestServer, world: ClubWorld, count = 1, type = "General"): Promise<Attempt> {
  const attempt = await startPaidCheckout(server, { showingId: world.showingId, eventId: world.eventId, type }, count);
  expect((await merchantPost(server, replyFor(server, attempt, ACCEPT))).status).toBe(200);
  return attempt;
}

/** A new student takes free tickets through the cart and checkout; returns their token and the tickets. */
export async function takeFree(server: TestServer, world: ClubWorld, type: string, count = 1) {
  const { id, username } = await server.createAccount();
  const token = await server.tokenFor(username);
  const added = await call(server, "POST", `/api/events/${world.eventId}/showings/${world.showingId}/add_to_cart/`, token, {
    quantities: [{ type, count }],
  });
  expect(added.status, JSON.stringify(added.body)).toBe(200);
  const checkout = await call(server, "POST", "/api/tickets/initiate_checkout/", token, {});
  expect(checkout.body).toMatchObject({ sold_free_tickets: true });
  const tickets = await server.db.prisma.ticket.findMany({ where: { ownerId: id, showingId: world.showingId }, select: { id: true } });
  return { userId: id, username, token, ticketIds: tickets.map((t) => t.id) };
}

type Manifest = { tickets: DoorTicket[]; keys: Array<{ kid: string; publicKey: string }>; cursor: string };

/**
 * A paired door for the showing, with what it knows after its first sync; `sync` reads the change feed as the kiosk
 * does, and `scan` decides a QR code the way the kiosk does (signature with the manifest's keys, then the policy).
 */
export async function pairedDoor(server: TestServer, world: ClubWorld) {
  const created = await trpc(server, "kiosk.createDevice", {
    token: world.officer.token,
    mutation: true,
    input: { clubId: world.clubId, name: "Main door", showingIds: [world.showingId] },
  });
  expect(created.status).toBe(200);
  const paired = await trpc(server, "kiosk.pair", { mutation: true, input: { code: (created.data as { pairingCode: string }).pairingCode } });
  const token = (paired.data as { token: string }).token;
  const manifest = (await trpc(server, "door.manifest", { token })).data as Manifest;
  const known = new Map(manifest.tickets.map((t) => [t.id, t]));
  let cursor = manifest.cursor;
  return {
    known,
    async sync() {
      const changes = (await trpc(server, "door.changes", { token, input: { cursor } })).data as Manifest;
      for (const ticket of changes.tickets) known.set(ticket.id, ticket);
      cursor = changes.cursor;
      return changes.tickets;
    },
    scan(code: string) {
      const check = verifyTicketCode(code, toVerifyingKeys(manifest.keys));
      if (!check.valid) throw new Error(`the code did not verify: ${check.reason}`);
      const { ticketId, showingId, generation } = check.claims;
      return decideScan({ code: { ok: true, ticketId, showingId, generation }, showingIds: [world.showingId], ticket: known.get(ticketId) })
        .verdict;
    },
  };
}
