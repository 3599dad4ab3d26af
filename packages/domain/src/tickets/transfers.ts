import type { UserActor } from "../actor.ts";
import type { DomainDeps } from "../deps.ts";
import { DomainError, notFound } from "../errors.ts";
import { enqueueMail } from "../mail/outbox.ts";
import { zoneOfClub } from "../time-zone.ts";
import { transferMessages } from "./transfer-emails.ts";
import { exchangeListedRefusal } from "../exchange/rules.ts";
import { lockedTicket, requireTicketId } from "./tickets.ts";

export const TRANSFER_DONE = "Successfully transferred ownership of ticket";

function refuse(message: string): DomainError {
  return new DomainError("TRANSFER_NOT_ALLOWED", message);
}

const personSelect = { id: true, username: true, fullName: true, email: true } as const;

export interface TransferView {
  id: number;
  ticketId: string;
  direction: "sent" | "received";
  counterpart: { username: string; fullName: string } | null;
  event: { id: number; name: string };
  showing: { id: number; startTime: Date };
  type: string;
  createdAt: Date;
}

export interface TransferDone {
  detail: string;
  transferId: number;
  ticketId: string;
  /** The username the ticket now belongs to. */
  receiver: string;
}

/** Handing a ticket to another account, and the history of those hand-overs. */
export class TicketTransfers {
  constructor(private readonly deps: DomainDeps) {}

  /**
   * Gives the caller's ticket to the account named `username`. The ticket row is locked and ownership re-read under
   * the lock, so of several simultaneous transfers exactly one succeeds. The QR generation goes up, which makes
   * every code the sender saved stop working at the door.
   */
  async transfer(actor: UserActor, ticketId: string, username: string): Promise<TransferDone> {
    const id = requireTicketId(ticketId);
    const name = username.trim();
    const now = this.deps.clock.now();
    return this.deps.prisma.$transaction(
      async (tx) => {
        const ticket = await lockedTicket(tx, id, {
          id: true,
          type: true,
          ownerId: true,
          transferable: true,
          attended: true,
          exchangeListedAt: true,
          qrGeneration: true,
          owner: { select: personSelect },
          showing: {
            select: {
              startTime: true,
              endTime: true,
              location: true,
              event: { select: { name: true, club: { select: { timeZone: true } } } },
            },
          },
        });
        if (!ticket?.owner || ticket.ownerId !== actor.userId) throw notFound("Ticket");
        const receiver = await tx.user.findFirst({
          where: { OR: [{ username: name }, { username: name.toLowerCase() }] },
          select: personSelect,
        });
        if (!receiver) throw new DomainError("NOT_FOUND", `Nobody has the username "${name}".`);
        if (!ticket.transferable) throw refuse("This ticket cannot be transferred.");
        if (receiver.id === actor.userId) throw refuse("You cannot transfer a ticket to yourself.");
        if (ticket.attended) throw refuse("This ticket was already used at the door, so it cannot be transferred.");
        if (ticket.exchangeListedAt) throw exchangeListedRefusal();
        if (ticket.showing.endTime <= now) throw refuse("This showing has already ended, so its tickets cannot be transferred.");

        const generation = ticket.qrGeneration + 1;
        await tx.ticket.update({ where: { id }, data: { ownerId: receiver.id, qrGeneration: generation } });
        const record = await tx.transferRecord.create({
          data: { ticketId: id, senderId: actor.userId, receiverId: receiver.id, qrGeneration: generation, createdAt: now },
          select: { id: true },
        });
        await enqueueMail(
          tx,
          transferMessages({
            transferId: record.id,
            ticketId: id,
            type: ticket.type,
            eventName: ticket.showing.event.name,
            start: ticket.showing.startTime,
            end: ticket.showing.endTime,
            location: ticket.showing.location,
            timeZone: zoneOfClub(ticket.showing.event.club.timeZone, this.deps.siteTimeZone),
            sender: ticket.owner,
            receiver,
          }),
        );
        return { detail: TRANSFER_DONE, transferId: record.id, ticketId: id, receiver: receiver.username };
      },
      // Many people may tap "transfer" on one ticket at once; they queue on the row lock instead of failing.
      { maxWait: 10_000, timeout: 15_000 },
    );
  }

  /** Transfers the caller sent or received, newest first. */
  async history(actor: UserActor): Promise<TransferView[]> {
    const rows = await this.deps.prisma.transferRecord.findMany({
      where: { OR: [{ senderId: actor.userId }, { receiverId: actor.userId }] },
      select: {
        id: true,
        ticketId: true,
        senderId: true,
        createdAt: true,
        sender: { select: { username: true, fullName: true } },
        receiver: { select: { username: true, fullName: true } },
        ticket: {
          select: { type: true, showing: { select: { id: true, startTime: true, event: { select: { id: true, name: true } } } } },
        },
      },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    });
    return rows.map((row) => {
      const sent = row.senderId === actor.userId;
      const other = sent ? row.receiver : row.sender;
      return {
        id: row.id,
        ticketId: row.ticketId,
        direction: sent ? "sent" : "received",
        counterpart: other ? { username: other.username, fullName: other.fullName } : null,
        event: { id: row.ticket.showing.event.id, name: row.ticket.showing.event.name },
        showing: { id: row.ticket.showing.id, startTime: row.ticket.showing.startTime },
        type: row.ticket.type,
        createdAt: row.createdAt,
      };
    });
  }
}
