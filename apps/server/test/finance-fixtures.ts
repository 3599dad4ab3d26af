import { createClub, createEvent, createShowing, createTickets, unique } from "@admit/db/factories";
import type { UserActor } from "@admit/domain";
import type { TestServer } from "./harness.ts";
import { actorOf } from "./refund-fixtures.ts";

export interface Officer {
  id: string;
  username: string;
  token: string;
  actor: UserActor;
}

export interface ConcertClub {
  clubId: number;
  code: string;
  eventId: number;
  eventName: string;
  showingId: number;
  officer: Officer;
}

/** 2 PM to 4 PM in New York on Saturday, December 5, 2026 (EST, UTC-5). */
export const WINTER_CONCERT = { start: new Date("2026-12-05T19:00:00Z"), end: new Date("2026-12-05T21:00:00Z") };

export async function officerOf(server: TestServer, clubId: number): Promise<Officer> {
  const account = await server.createAccount({ fullName: "Olive Officer" });
  await server.db.prisma.membership.create({ data: { clubId, userId: account.id, role: "OFFICER" } });
  return { ...account, token: await server.tokenFor(account.username), actor: await actorOf(server, account.id) };
}

/** A club (no zone of its own unless given) with one event and one showing of `count` tickets at `price`. */
export async function concertClub(
  server: TestServer,
  opts: { price?: string; count?: number; when?: { start: Date; end: Date }; timeZone?: string; eventName?: string } = {},
): Promise<ConcertClub> {
  const prisma = server.db.prisma;
  const club = await createClub(prisma, opts.timeZone ? { timeZone: opts.timeZone } : {});
  const event = await createEvent(prisma, club.id, { name: opts.eventName ?? unique("Winter Concert ") });
  const when = opts.when ?? WINTER_CONCERT;
  const showing = await createShowing(prisma, event.id, { startTime: when.start, endTime: when.end, location: "Irvine Auditorium" });
  await createTickets(prisma, showing.id, { type: "General", count: opts.count ?? 10, price: opts.price ?? "15.00" });
  return {
    clubId: club.id,
    code: club.code,
    eventId: event.id,
    eventName: event.name,
    showingId: showing.id,
    officer: await officerOf(server, club.id),
  };
}

/** A GET with a bearer token (or none), answering status, content type and body text. */
export async function getWith(server: TestServer, path: string, token?: string) {
  const res = await fetch(`${server.url}${path}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  return { status: res.status, type: res.headers.get("content-type") ?? "", disposition: res.headers.get("content-disposition"), text: await res.text() };
}

/** The messages queued for an address, oldest first. */
export async function mailTo(server: TestServer, username: string) {
  return server.db.prisma.outgoingEmail.findMany({
    where: { toAddress: `${username}@example.edu` },
    select: { subject: true, text: true },
    orderBy: { createdAt: "asc" },
  });
}
