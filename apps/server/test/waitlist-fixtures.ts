import { createClub, createEvent, createShowing, createTickets, unique } from "@admit/db/factories";
import { expect } from "vitest";
import type { TestServer } from "./harness.ts";
import { replyFor, ACCEPT, merchantPost, type Attempt } from "./payment-fixtures.ts";
import { person, rest, type Person } from "./tickets-fixture.ts";

const HOUR = 3_600_000;

export interface WaitlistWorld {
  officer: Person;
  eventId: number;
  showingId: number;
}

/** An approved club with a signed-in officer, one showing two days ahead (a drop time when given) and `count` paid tickets. */
export async function waitlistWorld(
  server: TestServer,
  opts: { count: number; price?: string; dropTime?: Date; orderLimit?: number },
): Promise<WaitlistWorld> {
  const prisma = server.db.prisma;
  const officer = await person(server, "Olive Officer");
  const club = await createClub(prisma, { officers: [officer.id] });
  const event = await createEvent(prisma, club.id, { name: unique("Spring Formal") });
  const start = new Date(server.clock.now().getTime() + 48 * HOUR);
  const showing = await createShowing(prisma, event.id, {
    startTime: start,
    endTime: new Date(start.getTime() + 3 * HOUR),
    ticketDropTime: opts.dropTime ?? null,
    ...(opts.orderLimit ? { ticketOrderLimit: opts.orderLimit } : {}),
  });
  await createTickets(prisma, showing.id, { type: "General", count: opts.count, price: opts.price ?? "20.00" });
  return { officer, eventId: event.id, showingId: showing.id };
}

export const waitlistPath = (w: WaitlistWorld) => `/api/showings/${w.showingId}/waitlist/`;

export interface Status {
  showingId: number;
  offerMinutes: number;
  waiting: number;
  you: null | {
    state: string;
    type: string | null;
    count: number;
    place: number | null;
    joinedAt: string;
    offer: null | { count: number; expiresAt: string };
  };
  reminder: null | { remindAt: string | null; sentAt: string | null };
}

/** Joins a moment after the previous call (the test clock stands still otherwise), so the line is in call order. */
export async function join(server: TestServer, w: WaitlistWorld, who: Person, body: Record<string, unknown>) {
  server.clock.advance(1);
  const answer = await rest(server, "POST", waitlistPath(w), { token: who.token, body });
  return { status: answer.status, body: answer.body as Status & { error?: { code: string; message: string } } };
}

export async function statusOf(server: TestServer, w: WaitlistWorld, who?: Person): Promise<Status> {
  const answer = await rest(server, "GET", waitlistPath(w), who ? { token: who.token } : {});
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body as Status;
}

export async function addToCart(server: TestServer, w: WaitlistWorld, who: Person, count: number) {
  return rest(server, "POST", `/api/events/${w.eventId}/showings/${w.showingId}/add_to_cart/`, {
    token: who.token,
    body: { quantities: [{ type: "General", count }] },
  });
}

export async function checkout(server: TestServer, who: Person) {
  return rest(server, "POST", "/api/tickets/initiate_checkout/", { token: who.token, body: {} });
}

/** A paid checkout of everything in the cart; the attempt's signed fields, for paying it later. */
export async function startCheckout(server: TestServer, who: Person): Promise<Record<string, string>> {
  const answer = await checkout(server, who);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return (answer.body as { payment_params: Record<string, string> }).payment_params;
}

/** CyberSource accepts the attempt (the server-to-server notification). */
export async function pay(server: TestServer, params: Record<string, string>) {
  const res = await merchantPost(server, replyFor(server, { params } as Attempt, ACCEPT));
  expect(res.status).toBeLessThan(400);
}

/** Messages queued for someone, newest last. */
export async function mailTo(server: TestServer, who: Person) {
  const user = await server.db.prisma.user.findUniqueOrThrow({ where: { id: who.id }, select: { email: true } });
  return server.db.prisma.outgoingEmail.findMany({ where: { toAddress: user.email }, orderBy: { createdAt: "asc" } });
}

/** The showing's tickets held (unexpired) for someone, and which of them sit in their cart. */
export async function heldFor(server: TestServer, w: WaitlistWorld, who: Person) {
  const now = server.clock.now();
  const held = await server.db.prisma.ticket.findMany({
    where: { showingId: w.showingId, holderId: who.id, holdExpiresAt: { gt: now } },
    select: { id: true, holdExpiresAt: true, heldForPaymentId: true },
    orderBy: { id: "asc" },
  });
  const inCart = await server.db.prisma.cartTicket.count({ where: { cart: { userId: who.id }, ticketId: { in: held.map((t) => t.id) } } });
  return { held, inCart };
}
