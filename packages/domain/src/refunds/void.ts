import { Prisma } from "@admit/db";
import { sqlTime } from "../sql-time.ts";

type Tx = Prisma.TransactionClient;

export type VoidReason = "refunded" | "returned" | "cancelled";

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
  const now = sqlTime(input.now);
  await tx.$executeRaw`
    UPDATE "OrderTicket" SET "voidedAt" = ${now}, "voidReason" = ${input.reason}
    WHERE "orderId" = ${input.orderId}::uuid AND "ticketId" = ANY(${input.ticketIds}::uuid[]) AND "voidedAt" IS NULL`;
  await voidTicketRows(tx, input);
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
        "qrGeneration" = "qrGeneration" + 1,
        "voidedAt" = ${input.returnToSale ? Prisma.sql`NULL` : now},
        "updatedAt" = ${now}
    WHERE id = ANY(${input.ticketIds}::uuid[])`;
}
