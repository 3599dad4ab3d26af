import { randomBytes, randomUUID } from "node:crypto";
import { createClub, createEvent, createShowing, createTickets, createUser, type TicketBatch } from "@admit/db/factories";
import type { TestServer } from "./harness.ts";

const HOUR = 3_600_000;

/**
 * Students with bearer tokens, made straight in the database: a session row is exactly what signing in creates,
 * minus the password hashing that would make a test with hundreds of buyers take minutes. (Sign-in itself is
 * covered by auth.int.test.ts; the cart tests also use one real signed-in account.)
 */
export async function quickStudents(server: TestServer, count: number) {
  const prisma = server.db.prisma;
  const students: Array<{ id: string; username: string; email: string; token: string }> = [];
  for (let i = 0; i < count; i++) {
    const user = await createUser(prisma, { fullName: `Buyer ${i} Test` });
    const token = randomBytes(24).toString("base64url");
    await prisma.session.create({
      data: { id: randomUUID(), token, userId: user.id, expiresAt: new Date(Date.now() + 30 * 24 * HOUR) },
    });
    students.push({ id: user.id, username: user.username, email: user.email, token });
  }
  return students;
}

/** An approved club's event with one showing a day ahead of the server clock. */
export async function showingWith(
  server: TestServer,
  batches: TicketBatch[],
  data: { dropTime?: Date | null; orderLimit?: number } = {},
) {
  const prisma = server.db.prisma;
  const club = await createClub(prisma);
  const event = await createEvent(prisma, club.id);
  const start = new Date(server.clock.now().getTime() + 24 * HOUR);
  const showing = await createShowing(prisma, event.id, {
    startTime: start,
    endTime: new Date(start.getTime() + 3 * HOUR),
    ticketDropTime: data.dropTime ?? null,
    ...(data.orderLimit ? { ticketOrderLimit: data.orderLimit } : {}),
  });
  for (const batch of batches) await createTickets(prisma, showing.id, batch);
  return { club, event, showing };
}

/** A JSON request with a bearer token; returns the status and the parsed body. */
export async function api(
  server: TestServer,
  method: "GET" | "POST",
  path: string,
  opts: { token?: string; body?: unknown; rawBody?: string; contentType?: string } = {},
) {
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  const body = opts.rawBody ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
  if (body !== undefined) headers["content-type"] = opts.contentType ?? "application/json";
  const res = await fetch(`${server.url}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, body: json as ApiBody };
}

/** The fields the cart and checkout routes answer with (successes and the one error body), for reading in tests. */
export interface ApiBody {
  error: { code: string; message: string };
  detail: string;
  success: boolean;
  count: number;
  tickets: Array<Record<string, unknown>>;
  sold_out: unknown[];
  total: string;
  hold_expires_at: string | null;
  lines: Array<Record<string, unknown>>;
  sold_free_tickets: boolean;
  cybersource_url: string;
  payment_params: Record<string, string>;
}

export const addPath = (eventId: number, showingId: number) => `/api/events/${eventId}/showings/${showingId}/add_to_cart/`;
export const removePath = (eventId: number, showingId: number) => `/api/events/${eventId}/showings/${showingId}/remove_from_cart/`;
