import { z } from "zod";

/** How a checkout ended, as the storefront's result page (/checkout/result?outcome=...) shows it. */
export const paymentOutcomeSchema = z.enum(["paid", "declined", "cancelled", "error", "review", "expired", "refund"]);
export type PaymentOutcome = z.infer<typeof paymentOutcomeSchema>;

export const checkoutResultQuerySchema = z.object({
  outcome: paymentOutcomeSchema,
  reference: z.string().max(50).optional(),
});

/**
 * A CyberSource result as posted (form fields). A field sent twice arrives as a list; signature verification
 * refuses it, and the delivery is still recorded.
 */
export const paymentReplyFormSchema = z.record(z.string(), z.union([z.string(), z.array(z.string())]), {
  message: "Send the payment result as form fields.",
});

export const paymentNotificationResponseSchema = z.object({ ok: z.literal(true) });

/** The sandbox's hosted-page form: whatever fields the browser posts; the signature decides what counts. */
export const sandboxPayFormSchema = paymentReplyFormSchema;

export const sandboxDecisionSchema = z.enum(["pay", "decline", "cancel", "review", "error"]);

/** Test switches for the sandbox's server-to-server result (merchant POST). Development and tests only. */
export const sandboxControlSchema = z.object({
  /** before: sent and answered before the browser gets its page; after: sent once the page is out; held: waits for a release; drop: never sent. */
  merchantPost: z.enum(["before", "after", "held", "drop"]).default("before"),
  /** Extra wait before sending, in milliseconds. */
  delayMs: z.number().int().min(0).max(60_000).default(0),
  /** How many copies to send at once (duplicated deliveries). */
  copies: z.number().int().min(1).max(20).default(1),
});
export type SandboxControl = z.infer<typeof sandboxControlSchema>;

/** A payment an officer has to look at: held for review, or money owed back to a student. */
export const paymentAttentionSchema = z.object({
  id: z.string(),
  referenceNumber: z.string(),
  status: z.string(),
  statusReason: z.string().nullable(),
  amount: z.string(),
  currency: z.string(),
  buyerName: z.string(),
  buyerEmail: z.string(),
  decision: z.string().nullable(),
  reasonCode: z.string().nullable(),
  transactionId: z.string().nullable(),
  processedAt: z.date().transform((d) => d.toISOString()).nullable(),
  refundReference: z.string().nullable(),
  createdAt: z.date().transform((d) => d.toISOString()),
});
