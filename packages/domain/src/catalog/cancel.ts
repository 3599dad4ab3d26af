import { Prisma } from "@admit/db";
import type { UserActor } from "../actor.ts";
import { unownedOrListedWhere } from "../availability.ts";
import { endAttempt } from "../checkout/attempts.ts";
import type { DomainDeps } from "../deps.ts";
import { renderEmail } from "../mail/layout.ts";
import { enqueueMail, type OutgoingMessage } from "../mail/outbox.ts";
import { formatShowingTime } from "../orders/showing-time.ts";
import { requestRefund, type RefundOutcome } from "../refunds/request.ts";
import type { Refunds } from "../refunds/service.ts";
import { voidTicketRows } from "../refunds/void.ts";
import { Roles } from "../roles.ts";
import { sqlTime } from "../sql-time.ts";
import { zoneOfClub } from "../time-zone.ts";
import { lockExistingShowing, managedShowing, type ManagedShowing } from "./access.ts";

type Tx = Prisma.TransactionClient;

const CANCEL_TRANSACTION = { timeout: 60_000, maxWait: 15_000 };

export interface CancelShowing {
  showingId: number;
  reason: string;
}

export interface CancelOptions {
  publicUrl: string;
  /** Orders refunded per transaction; a failure rolls back only its chunk, and the next call goes on from there. */
  ordersPerChunk?: number;
}

export interface CancelResult {
  showingId: number;
  cancelledAt: Date;
  reason: string;
  /** Orders refunded or voided by this call (a resumed call counts only what it did itself). */
  ordersRefunded: number;
  /** Money refunds created by this call (free orders have none). */
  refunds: number;
  /** Complimentary tickets voided by this call. */
  complimentaryVoided: number;
}

/**
 * An officer cancels a showing for good. First, in one transaction: sales stop (`cancelledAt`, which availability
 * reads), pending checkouts holding its tickets end and their holds are released, its tickets leave every cart. Then
 * every order with tickets of the showing is refunded in full (requestRefund: tickets voided out of circulation,
 * checked-in ones too, buyer and holders e-mailed with the reason), a few orders per transaction; complimentary
 * tickets are voided and their holders e-mailed; finally every remaining ticket is taken out of circulation. Doors
 * refuse the voided codes after their next sync (the owner change reaches them through the change feed).
 *
 * Resumable: each order's refund has a key derived from the showing and the order, and an order whose tickets are all
 * voided and refunded is not picked again, so calling again after a failure finishes the job and never refunds twice.
 * An order is locked before its tickets are read, the lock a student's return of the same order takes first.
 */
export class ShowingCancellation {
  private readonly roles: Roles;
  private readonly ordersPerChunk: number;

  constructor(
    private readonly deps: DomainDeps,
    private readonly refunds: Refunds,
    private readonly options: CancelOptions,
  ) {
    this.roles = new Roles(deps);
    this.ordersPerChunk = options.ordersPerChunk ?? 10;
  }

  async cancel(actor: UserActor, input: CancelShowing): Promise<CancelResult> {
    const showing = await managedShowing(this.deps.prisma, this.roles, actor, input.showingId);
    const stopped = await this.deps.prisma.$transaction((tx) => this.stopSales(tx, showing.id, input.reason), CANCEL_TRANSACTION);
    let ordersRefunded = 0;
    let refunds = 0;
    for (;;) {
      const outcomes = await this.deps.prisma.$transaction((tx) => this.refundChunk(tx, showing.id, stopped.reason), CANCEL_TRANSACTION);
      if (outcomes.length === 0) break;
      ordersRefunded += outcomes.length;
      refunds += outcomes.filter((o) => o.refund && !o.replayed).length;
      await this.refunds.sendSoon(outcomes);
    }
    const complimentaryVoided = await this.deps.prisma.$transaction(
      (tx) => this.voidTheRest(tx, showing, stopped.reason),
      CANCEL_TRANSACTION,
    );
    return { showingId: showing.id, cancelledAt: stopped.cancelledAt, reason: stopped.reason, ordersRefunded, refunds, complimentaryVoided };
  }

  /** Marks the showing cancelled (once: a second call keeps the first time and reason) and releases what is in flight. */
  private async stopSales(tx: Tx, showingId: number, reason: string): Promise<{ cancelledAt: Date; reason: string }> {
    await lockExistingShowing(tx, showingId);
    const current = await tx.showing.findUniqueOrThrow({ where: { id: showingId }, select: { cancelledAt: true, cancelReason: true } });
    if (current.cancelledAt) return { cancelledAt: current.cancelledAt, reason: current.cancelReason ?? reason };
    const now = this.deps.clock.now();
    await tx.showing.update({ where: { id: showingId }, data: { cancelledAt: now, cancelReason: reason } });
    const attempts = await tx.ticket.findMany({
      where: { showingId, ...unownedOrListedWhere, heldForPaymentId: { not: null } },
      distinct: ["heldForPaymentId"],
      select: { heldForPaymentId: true },
    });
    // A payment that still arrives for one of these attempts finds no seats (the showing is cancelled) and is refunded.
    for (const { heldForPaymentId } of attempts) if (heldForPaymentId) await endAttempt(tx, heldForPaymentId, "SUPERSEDED");
    await tx.ticket.updateMany({
      where: { showingId, ...unownedOrListedWhere, holderId: { not: null } },
      data: { holderId: null, holdExpiresAt: null, heldForPaymentId: null },
    });
    await tx.cartTicket.deleteMany({ where: { ticket: { showingId } } });
    return { cancelledAt: now, reason };
  }

  /** Refunds the next few orders that still have tickets of the showing in them or money to give back for them. */
  private async refundChunk(tx: Tx, showingId: number, reason: string): Promise<RefundOutcome[]> {
    const orders = await tx.$queryRaw<Array<{ orderId: string; clubId: number }>>`
      SELECT DISTINCT ot."orderId"::text AS "orderId", e."clubId"
      FROM "OrderTicket" ot JOIN "Ticket" t ON t.id = ot."ticketId"
      JOIN "Showing" s ON s.id = t."showingId" JOIN "Event" e ON e.id = s."eventId"
      WHERE t."showingId" = ${showingId} AND ${openOrderTicket}
      ORDER BY "orderId"
      LIMIT ${this.ordersPerChunk}`;
    const outcomes: RefundOutcome[] = [];
    for (const { orderId, clubId } of orders) {
      // The order first, as every refund and return does; then what is still open in it, read under that lock.
      await tx.$queryRaw`SELECT id FROM "Order" WHERE id = ${orderId}::uuid FOR UPDATE`;
      const open = await tx.$queryRaw<Array<{ ticketId: string }>>`
        SELECT ot."ticketId"::text AS "ticketId" FROM "OrderTicket" ot JOIN "Ticket" t ON t.id = ot."ticketId"
        WHERE ot."orderId" = ${orderId}::uuid AND t."showingId" = ${showingId} AND ${openOrderTicket}
        ORDER BY ot."ticketId"`;
      if (open.length === 0) continue;
      outcomes.push(
        await requestRefund(tx, this.refunds.requestDeps, {
          orderId,
          ticketIds: open.map((o) => o.ticketId),
          clubId: Number(clubId),
          amount: "full",
          reason: `The showing was cancelled: ${reason}`,
          idempotencyKey: `cancel:${showingId}:${orderId}`,
          requestedById: null,
          returnToSale: false,
          voidReason: "cancelled",
          allowCheckedIn: true,
        }),
      );
    }
    return outcomes;
  }

  /**
   * Voids the tickets no order accounts for (complimentary ones) and e-mails each holder once, then takes every
   * unsold ticket of the showing out of circulation. Returns how many held tickets were voided.
   */
  private async voidTheRest(tx: Tx, showing: ManagedShowing, reason: string): Promise<number> {
    const now = this.deps.clock.now();
    const held = await tx.$queryRaw<Array<{ id: string; type: string; ownerId: string; email: string; fullName: string }>>`
      SELECT t.id::text AS id, t.type, t."ownerId", u.email, u."fullName"
      FROM "Ticket" t JOIN "User" u ON u.id = t."ownerId"
      WHERE t."showingId" = ${showing.id} AND t."ownerId" IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM "OrderTicket" ot WHERE ot."ticketId" = t.id AND ot."voidedAt" IS NULL)
      ORDER BY t.id
      FOR UPDATE OF t`;
    await voidTicketRows(tx, { ticketIds: held.map((t) => t.id), returnToSale: false, now });
    const byHolder = new Map<string, { email: string; fullName: string; types: string[] }>();
    for (const t of held) {
      const entry = byHolder.get(t.ownerId) ?? { email: t.email, fullName: t.fullName, types: [] };
      entry.types.push(t.type);
      byHolder.set(t.ownerId, entry);
    }
    await enqueueMail(
      tx,
      [...byHolder].map(([holderId, holder]) => this.complimentaryNotice(showing, holderId, holder, reason)),
    );
    await tx.$executeRaw`
      UPDATE "Ticket" SET "voidedAt" = ${sqlTime(now)}, "holderId" = NULL, "holdExpiresAt" = NULL, "heldForPaymentId" = NULL,
                          "updatedAt" = ${sqlTime(now)}
      WHERE "showingId" = ${showing.id} AND "ownerId" IS NULL AND "voidedAt" IS NULL`;
    return held.length;
  }

  private complimentaryNotice(
    showing: ManagedShowing,
    holderId: string,
    holder: { email: string; fullName: string; types: string[] },
    reason: string,
  ): OutgoingMessage {
    const event = showing.event.name;
    const when = formatShowingTime(showing.startTime, showing.endTime, zoneOfClub(showing.event.club.timeZone, this.deps.siteTimeZone));
    const count = holder.types.length;
    const title = `${event} is cancelled`;
    const { text, html } = renderEmail({
      title,
      paragraphs: [
        `Hi ${holder.fullName}, ${showing.event.club.name} has cancelled ${event} (${when}).`,
        `Reason: ${reason}`,
        `${count === 1 ? "Your complimentary ticket is" : `Your ${count} complimentary tickets are`} no longer valid; the QR ${count === 1 ? "code no longer admits" : "codes no longer admit"} anyone. There was nothing to pay, so there is nothing to refund.`,
      ],
      action: { label: "Your tickets", url: `${this.options.publicUrl}/tickets` },
    });
    return { to: holder.email, subject: title, text, html, dedupeKey: `showing-cancelled:${showing.id}:${holderId}` };
  }
}

/** An order ticket still in its order, or voided with money still to give back. */
const openOrderTicket = Prisma.sql`(ot."voidedAt" IS NULL OR ot."amountPaid" > ot."refundedAmount")`;

