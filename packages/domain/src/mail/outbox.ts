import type { Prisma, PrismaClient } from "@admit/db";

/** A file sent with a message. `qrTicketId` asks the sender to render that ticket's current QR code as a PNG. */
export type MailAttachment =
  | { filename: string; contentType: string; contentBase64: string; cid?: string }
  | { filename: string; qrTicketId: string; cid?: string };

export interface OutgoingMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  attachments?: MailAttachment[];
  /** Same key, same message: a retried or duplicated business event never mails twice. */
  dedupeKey?: string;
}

type Tx = Prisma.TransactionClient | PrismaClient;

/**
 * Queues messages in the same transaction as the change they report: if the order rolls back, no mail goes out;
 * if the mail server is down, the order still stands and the sender retries later.
 */
export async function enqueueMail(tx: Tx, messages: OutgoingMessage[]): Promise<void> {
  if (messages.length === 0) return;
  await tx.outgoingEmail.createMany({
    data: messages.map((m) => ({
      toAddress: m.to,
      subject: m.subject,
      text: m.text,
      html: m.html ?? null,
      attachments: m.attachments ?? [],
      dedupeKey: m.dedupeKey ?? null,
    })),
    skipDuplicates: true,
  });
}
