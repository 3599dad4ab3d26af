import type { Prisma } from "@admit/db";
import type { UserActor } from "../actor.ts";
import type { DomainDeps } from "../deps.ts";
import { appendCheckIn } from "../door/check-in-log.ts";
import { DomainError, notFound } from "../errors.ts";
import type { Roles } from "../roles.ts";
import { renderQrPng } from "./qr-image.ts";
import type { QrKeys } from "./qr-keys.ts";
import { ticketViewSelect, toTicketView, type TicketRow, type TicketView } from "./serialize.ts";
import { isUuid } from "../ids.ts";

/** A ticket id that cannot exist is simply not found (and never reaches the database as a bad uuid). */
export function requireTicketId(id: string): string {
  if (!isUuid(id)) throw notFound("Ticket");
  return id.toLowerCase();
}

/**
 * Locks the ticket's row, then reads `select` under the lock (null when there is no such ticket). A checkout's claim,
 * a payment's settlement, a transfer and the exchange take the same row lock, so what is read cannot change before
 * the caller's transaction ends.
 */
export async function lockedTicket<S extends Prisma.TicketSelect>(
  tx: Prisma.TransactionClient,
  id: string,
  select: S,
): Promise<Prisma.TicketGetPayload<{ select: S }> | null> {
  await tx.$queryRaw`SELECT id FROM "Ticket" WHERE id = ${id}::uuid FOR UPDATE`;
  return tx.ticket.findUnique({ where: { id }, select });
}

/**
 * People's tickets: their own list and QR codes, and officers' view and attendance marks. Anyone who may not see a
 * ticket gets NOT_FOUND rather than FORBIDDEN, so ticket ids cannot be probed.
 */
export class Tickets {
  constructor(
    private readonly deps: DomainDeps,
    private readonly roles: Roles,
    private readonly qrKeys: QrKeys,
  ) {}

  async listMine(actor: UserActor): Promise<TicketView[]> {
    const rows = await this.deps.prisma.ticket.findMany({
      where: { ownerId: actor.userId },
      select: ticketViewSelect,
      orderBy: [{ showing: { startTime: "asc" } }, { showingId: "asc" }, { type: "asc" }, { id: "asc" }],
    });
    return rows.map((row) => toTicketView(row, this.deps.siteTimeZone));
  }

  private async find(id: string): Promise<TicketRow | null> {
    return this.deps.prisma.ticket.findUnique({ where: { id: requireTicketId(id) }, select: ticketViewSelect });
  }

  private async isOfficerFor(actor: UserActor, ticket: TicketRow): Promise<boolean> {
    return this.roles.canManageClub(actor, ticket.showing.event.club.id);
  }

  /** The owner, or an owner or officer of the event's club (site admins manage every club). */
  async get(actor: UserActor, id: string): Promise<TicketView> {
    const ticket = await this.find(id);
    if (!ticket) throw notFound("Ticket");
    if (ticket.ownerId !== actor.userId && !(await this.isOfficerFor(actor, ticket))) throw notFound("Ticket");
    return toTicketView(ticket, this.deps.siteTimeZone);
  }

  /**
   * Officers mark a ticket attended or not. The change goes into the check-in log with who made it and when, and
   * the ticket's attended fields are recomputed from that log, so door scans and manual marks never disagree.
   */
  async setAttended(actor: UserActor, id: string, attended: boolean): Promise<TicketView> {
    const ticket = await this.find(id);
    if (!ticket || !(await this.isOfficerFor(actor, ticket))) throw notFound("Ticket");
    if (!ticket.ownerId) {
      throw new DomainError("CONFLICT", "Nobody holds this ticket yet, so it cannot be marked as attended.");
    }
    const updated = await this.deps.prisma.$transaction(async (tx) => {
      await appendCheckIn(tx, {
        ticketId: ticket.id,
        showingId: ticket.showing.id,
        action: attended ? "MARK_ATTENDED" : "MARK_NOT_ATTENDED",
        occurredAt: this.deps.clock.now(),
        actorUserId: actor.userId,
      });
      return tx.ticket.findUniqueOrThrow({ where: { id: ticket.id }, select: ticketViewSelect });
    });
    return toTicketView(updated, this.deps.siteTimeZone);
  }

  /**
   * The text of a ticket's QR code at its current generation. Ownership and generation are read in one query, so a
   * transfer landing in between yields the old (already refused) generation, never the new owner's code.
   */
  async qrCode(ticketId: string, where: { ownerId?: string; ownerEmail?: string } = {}): Promise<string> {
    const ticket = await this.deps.prisma.ticket.findUnique({
      where: { id: requireTicketId(ticketId) },
      select: { id: true, showingId: true, qrGeneration: true, ownerId: true, owner: { select: { email: true } } },
    });
    if (!ticket) throw notFound("Ticket");
    if (where.ownerId !== undefined && ticket.ownerId !== where.ownerId) throw notFound("Ticket");
    if (where.ownerEmail !== undefined && ticket.owner?.email.toLowerCase() !== where.ownerEmail.toLowerCase()) {
      throw new DomainError("CONFLICT", "This ticket has changed hands since the message was written.");
    }
    return this.qrKeys.sign({ ticketId: ticket.id, showingId: ticket.showingId, generation: ticket.qrGeneration });
  }

  /**
   * A ticket's current QR code as a PNG, for e-mails (the mail sender's `renderQr`). Give `ownerEmail` (the
   * message's recipient) and the code is refused once the ticket belongs to someone else, so a message still
   * waiting in the outbox never carries the next owner's working code.
   */
  async qrPng(ticketId: string, expected: { ownerEmail?: string } = {}): Promise<Buffer> {
    return renderQrPng(await this.qrCode(ticketId, expected));
  }

  /** The owner's own QR code; nobody else's (officers included). */
  async ownQrPng(actor: UserActor, ticketId: string): Promise<Buffer> {
    return renderQrPng(await this.qrCode(ticketId, { ownerId: actor.userId }));
  }
}
