import { Prisma } from "@admit/db";
import type { UserActor } from "../actor.ts";
import { sellableSql } from "../availability.ts";
import type { DomainDeps } from "../deps.ts";
import { DomainError } from "../errors.ts";
import { renderEmail } from "../mail/layout.ts";
import { enqueueMail, type OutgoingMessage } from "../mail/outbox.ts";
import { formatShowingTime } from "../orders/showing-time.ts";
import { Roles } from "../roles.ts";
import { zoneOfClub } from "../time-zone.ts";
import { managedShowing, requireActiveClub, type ManagedShowing } from "./access.ts";

export interface IssueRequest {
  showingId: number;
  tickets: Array<{ username: string; type: string; count: number }>;
}

export interface IssuedTicket {
  ticketId: string;
  username: string;
  type: string;
}

export interface CatalogOptions {
  /** The origin e-mail links point at, e.g. https://tickets.example.edu. */
  publicUrl: string;
}

interface Recipient {
  id: string;
  username: string;
  fullName: string;
  email: string;
}

const sorted = (values: Iterable<string>) => [...new Set(values)].sort();

/**
 * Complimentary tickets: officers hand tickets of a showing to named people. The drop time, the end time, the order
 * limit and `buyable` do not apply (reserved tickets are meant for this). All lines are issued or none.
 */
export class TicketIssuing {
  private readonly roles: Roles;

  constructor(
    private readonly deps: DomainDeps,
    private readonly options: CatalogOptions,
  ) {
    this.roles = new Roles(deps);
  }

  async issue(actor: UserActor, request: IssueRequest): Promise<{ issued: IssuedTicket[] }> {
    const showing = await managedShowing(this.deps.prisma, this.roles, actor, request.showingId);
    requireActiveClub(showing.event.club);
    const lines = request.tickets.map((t) => ({ ...t, username: t.username.trim().toLowerCase() }));
    const recipients = await this.deps.prisma.user.findMany({
      where: { username: { in: sorted(lines.map((l) => l.username)), mode: "insensitive" } },
      select: { id: true, username: true, fullName: true, email: true },
    });
    const byUsername = new Map(recipients.map((u) => [u.username.toLowerCase(), u]));
    const knownTypes = new Set(
      (
        await this.deps.prisma.ticket.findMany({ where: { showingId: showing.id }, distinct: ["type"], select: { type: true } })
      ).map((t) => t.type),
    );
    const unknownUsernames = sorted(
      request.tickets.filter((_, i) => !byUsername.has(lines[i]!.username)).map((t) => t.username.trim()),
    );
    const unknownTypes = sorted(lines.filter((l) => !knownTypes.has(l.type)).map((l) => l.type));
    if (unknownUsernames.length || unknownTypes.length) {
      const parts = [
        ...(unknownUsernames.length ? [`No account has the username ${unknownUsernames.join(", ")}.`] : []),
        ...(unknownTypes.length ? [`This showing has no ticket type ${unknownTypes.join(", ")}.`] : []),
      ];
      throw new DomainError("VALIDATION_FAILED", `${parts.join(" ")} No tickets were issued.`, {
        details: { unknownUsernames, unknownTypes },
      });
    }

    const wanted = new Map<string, number>();
    for (const line of lines) wanted.set(line.type, (wanted.get(line.type) ?? 0) + line.count);

    return this.deps.prisma.$transaction(async (tx) => {
      const now = this.deps.clock.now();
      const claimed = new Map<string, string[]>();
      for (const [type, count] of wanted) {
        claimed.set(type, await claimForIssue(tx, showing.id, type, count, now));
      }
      const issued: IssuedTicket[] = [];
      const perRecipient = new Map<string, { recipient: Recipient; tickets: Array<{ id: string; type: string }> }>();
      for (const line of lines) {
        const recipient = byUsername.get(line.username)!;
        const ids = claimed.get(line.type)!.splice(0, line.count);
        const { count } = await tx.ticket.updateMany({
          where: { id: { in: ids }, ownerId: null },
          data: {
            ownerId: recipient.id,
            complimentary: true,
            amountPaid: new Prisma.Decimal(0),
            holderId: null,
            holdExpiresAt: null,
            heldForPaymentId: null,
          },
        });
        if (count !== ids.length) throw new DomainError("CONFLICT", "Tickets changed while issuing. Nothing was issued; try again.");
        const entry = perRecipient.get(recipient.id) ?? { recipient, tickets: [] };
        for (const id of ids) {
          entry.tickets.push({ id, type: line.type });
          issued.push({ ticketId: id, username: recipient.username, type: line.type });
        }
        perRecipient.set(recipient.id, entry);
      }
      const allIds = issued.map((t) => t.ticketId);
      await tx.cartTicket.deleteMany({ where: { ticketId: { in: allIds } } });
      await enqueueMail(
        tx,
        [...perRecipient.values()].map(({ recipient, tickets }) => this.confirmation(showing, recipient, tickets)),
      );
      return { issued };
    });
  }

  private confirmation(showing: ManagedShowing, to: Recipient, tickets: Array<{ id: string; type: string }>): OutgoingMessage {
    const event = showing.event.name;
    const link = (id: string) => `${this.options.publicUrl}/tickets/${id}`;
    const noun = tickets.length === 1 ? "a ticket" : `${tickets.length} tickets`;
    const { text, html } = renderEmail({
      title: `Your ${tickets.length === 1 ? "ticket" : "tickets"} to ${event}`,
      paragraphs: [
        `Hi ${to.fullName}, ${showing.event.club.name} has given you ${noun} to ${event}, free of charge.`,
        `When: ${formatShowingTime(showing.startTime, showing.endTime, zoneOfClub(showing.event.club.timeZone, this.deps.siteTimeZone))}`,
        ...(showing.location ? [`Where: ${showing.location}`] : []),
        ...tickets.map((t) => `${t.type} ticket: ${link(t.id)}`),
        "Show the QR code at the door. It is yours alone: do not share it.",
      ],
      images: tickets.map((t) => ({ cid: `qr-${t.id}`, alt: `QR code for ticket ${t.id}`, caption: `${t.type} ticket ${t.id}` })),
      action: { label: tickets.length === 1 ? "View your ticket" : "View your tickets", url: link(tickets[0]!.id) },
    });
    return {
      to: to.email,
      subject: `Your ${tickets.length === 1 ? "ticket" : "tickets"} to ${event}`,
      text,
      html,
      attachments: tickets.map((t) => ({ filename: `ticket-${t.id}.png`, qrTicketId: t.id, cid: `qr-${t.id}` })),
      dedupeKey: `issued:${to.id}:${tickets[0]!.id}`,
    };
  }
}

/**
 * Claims `count` tickets of a type that can be handed out (availability.ts, `complimentary`: reserved ones too, no
 * sale window), reserved (not buyable) ones first. SKIP LOCKED: a checkout holding a row right now is never waited
 * for or overridden.
 */
async function claimForIssue(tx: Prisma.TransactionClient, showingId: number, type: string, count: number, now: Date) {
  const rows = await tx.$queryRaw<Array<{ id: string }>>`
    SELECT t.id::text AS id FROM "Ticket" t
    WHERE t."showingId" = ${showingId} AND t."type" = ${type} AND ${sellableSql({ now, purpose: "complimentary" })}
    ORDER BY t."buyable" ASC, (t."holderId" IS NULL) DESC, t."createdAt", t.id
    LIMIT ${count}
    FOR UPDATE SKIP LOCKED`;
  if (rows.length < count) {
    throw new DomainError(
      "NOT_ENOUGH_TICKETS",
      `Not enough "${type}" tickets are left: ${count} asked, ${rows.length} free. No tickets were issued.`,
      { details: { type, requested: count, available: rows.length } },
    );
  }
  return rows.map((r) => r.id);
}
