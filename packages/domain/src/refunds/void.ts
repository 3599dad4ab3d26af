import { Prisma } from "@admit/db";
import { sqlTime } from "../sql-time.ts";

type Tx = Prisma.TransactionClient;

/** `resold`: sold on by its owner on the face-value exchange; the ticket itself stays valid for its buyer. */
export type VoidReason = "refunded" | "returned" | "cancelled" | "resold";

/**
 * Takes tickets out of their order in the caller's transaction: the order keeps the row (voided, with why), the ticket
 * loses its owner, payment, price paid and any hold, and its QR generation moves on so the old code is refused (doors
 * learn it at their next sync through the ticket's DoorChange trigger). Back on sale, or out of circulation for good.
 */
export async function voidTickets(
  tx: Tx,
  input: { orderId: string; ticketIds: string[]; reason: VoidReason; returnToSale: boolean; now: Date },
): Promise<void> {
  if (input.ticketIds.length === 0) return;
  await leaveOrder(tx, input);
  await voidTicketRows(tx, input);
}

/** The order half of `voidTickets`: the order keeps the rows, marked as left (when and why); the tickets are untouched. */
export async function leaveOrder(tx: Tx, input: { orderId: string; ticketIds: string[]; reason: VoidReason; now: Date }): Promise<void> {
  if (input.ticketIds.length === 0) return;
  await tx.$executeRaw`
    UPDATE "OrderTicket" SET "voidedAt" = ${sqlTime(input.now)}, "voidReason" = ${input.reason}
    WHERE "orderId" = ${input.orderId}::uuid AND "ticketId" = ANY(${input.ticketIds}::uuid[]) AND "voidedAt" IS NULL`;
}

/**
 * The ticket half of `voidTickets`, on its own for tickets that belong to no order (complimentary ones): no owner,
 * payment or hold, a new QR generation, back on sale or out of circulation.
 */
export async function voidTicketRows(tx: Tx, input: { ticketIds: string[]; returnToSale: boolean; now: Date }): Promise<void> {
  if (input.ticketIds.length === 0) return;
  const now = sqlTime(input.now);
  await tx.$executeRaw`
    UPDATE "Ticket"
    SET "ownerId" = NULL, "paymentId" = NULL, "amountPaid" = NULL,
        "holderId" = NULL, "holdExpiresAt" = NULL, "heldForPaymentId" = NULL,
        "qrGeneration" = "qrGeneration" + 1, "exchangeListedAt" = NULL,
        "voidedAt" = ${input.returnToSale ? Prisma.sql`NULL` : now},
        "updatedAt" = ${now}
    WHERE id = ANY(${input.ticketIds}::uuid[])`;
}
