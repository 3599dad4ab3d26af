import type { Prisma } from "@admit/db";
import type { UserActor } from "../actor.ts";
import type { DomainDeps } from "../deps.ts";
import { DomainError, notFound } from "../errors.ts";
import { isInline, parseAttachments } from "./attachments.ts";
import { isUuid } from "../ids.ts";

/** Where the server serves a kept attachment; the preview HTML points its `cid:` images here. */
export function mailboxAttachmentPath(messageId: string, index: number): string {
  return `/api/dev/mailbox/${messageId}/attachments/${index}`;
}

export interface MailboxSummary {
  id: string;
  to: string;
  subject: string;
  sentAt: Date;
  attachmentCount: number;
}

export interface MailboxAttachmentInfo {
  index: number;
  filename: string;
  contentType: string;
  cid: string | null;
  path: string;
}

export interface MailboxMessage extends MailboxSummary {
  text: string;
  html: string | null;
  /** The HTML with its `cid:` images pointing at `path` of the matching attachment, for showing in a browser. */
  previewHtml: string | null;
  attachments: MailboxAttachmentInfo[];
}


/**
 * The development mailbox: with no SMTP server configured, the sender delivers into the outbox rows themselves
 * (status SENT, attachments kept as sent), and this reads them back. People see mail addressed to their own
 * e-mail address; site administrators see everyone's. Off (NOT_FOUND) when SMTP is configured.
 */
export class Mailbox {
  constructor(
    private readonly deps: DomainDeps,
    private readonly enabled: boolean,
  ) {}

  async list(actor: UserActor, options: { limit?: number } = {}): Promise<MailboxSummary[]> {
    this.requireEnabled();
    const rows = await this.deps.prisma.outgoingEmail.findMany({
      where: this.visibleTo(actor),
      select: { id: true, toAddress: true, subject: true, sentAt: true, attachments: true },
      orderBy: [{ sentAt: "desc" }, { id: "asc" }],
      take: Math.min(Math.max(options.limit ?? 50, 1), 200),
    });
    return rows.map((row) => ({
      id: row.id,
      to: row.toAddress,
      subject: row.subject,
      sentAt: row.sentAt ?? new Date(0),
      attachmentCount: Array.isArray(row.attachments) ? row.attachments.length : 0,
    }));
  }

  async get(actor: UserActor, id: string): Promise<MailboxMessage> {
    const row = await this.find(actor, id);
    const attachments = parseAttachments(row.attachments).map((a, index) => ({
      index,
      filename: a.filename,
      contentType: isInline(a) ? a.contentType : "image/png",
      cid: a.cid ?? null,
      path: mailboxAttachmentPath(row.id, index),
    }));
    return {
      id: row.id,
      to: row.toAddress,
      subject: row.subject,
      sentAt: row.sentAt ?? new Date(0),
      attachmentCount: attachments.length,
      text: row.text,
      html: row.html,
      previewHtml: row.html === null ? null : pointImagesAtAttachments(row.html, attachments),
      attachments,
    };
  }

  async attachment(actor: UserActor, id: string, index: number) {
    const row = await this.find(actor, id);
    const attachment = parseAttachments(row.attachments)[index];
    if (!attachment) throw notFound("Attachment");
    if (!isInline(attachment)) throw new DomainError("NOT_FOUND", "This attachment was not kept when the message was sent.");
    return {
      filename: attachment.filename,
      contentType: attachment.contentType,
      content: Buffer.from(attachment.contentBase64, "base64"),
    };
  }

  private async find(actor: UserActor, id: string) {
    this.requireEnabled();
    const row = isUuid(id)
      ? await this.deps.prisma.outgoingEmail.findFirst({ where: { AND: [{ id }, this.visibleTo(actor)] } })
      : null;
    if (!row) throw notFound("Message");
    return row;
  }

  private visibleTo(actor: UserActor): Prisma.OutgoingEmailWhereInput {
    const delivered: Prisma.OutgoingEmailWhereInput = { status: "SENT" };
    if (actor.isSiteAdmin) return delivered;
    return { ...delivered, toAddress: { equals: actor.email, mode: "insensitive" } };
  }

  private requireEnabled(): void {
    if (!this.enabled) {
      throw new DomainError("NOT_FOUND", "The development mailbox is off because SMTP is configured.");
    }
  }
}

function pointImagesAtAttachments(html: string, attachments: MailboxAttachmentInfo[]): string {
  const byCid = new Map(attachments.filter((a) => a.cid !== null).map((a) => [a.cid, a.path]));
  return html.replace(/(["'])cid:([^"']+)\1/g, (match, quote: string, cid: string) => {
    const path = byCid.get(cid);
    return path ? `${quote}${path}${quote}` : match;
  });
}
