import { createHmac } from "node:crypto";
import type { Database } from "@admit/db";
import { createClub, createEvent, createShowing, createTickets, createUser, type TicketBatch } from "@admit/db/factories";
import type { TestBackend } from "@admit/db/testing";
import { createServices, ManualClock, type PaymentRequestFields, type UserActor } from "@admit/domain";
import { appRouter, createCallerFactory, createInnerContext, errorPayload } from "../src/index.ts";

export const PUBLIC_URL = "https://tickets.example.edu";
export const PAYMENT_PAGE = "https://pay.example.test/pay";
export const HOUR = 3_600_000;
export const MINUTE = 60_000;

const silentLogger = { info: () => {}, warn: () => {}, error: () => {} };
const createCaller = createCallerFactory(appRouter);

type TestUser = Awaited<ReturnType<typeof createUser>>;

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

/**
 * Services over a real database with a ManualClock and a stand-in for the CyberSource signer (an HMAC over the
 * request, recorded so tests can see what would be posted to the payment page).
 */
export async function openCartFixture(backend: TestBackend, options: { holdMinutes?: number } = {}) {
  const db: Database = await backend.open();
  const prisma = db.prisma;
  const clock = new ManualClock();
  const signed: PaymentRequestFields[] = [];
  const sign = (request: PaymentRequestFields) => {
    signed.push(request);
    const fields = {
      transaction_uuid: request.transactionUuid,
      reference_number: request.referenceNumber,
      amount: request.amount,
      currency: request.currency,
      signed_date_time: request.signedAt.toISOString(),
      override_custom_receipt_page: request.receiptUrl,
      bill_to_forename: request.billTo.forename,
      bill_to_surname: request.billTo.surname,
      bill_to_email: request.billTo.email,
    };
    const signature = createHmac("sha256", "test-secret").update(JSON.stringify(fields)).digest("base64");
    return { ...fields, signature };
  };
  const services = createServices(
    { prisma, clock },
    {
      publicUrl: PUBLIC_URL,
      paymentPage: { url: PAYMENT_PAGE, sign },
      ...(options.holdMinutes ? { checkoutHoldMinutes: options.holdMinutes } : {}),
    },
  );
  const owner = await createUser(prisma);
  const club = await createClub(prisma, { owners: [owner.id] });

  const call = (user: TestUser) =>
    createCaller(createInnerContext({ services, actor: actorFor(user), logger: silentLogger }));

  /** An event with one showing a day ahead of the test clock, on sale now unless a drop time is given. */
  async function newShowing(data: { dropTime?: Date | null; clubId?: number; orderLimit?: number; eventId?: number } = {}) {
    const event = data.eventId
      ? await prisma.event.findUniqueOrThrow({ where: { id: data.eventId } })
      : await createEvent(prisma, data.clubId ?? club.id);
    const start = new Date(clock.now().getTime() + 24 * HOUR);
    const showing = await createShowing(prisma, event.id, {
      startTime: start,
      endTime: new Date(start.getTime() + 3 * HOUR),
      ticketDropTime: data.dropTime ?? null,
      ...(data.orderLimit ? { ticketOrderLimit: data.orderLimit } : {}),
    });
    return { event, showing };
  }

  return {
    db,
    prisma,
    clock,
    services,
    signed,
    club,
    call,
    newShowing,
    student: () => createUser(prisma, { fullName: "Ada Lovelace" }),
    tickets: (showingId: number, batch: TicketBatch) => createTickets(prisma, showingId, batch),
    /** The ids in a person's cart. */
    cartIds: async (user: TestUser) =>
      (await prisma.cartTicket.findMany({ where: { cart: { userId: user.id } }, select: { ticketId: true } })).map((r) => r.ticketId),
    close: () => db.close(),
  };
}

export type CartFixture = Awaited<ReturnType<typeof openCartFixture>>;

/** The status and error body a failed call would send over HTTP; fails the test if the call succeeded. */
export async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    const { status, body } = errorPayload(error);
    return { status, code: body.error.code, message: body.error.message };
  }
  throw new Error("expected the call to fail, but it succeeded");
}
