import type { UserActor } from "../actor.ts";
import type { DomainDeps } from "../deps.ts";
import { renderEmail } from "../mail/layout.ts";
import { enqueueMail } from "../mail/outbox.ts";
import { formatShowingTime } from "../orders/showing-time.ts";
import { Roles } from "../roles.ts";
import { zoneOfClub } from "../time-zone.ts";
import { managedShowing } from "./access.ts";
import type { CatalogOptions } from "./issue.ts";

/**
 * Officers write to everyone holding a ticket for a showing. Each holder gets a message of their own, addressed to
 * them alone, so nobody learns who else is going. Only confirmed addresses are written to: anyone can sign up with
 * any address, and a blast must not become a way to mail strangers. The officer is told how many were skipped.
 * (Receipts, transfers and complimentary tickets still go to unconfirmed addresses: they carry the tickets.)
 */
export class EmailBlasts {
  private readonly roles: Roles;

  constructor(
    private readonly deps: DomainDeps,
    private readonly options: CatalogOptions,
  ) {
    this.roles = new Roles(deps);
  }

  async send(
    actor: UserActor,
    input: { showingId: number; message: string },
  ): Promise<{ recipients: number; skippedUnverified: number }> {
    const showing = await managedShowing(this.deps.prisma, this.roles, actor, input.showingId);
    const holders = await this.deps.prisma.user.findMany({
      where: { ownedTickets: { some: { showingId: showing.id } } },
      select: { email: true, fullName: true, emailVerified: true },
      orderBy: { id: "asc" },
    });
    const owners = holders.filter((holder) => holder.emailVerified);
    const event = showing.event.name;
    const club = showing.event.club.name;
    const subject = `Update on ${event} from ${club}`;
    const paragraphs = input.message.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
    const messages = owners.map((owner) => {
      const { text, html } = renderEmail({
        title: subject,
        paragraphs: [
          `Hi ${owner.fullName},`,
          ...paragraphs,
          `You are getting this because you have a ticket for ${event} (${formatShowingTime(showing.startTime, showing.endTime, zoneOfClub(showing.event.club.timeZone, this.deps.siteTimeZone))}).`,
        ],
      });
      return { to: owner.email, subject, text, html };
    });
    await this.deps.prisma.$transaction((tx) => enqueueMail(tx, messages));
    return { recipients: messages.length, skippedUnverified: holders.length - owners.length };
  }
}
