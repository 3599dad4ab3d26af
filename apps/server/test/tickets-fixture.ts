import { createClub, createEvent, createShowing, createTickets } from "@admit/db/factories";
import { toVerifyingKeys, verifyTicketCode, type TicketCodeCheck } from "@admit/ticket-codes";
import jsQR from "jsqr";
import { PNG } from "pngjs";
import { expect } from "vitest";
import { trpc, type TestServer } from "./harness.ts";

const HOUR = 3_600_000;

export interface Person {
  id: string;
  username: string;
  token: string;
}

export interface RestAnswer {
  status: number;
  headers: Headers;
  body: unknown;
  bytes: Buffer;
}

/** One REST call the way any client makes it; JSON bodies are sent as given (strings verbatim). */
export async function rest(
  server: TestServer,
  method: string,
  path: string,
  opts: { token?: string; cookie?: string; origin?: string; body?: unknown } = {},
): Promise<RestAnswer> {
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.cookie) headers.cookie = opts.cookie;
  // What a browser sends with a POST; without it a cookie POST is refused as cross-site.
  if (opts.origin) headers.origin = opts.origin;
  if (opts.body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers,
    ...(opts.body === undefined ? {} : { body: typeof opts.body === "string" ? opts.body : JSON.stringify(opts.body) }),
  });
  const bytes = Buffer.from(await res.arrayBuffer());
  const isJson = res.headers.get("content-type")?.includes("application/json");
  return { status: res.status, headers: res.headers, body: isJson ? JSON.parse(bytes.toString("utf8")) : null, bytes };
}

export async function person(server: TestServer, fullName?: string): Promise<Person> {
  const account = await server.createAccount(fullName ? { fullName } : {});
  return { ...account, token: await server.tokenFor(account.username) };
}

/** A club with an officer, another club with its own officer, a site admin, two students and a showing tomorrow. */
export async function ticketWorld(server: TestServer) {
  const { prisma } = server.db;
  const owner = await person(server, "Olive Owner");
  const student = await person(server, "Sam Student");
  const officer = await person(server, "Ollie Officer");
  const otherOfficer = await person(server, "Otto Elsewhere");
  const admin = await person(server, "Ada Admin");
  await prisma.user.update({ where: { id: admin.id }, data: { isSiteAdmin: true } });
  const club = await createClub(prisma, { officers: [officer.id], name: "Jazz Ensemble" });
  const otherClub = await createClub(prisma, { officers: [otherOfficer.id] });
  const event = await createEvent(prisma, club.id, { name: "Winter Concert" });
  const start = new Date(server.clock.now().getTime() + 24 * HOUR);
  const showing = await createShowing(prisma, event.id, {
    startTime: start,
    endTime: new Date(start.getTime() + 2 * HOUR),
    location: "Zellerbach Theatre",
  });
  let made = 0;
  /** A fresh ticket of the showing, owned by `ownerId` (buying is another feature's job). */
  const ticket = async (data: { ownerId?: string | null; transferable?: boolean; price?: string } = {}) => {
    const type = `General ${++made}`;
    const [row] = await createTickets(prisma, showing.id, {
      type,
      count: 1,
      price: data.price ?? "15.00",
      ...(data.transferable === undefined ? {} : { transferable: data.transferable }),
    });
    const ownerId = data.ownerId === undefined ? owner.id : data.ownerId;
    if (ownerId) await prisma.ticket.update({ where: { id: row!.id }, data: { ownerId, amountPaid: "12.00" } });
    return row!.id;
  };
  return { prisma, owner, student, officer, otherOfficer, admin, club, otherClub, event, showing, ticket };
}

export type TicketWorld = Awaited<ReturnType<typeof ticketWorld>>;

/** The text a QR PNG carries, read back with a real decoder. */
export function decodeQrPng(bytes: Buffer): string {
  const image = PNG.sync.read(bytes);
  const decoded = jsQR(new Uint8ClampedArray(image.data), image.width, image.height);
  expect(decoded, "the PNG holds a readable QR code").not.toBeNull();
  return decoded!.data;
}

/** Checks a scanned code exactly as a door kiosk does: the published public keys and the newest known generation. */
export async function doorCheck(server: TestServer, code: string): Promise<TicketCodeCheck> {
  const keys = toVerifyingKeys(await server.runtime.services.qrKeys.publicKeys());
  const tickets = await server.db.prisma.ticket.findMany({ select: { id: true, qrGeneration: true } });
  const generations = new Map(tickets.map((t) => [t.id, t.qrGeneration]));
  return verifyTicketCode(code, keys, { currentGeneration: (id) => generations.get(id) });
}

export async function revokedToken(server: TestServer, who: Person): Promise<string> {
  const doomed = await server.tokenFor(who.username);
  const tokens = (await trpc(server, "account.listTokens", { token: doomed })).data as Array<{ id: string; current: boolean }>;
  const current = tokens.find((t) => t.current)!;
  const revoked = await trpc(server, "account.revokeToken", { token: who.token, input: { id: current.id }, mutation: true });
  expect(revoked.status).toBe(200);
  return doomed;
}
