import { DomainError } from "../errors.ts";
import type { MailAttachment } from "./outbox.ts";

export interface ResolvedAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
  cid?: string;
}

type InlineAttachment = Extract<MailAttachment, { contentBase64: string }>;

function unreadable(): DomainError {
  return new DomainError("VALIDATION_FAILED", "This message has an attachment that cannot be read.");
}

/** The stored attachments JSON, checked item by item (it is written by code, but read back from the database). */
export function parseAttachments(value: unknown): MailAttachment[] {
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value)) throw unreadable();
  return value.map((item: unknown) => {
    if (typeof item !== "object" || item === null) throw unreadable();
    const a = item as Record<string, unknown>;
    if (typeof a.filename !== "string" || (a.cid !== undefined && typeof a.cid !== "string")) throw unreadable();
    const cid = a.cid === undefined ? {} : { cid: a.cid };
    if (typeof a.qrTicketId === "string") return { filename: a.filename, qrTicketId: a.qrTicketId, ...cid };
    if (typeof a.contentBase64 === "string" && typeof a.contentType === "string") {
      return { filename: a.filename, contentType: a.contentType, contentBase64: a.contentBase64, ...cid };
    }
    throw unreadable();
  });
}

export function isInline(attachment: MailAttachment): attachment is InlineAttachment {
  return "contentBase64" in attachment;
}

/** Turns stored attachments into bytes, rendering each `qrTicketId` as that ticket's QR code now. */
export async function resolveAttachments(
  value: unknown,
  renderQr: (ticketId: string) => Promise<Buffer>,
): Promise<ResolvedAttachment[]> {
  const resolved: ResolvedAttachment[] = [];
  for (const attachment of parseAttachments(value)) {
    const cid = attachment.cid === undefined ? {} : { cid: attachment.cid };
    if (isInline(attachment)) {
      resolved.push({
        filename: attachment.filename,
        contentType: attachment.contentType,
        content: Buffer.from(attachment.contentBase64, "base64"),
        ...cid,
      });
    } else {
      resolved.push({
        filename: attachment.filename,
        contentType: "image/png",
        content: await renderQr(attachment.qrTicketId),
        ...cid,
      });
    }
  }
  return resolved;
}
