import type { Database } from "@admit/db";
import { createClub, createEvent, createShowing, createTickets, createUser } from "@admit/db/factories";
import type { TestBackend } from "@admit/db/testing";
import { createServices, ManualClock, type Services, type UserActor } from "@admit/domain";
import { appRouter, createCallerFactory, createInnerContext, errorPayload } from "../src/index.ts";

export const PUBLIC_URL = "https://tickets.example.edu";
export const HOUR = 3_600_000;

const silentLogger = { info: () => {}, warn: () => {}, error: () => {} };
const createCaller = createCallerFactory(appRouter);

type TestUser = { id: string; username: string; fullName: string; email: string; isSiteAdmin: boolean };

export function actorFor(user: TestUser): UserActor {
  return {
    kind: "user",
    userId: user.id,
    username: user.username,
    fullName: user.fullName,
    email: user.email,
    isSiteAdmin: user.isSiteAdmin,
    sessionId: `session-${user.id}`,
  };
}

/** The tRPC procedures as `user` (signed out when null) would call them. */
export function callerFor(services: Services, user: TestUser | null) {
  return createCaller(createInnerContext({ services, actor: user ? actorFor(user) : null, logger: silentLogger }));
}

/**
 * A showing starting in a day (relative to the test clock) and ending three hours later, on sale now unless a drop
 * time is given; in a new event of the club unless an event is given.
 */
export async function newShowingOf(
  prisma: Database["prisma"],
  clock: ManualClock,
  clubId: number,
  data: { dropTime?: Date | null; orderLimit?: number; eventId?: number } = {},
) {
  const event = data.eventId
    ? await prisma.event.findUniqueOrThrow({ where: { id: data.eventId } })
    : await createEvent(prisma, clubId);
  const start = new Date(clock.now().getTime() + 24 * HOUR);
  const showing = await createShowing(prisma, event.id, {
    startTime: start,
    endTime: new Date(start.getTime() + 3 * HOUR),
    ticketDropTime: data.dropTime ?? null,
    ...(data.orderLimit ? { ticketOrderLimit: data.orderLimit } : {}),
  });
  return { event, showing };
}

/** A club with an owner and an officer, a second club with its own officer, a student and a site admin. */
export async function openCatalog(backend: TestBackend) {
  const db: Database = await backend.open();
  const clock = new ManualClock();
  const services = createServices({ prisma: db.prisma, clock }, { publicUrl: PUBLIC_URL });
  const prisma = db.prisma;

  const owner = await createUser(prisma);
  const officer = await createUser(prisma);
  const otherOfficer = await createUser(prisma);
  const student = await createUser(prisma);
  const student2 = await createUser(prisma);
  const admin = await createUser(prisma, { isSiteAdmin: true });
  const club = await createClub(prisma, { owners: [owner.id], officers: [officer.id] });
  const otherClub = await createClub(prisma, { officers: [otherOfficer.id] });

  const call = (user: TestUser | null) => callerFor(services, user);

  /** An event with one showing (see newShowingOf). */
  const newShowing = (data: { dropTime?: Date | null; clubId?: number } = {}) =>
    newShowingOf(prisma, clock, data.clubId ?? club.id, { dropTime: data.dropTime ?? null });

  return {
    db,
    prisma,
    clock,
    services,
    users: { owner, officer, otherOfficer, student, student2, admin },
    club,
    otherClub,
    call,
    newShowing,
    createTickets: (showingId: number, batch: Parameters<typeof createTickets>[2]) => createTickets(prisma, showingId, batch),
    ticketCount: (showingId: number) => prisma.ticket.count({ where: { showingId } }),
    /** Mail queued for this fixture's people (the PostgreSQL database is shared with test files running alongside). */
    mailCount: () =>
      prisma.outgoingEmail.count({
        where: { toAddress: { in: [owner, officer, otherOfficer, student, student2, admin].map((u) => u.email) } },
      }),
    /** Events of this fixture's clubs. */
    eventCount: () => prisma.event.count({ where: { clubId: { in: [club.id, otherClub.id] } } }),
    close: () => db.close(),
  };
}

export type CatalogFixture = Awaited<ReturnType<typeof openCatalog>>;

/** The status and error body a failed call would send over HTTP; fails the test if the call succeeded. */
export async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    const { status, body } = errorPayload(error);
    return { status, code: body.error.code, message: body.error.message, details: body.error.details };
  }
  throw new Error("expected the call to fail, but it succeeded");
}

export const iso = (d: Date) => d.toISOString();
