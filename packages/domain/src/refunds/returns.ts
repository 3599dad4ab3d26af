import { Prisma, type RefundStatus } from "@admit/db";
import type { UserActor } from "../actor.ts";
import type { DomainDeps } from "../deps.ts";
import { DomainError, notFound } from "../errors.ts";
import { formatMoney } from "../money.ts";
import { formatInZone, zoneOfClub } from "../time-zone.ts";
import { exchangeListedRefusal } from "../exchange/rules.ts";
import { requestRefund } from "./request.ts";
import type { Refunds } from "./service.ts";

type Tx = Prisma.TransactionClient;

const HOUR = 3_600_000;
const RETURN_TRANSACTION = { timeout: 20_000, maxWait: 10_000 };

/** Everything the return rule reads about one ticket and the person asking. */
export interface ReturnFacts {
  ownerId: string | null;
  attended: boolean;
  /** Set while the owner offers the ticket on the face-value exchange. */
  exchangeListedAt?: Date | null;
  /** The ticket type's setting: returns allowed until this many hours before the showing starts; null: none. */
  returnHoursBefore: number | null;
  /** timeZone: the club's, in which a refusal names the deadline (the ticket page shows the refusal as is). */
  showing: { startTime: Date; cancelledAt: Date | null; timeZone: string };
  /** The order the ticket belongs to now; null for a complimentary ticket (no order). */
  order: { buyerId: string; amountPaid: Prisma.Decimal; refundedAmount: Prisma.Decimal } | null;
  /** The asker bought this ticket once and it has left that order since (returned, refunded, cancelled). */
  leftAskersOrder: boolean;
}

export type ReturnVerdict =
  | { allowed: true; deadline: Date; refundAmount: Prisma.Decimal }
  | { allowed: false; deadline: Date | null; refusal: DomainError };

/** The last moment a ticket of this type may be returned: `returnHoursBefore` hours before the showing starts. */
export function returnDeadline(startTime: Date, returnHoursBefore: number | null): Date | null {
  return returnHoursBefore === null ? null : new Date(startTime.getTime() - returnHoursBefore * HOUR);
}

/**
 * The one home of "may this person return this ticket now": only the buyer holding their own ticket, of a type that
 * allows returns, before its deadline (the instant itself is too late), not used at the door, showing not cancelled.
 * The ticket page's button and the return itself both ask this; the browser never decides.
 */
export function returnVerdict(facts: ReturnFacts, userId: string, now: Date): ReturnVerdict {
  const deadline = returnDeadline(facts.showing.startTime, facts.returnHoursBefore);
  const refuse = (refusal: DomainError): ReturnVerdict => ({ allowed: false, deadline, refusal });
  if (facts.ownerId !== userId) {
    if (facts.showing.cancelledAt && facts.leftAskersOrder) {
      return refuse(new DomainError("SHOWING_CANCELLED", "This showing was cancelled and your ticket was already refunded."));
    }
    if (facts.leftAskersOrder) return refuse(new DomainError("ALREADY_REFUNDED", "This ticket was already returned or refunded."));
    if (facts.order?.buyerId === userId) {
      return refuse(
        new DomainError("RETURN_NOT_ALLOWED", "You gave this ticket to someone else, so you can no longer return it."),
      );
    }
    return refuse(notFound("Ticket"));
  }
  if (facts.showing.cancelledAt) {
    return refuse(new DomainError("SHOWING_CANCELLED", "This showing was cancelled; its tickets are refunded by the club."));
  }
  if (facts.exchangeListedAt) return refuse(exchangeListedRefusal());
  if (!facts.order) return refuse(new DomainError("RETURN_NOT_ALLOWED", "Complimentary tickets cannot be returned."));
  if (facts.order.buyerId !== userId) {
    return refuse(
      new DomainError("RETURN_NOT_ALLOWED", "Only the person who bought a ticket can return it; this one was transferred to you."),
    );
  }
  if (facts.attended) {
    return refuse(new DomainError("TICKET_CHECKED_IN", "This ticket was already used at the door, so it cannot be returned."));
  }
  if (deadline === null) return refuse(new DomainError("RETURN_NOT_ALLOWED", "Tickets of this type cannot be returned."));
  if (now >= deadline) {
    return refuse(
      new DomainError("RETURN_DEADLINE_PASSED", `Returns for this ticket closed on ${formatInZone(deadline, facts.showing.timeZone)}.`, {
        details: { deadline: deadline.toISOString() },
      }),
    );
  }
  return { allowed: true, deadline, refundAmount: facts.order.amountPaid.minus(facts.order.refundedAmount) };
}

/** What the ticket page shows: whether the caller may return the ticket, until when, and what they get back. */
export interface ReturnQuote {
  ticketId: string;
  allowed: boolean;
  /** When returns close for this ticket; null when its type takes no returns. */
  deadline: Date | null;
  /** What goes back to the card ("0.00" for a free ticket). */
  refundAmount: string;
  /** How the money goes back: through CyberSource by itself, or by the club by hand. */
  refundMode: "automatic" | "manual";
  /** Why not, in words, when not allowed. */
  reason: string | null;
  code: string | null;
}

export interface ReturnResult {
  ticketId: string;
  refund: { id: string; amount: string; status: RefundStatus } | null;
  refundMode: "automatic" | "manual";
}

/**
 * Students return tickets they bought: a paid one is refunded in full (requestRefund, the seat back on sale), a free
 * one released. Refused with a clear code otherwise (see `returnVerdict`).
 */
export class Returns {
  constructor(
    private readonly deps: DomainDeps,
    private readonly refunds: Refunds,
  ) {}

  async quote(actor: UserActor, ticketId: string): Promise<ReturnQuote> {
    const facts = await readReturnFacts(this.deps.prisma, ticketId, actor.userId, this.deps.siteTimeZone);
    const verdict = returnVerdict(facts, actor.userId, this.deps.clock.now());
    if (!verdict.allowed && verdict.refusal.code === "NOT_FOUND") throw verdict.refusal;
    return {
      ticketId,
      allowed: verdict.allowed,
      deadline: verdict.deadline,
      refundAmount: formatMoney(verdict.allowed ? verdict.refundAmount : ownShare(facts)),
      refundMode: this.refunds.mode,
      reason: verdict.allowed ? null : verdict.refusal.message,
      code: verdict.allowed ? null : verdict.refusal.code,
    };
  }

  async returnTicket(actor: UserActor, ticketId: string): Promise<ReturnResult> {
    const outcome = await this.deps.prisma.$transaction(async (tx) => {
      const orderId = await lockTicketAndOrder(tx, ticketId);
      const facts = await readReturnFacts(tx, ticketId, actor.userId, this.deps.siteTimeZone);
      const verdict = returnVerdict(facts, actor.userId, this.deps.clock.now());
      if (!verdict.allowed) throw verdict.refusal;
      if (!orderId) throw new Error("a returnable ticket has an order");
      const clubId = await clubOfTicket(tx, ticketId);
      return requestRefund(tx, this.refunds.requestDeps, {
        orderId,
        ticketIds: [ticketId],
        clubId,
        amount: "full",
        reason: "Returned by the buyer.",
        // The same ticket can be bought again later by someone else: the key names the order it left.
        idempotencyKey: `return:${orderId}:${ticketId}`,
        requestedById: null,
        returnToSale: true,
        voidReason: "returned",
      });
    }, RETURN_TRANSACTION);
    await this.refunds.sendSoon([outcome]);
    if (!outcome.replayed) await this.refunds.seatsBackOnSale([ticketId]);
    return {
      ticketId,
      refund: outcome.refund
        ? { id: outcome.refund.id, amount: formatMoney(outcome.refund.amount), status: outcome.refund.status }
        : null,
      refundMode: this.refunds.mode,
    };
  }
}

function ownShare(facts: ReturnFacts): Prisma.Decimal {
  return facts.order ? facts.order.amountPaid.minus(facts.order.refundedAmount) : new Prisma.Decimal(0);
}

/**
 * Locks the order the ticket is in (the lock every refund, return and cancellation of an order takes first), then the
 * ticket. Returns the order id; null for a ticket in no order. A cancellation or another return that got there first
 * has voided the order ticket by the time we hold the lock, and the facts read next show it.
 */
async function lockTicketAndOrder(tx: Tx, ticketId: string): Promise<string | null> {
  const current = await tx.orderTicket.findFirst({ where: { ticketId, voidedAt: null }, select: { orderId: true } });
  if (current) await tx.$queryRaw`SELECT id FROM "Order" WHERE id = ${current.orderId}::uuid FOR UPDATE`;
  await tx.$queryRaw`SELECT id FROM "Ticket" WHERE id = ${ticketId}::uuid FOR UPDATE`;
  return current?.orderId ?? null;
}

async function clubOfTicket(tx: Tx, ticketId: string): Promise<number> {
  const ticket = await tx.ticket.findUniqueOrThrow({
    where: { id: ticketId },
    select: { showing: { select: { event: { select: { clubId: true } } } } },
  });
  return ticket.showing.event.clubId;
}

async function readReturnFacts(db: Tx, ticketId: string, userId: string, siteTimeZone: string | undefined): Promise<ReturnFacts> {
  const ticket = await db.ticket.findUnique({
    where: { id: ticketId },
    select: {
      ownerId: true,
      attended: true,
      exchangeListedAt: true,
      returnHoursBefore: true,
      showing: { select: { startTime: true, cancelledAt: true, event: { select: { club: { select: { timeZone: true } } } } } },
      orderTickets: {
        select: {
          amountPaid: true,
          refundedAmount: true,
          voidedAt: true,
          order: { select: { userId: true } },
        },
      },
    },
  });
  if (!ticket) throw notFound("Ticket");
  const current = ticket.orderTickets.find((ot) => ot.voidedAt === null);
  return {
    ownerId: ticket.ownerId,
    attended: ticket.attended,
    exchangeListedAt: ticket.exchangeListedAt,
    returnHoursBefore: ticket.returnHoursBefore,
    showing: {
      startTime: ticket.showing.startTime,
      cancelledAt: ticket.showing.cancelledAt,
      timeZone: zoneOfClub(ticket.showing.event.club.timeZone, siteTimeZone),
    },
    order: current
      ? { buyerId: current.order.userId, amountPaid: current.amountPaid, refundedAmount: current.refundedAmount }
      : null,
    leftAskersOrder: ticket.orderTickets.some((ot) => ot.voidedAt !== null && ot.order.userId === userId),
  };
}
