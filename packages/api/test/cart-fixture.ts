import { createHmac } from "node:crypto";
import type { Database } from "@admit/db";
import { createClub, createTickets, createUser, type TicketBatch } from "@admit/db/factories";
import type { TestBackend } from "@admit/db/testing";
import { createServices, ManualClock, type PaymentRequestFields } from "@admit/domain";
import { callerFor, newShowingOf, PUBLIC_URL } from "./catalog-fixture.ts";

export { failure, HOUR, PUBLIC_URL } from "./catalog-fixture.ts";
export const PAYMENT_PAGE = "https://pay.example.test/pay";
export const MINUTE = 60_000;

type TestUser = Awaited<ReturnType<typeof createUser>>;

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

  const call = (user: TestUser) => callerFor(services, user);

  /** An event with one showing (see newShowingOf), or another showing of `eventId`. */
  const newShowing = (data: { dropTime?: Date | null; clubId?: number; orderLimit?: number; eventId?: number } = {}) =>
    newShowingOf(prisma, clock, data.clubId ?? club.id, data);

  return {
    db,
    prisma,
    clock,
    services,
    signed,
    club,
    /** The club's owner, who may issue complimentary tickets. */
    owner,
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
