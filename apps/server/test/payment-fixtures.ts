import { buildReply, type ReplyOutcome } from "@admit/cybersource";
import { createClub, createEvent, createShowing, createTickets, createUser } from "@admit/db/factories";
import { expect } from "vitest";
import type { TestServer } from "./harness.ts";

export interface Showcase {
  showingId: number;
  eventId: number;
  type: string;
}

/** A club with one showing and `count` tickets of one paid type. */
export async function paidShowing(server: TestServer, opts: { count?: number; price?: string; type?: string } = {}): Promise<Showcase> {
  const prisma = server.db.prisma;
  const owner = await createUser(prisma);
  const club = await createClub(prisma, { owners: [owner.id] });
  const event = await createEvent(prisma, club.id);
  const start = new Date(server.clock.now().getTime() + 48 * 3_600_000);
  const showing = await createShowing(prisma, event.id, {
    startTime: start,
    endTime: new Date(start.getTime() + 3 * 3_600_000),
    ticketOrderLimit: 50,
  });
  const type = opts.type ?? "General";
  await createTickets(prisma, showing.id, { type, count: opts.count ?? 5, price: opts.price ?? "15.00" });
  return { showingId: showing.id, eventId: event.id, type };
}

export interface Attempt {
  userId: string;
  username: string;
  token: string;
  params: Record<string, string>;
  url: string;
  paymentId: string;
  reference: string;
  /** The tickets this attempt holds. */
  ticketIds: string[];
}

async function rest(server: TestServer, path: string, token: string, body: unknown) {
  const res = await fetch(`${server.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  expect(res.status, JSON.stringify(json)).toBe(200);
  return json;
}

/** A new student puts `count` tickets in the cart and starts a paid checkout through the real REST routes. */
export async function startPaidCheckout(server: TestServer, showcase: Showcase, count = 2): Promise<Attempt> {
  const { id, username } = await server.createAccount();
  const token = await server.tokenFor(username);
  await rest(server, `/api/events/${showcase.eventId}/showings/${showcase.showingId}/add_to_cart/`, token, {
    quantities: [{ type: showcase.type, count }],
  });
  const checkout = (await rest(server, "/api/tickets/initiate_checkout/", token, {})) as {
    sold_free_tickets: boolean;
    cybersource_url: string;
    payment_params: Record<string, string>;
  };
  expect(checkout.sold_free_tickets).toBe(false);
  const params = checkout.payment_params;
  const payment = await server.db.prisma.payment.findUniqueOrThrow({
    where: { transactionUuid: params.transaction_uuid },
    select: { id: true, referenceNumber: true, heldTickets: { select: { id: true } } },
  });
  expect(payment.heldTickets).toHaveLength(count);
  return {
    userId: id,
    username,
    token,
    params,
    url: checkout.cybersource_url,
    paymentId: payment.id,
    reference: payment.referenceNumber,
    ticketIds: payment.heldTickets.map((t) => t.id),
  };
}

/** The signed result CyberSource would send for this attempt. */
export function replyFor(server: TestServer, attempt: Attempt, outcome: ReplyOutcome): Record<string, string> {
  return buildReply(server.runtime.config.cybersource.profile, attempt.params, outcome, server.clock.now());
}

export const ACCEPT: ReplyOutcome = { decision: "ACCEPT", reasonCode: "100" };

/** Posts a form the way a browser or CyberSource does; redirects are not followed. */
export function postForm(url: string, fields: Record<string, string>) {
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
    redirect: "manual",
  });
}

export const browserPost = (server: TestServer, fields: Record<string, string>) =>
  postForm(`${server.url}/api/tickets/payment_complete/`, fields);
export const merchantPost = (server: TestServer, fields: Record<string, string>) =>
  postForm(`${server.url}/api/tickets/payment_notification/`, fields);

/** Where a browser delivery sent the buyer: the outcome and reference of /checkout/result. */
export function resultOf(server: TestServer, res: Response) {
  expect(res.status).toBe(303);
  const location = new URL(res.headers.get("location") ?? "");
  expect(`${location.origin}${location.pathname}`).toBe(`${server.url}/checkout/result`);
  return { outcome: location.searchParams.get("outcome"), reference: location.searchParams.get("reference") };
}

export async function paymentState(server: TestServer, paymentId: string) {
  const prisma = server.db.prisma;
  const payment = await prisma.payment.findUniqueOrThrow({ where: { id: paymentId } });
  const owned = await prisma.ticket.findMany({ where: { paymentId }, orderBy: { id: "asc" } });
  const held = await prisma.ticket.findMany({ where: { heldForPaymentId: paymentId } });
  const replies = await prisma.paymentReply.findMany({ where: { paymentId }, orderBy: { id: "asc" } });
  const order = await prisma.order.findUnique({ where: { paymentId }, select: { id: true } });
  const emails = await prisma.outgoingEmail.findMany({
    where: {
      OR: [
        { dedupeKey: { endsWith: `:${paymentId}` } },
        { dedupeKey: `refund:${paymentId}` },
        ...(order ? [{ dedupeKey: `receipt:${order.id}` }] : []),
      ],
    },
  });
  return { payment, owned, held, replies, emails };
}

/** Moves time past the hold and runs the expiry job, as the server does every 30 seconds. */
export async function expireHolds(server: TestServer) {
  server.clock.advance(11 * 60_000);
  await server.runtime.services.checkout.releaseExpiredHolds();
}
