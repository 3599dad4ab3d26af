import type { Prisma } from "@admit/db";
import type { UserActor } from "../actor.ts";
import type { DomainDeps } from "../deps.ts";
import { notFound } from "../errors.ts";
import { ticketViewSelect, toTicketView, type TicketView } from "../tickets/serialize.ts";
import { lockedTicket, requireTicketId } from "../tickets/tickets.ts";
import { requireListable, requireWithdrawable } from "./rules.ts";

type Tx = Prisma.TransactionClient;

/** Whoever hands freed tickets to people waiting for them (the waitlist), told after a ticket goes on offer. */
export interface FreedTicketsListener {
  offerFreed(showingIds: number[]): Promise<unknown>;
}

const EXCHANGE_TRANSACTION = { maxWait: 10_000, timeout: 15_000 };

/**
 * The face-value exchange, owner's side: offering a ticket (it becomes sellable at its list price through the
 * normal cart and checkout, availability.ts) and taking the offer back. The sale itself, the seller's refund and
 * the new QR generation happen in fulfilment (orders/fulfil.ts, exchange/resale.ts).
 */
export class Exchange {
  constructor(
    private readonly deps: DomainDeps,
    private readonly freed?: FreedTicketsListener,
  ) {}

  /** Offers the caller's ticket; offering it again changes nothing. Those waiting for the showing hear first. */
  async list(actor: UserActor, ticketId: string): Promise<TicketView> {
    const id = requireTicketId(ticketId);
    const now = this.deps.clock.now();
    const { view, listed } = await this.deps.prisma.$transaction(async (tx) => {
      const facts = await lockedFacts(tx, id);
      requireListable(facts, actor.userId, now);
      if (facts.exchangeListedAt) return { view: await readView(tx, id), listed: false };
      await tx.ticket.update({ where: { id }, data: { exchangeListedAt: now } });
      return { view: await readView(tx, id), listed: true };
    }, EXCHANGE_TRANSACTION);
    if (listed) await this.tellWaitlist(view.showing.id);
    return toTicketView(view, this.deps.siteTimeZone);
  }

  /** Takes the caller's offer back (refused while a buyer is paying for it); withdrawing again changes nothing. */
  async withdraw(actor: UserActor, ticketId: string): Promise<TicketView> {
    const id = requireTicketId(ticketId);
    const now = this.deps.clock.now();
    const view = await this.deps.prisma.$transaction(async (tx) => {
      const facts = await lockedFacts(tx, id);
      requireWithdrawable(facts, actor.userId, now);
      if (facts.exchangeListedAt) await tx.ticket.update({ where: { id }, data: { exchangeListedAt: null } });
      return readView(tx, id);
    }, EXCHANGE_TRANSACTION);
    return toTicketView(view, this.deps.siteTimeZone);
  }

  /** Best effort and outside the transaction: the waitlist's periodic job offers the ticket anyway. */
  private async tellWaitlist(showingId: number): Promise<void> {
    try {
      await this.freed?.offerFreed([showingId]);
    } catch {
      // The periodic offer job is the safety net.
    }
  }
}

/** The facts the rules read, under the ticket's row lock. */
async function lockedFacts(tx: Tx, id: string) {
  const ticket = await lockedTicket(tx, id, {
    ownerId: true,
    exchangeAllowed: true,
    exchangeListedAt: true,
    attended: true,
    voidedAt: true,
    holderId: true,
    holdExpiresAt: true,
    showing: { select: { endTime: true, cancelledAt: true } },
  });
  if (!ticket) throw notFound("Ticket");
  return ticket;
}

function readView(tx: Tx, id: string) {
  return tx.ticket.findUniqueOrThrow({ where: { id }, select: ticketViewSelect });
}
