import { z } from "zod";
import { dateTimeOut, uuidSchema } from "./common.ts";

export const mailboxListInputSchema = z
  .object({ limit: z.number().int().min(1).max(200).optional() })
  .optional();

export const mailboxMessageIdSchema = z.object({ id: uuidSchema });

/** GET /api/dev/mailbox/:id/attachments/:index */
export const mailboxAttachmentParamsSchema = z.object({
  id: uuidSchema,
  index: z.coerce.number().int().min(0).max(1000),
});

export const mailboxSummarySchema = z.object({
  id: z.string(),
  to: z.string(),
  subject: z.string(),
  sentAt: dateTimeOut,
  attachmentCount: z.number().int(),
});

export const mailboxMessageSchema = mailboxSummarySchema.extend({
  text: z.string(),
  html: z.string().nullable(),
  /** The HTML with `cid:` images pointing at the attachments' paths, ready to show in a sandboxed frame. */
  previewHtml: z.string().nullable(),
  attachments: z.array(
    z.object({
      index: z.number().int(),
      filename: z.string(),
      contentType: z.string(),
      cid: z.string().nullable(),
      /** GET it (signed in) for the bytes. */
      path: z.string(),
    }),
  ),
});
