import { z } from "zod";
import { idSchema } from "./common.ts";

/** A club's code in a REST path (/api/clubs/{code}/finance/). */
export const clubCodeParams = z.object({ code: z.string().trim().min(1, "Give the club's code.").max(60, "Club codes are at most 60 characters.") });

const money = z.string().regex(/^-?\d+\.\d{2}$/);

export const financeFiguresSchema = z.object({
  sales: money,
  /** Refunds that went back to the buyer. */
  refunded: money,
  /** sales - refunded. */
  net: money,
  /** Refunds asked for and not yet done: being sent automatically, or waiting for the club in the Business Center. */
  owed: money,
  orders: z.number().int().nonnegative(),
  tickets: z.number().int().nonnegative(),
});

export const financeReportSchema = z.object({
  club: z.object({ id: idSchema, code: z.string(), name: z.string() }),
  /** The club's IANA zone; months and days are calendar months and days in it. */
  timeZone: z.string(),
  currency: z.string(),
  totals: financeFiguresSchema,
  months: z.array(financeFiguresSchema.extend({ month: z.string().regex(/^\d{4}-\d{2}$/) })),
  events: z.array(financeFiguresSchema.extend({ eventId: idSchema, eventName: z.string() })),
  days: z.array(z.object({ day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), sales: money, refunded: money })),
});
export type FinanceReport = z.output<typeof financeReportSchema>;

export const ledgerEntrySchema = z.object({
  at: z.string(),
  kind: z.enum(["sale", "refund"]),
  transactionId: z.string().nullable(),
  reference: z.string(),
  event: z.string(),
  showing: z.string(),
  amount: money,
  paymentTotal: money,
  currency: z.string(),
  buyerName: z.string(),
  buyerEmail: z.string(),
  status: z.string(),
  refundProcessorId: z.string().nullable(),
  refundId: z.string().nullable(),
});
export type LedgerEntry = z.output<typeof ledgerEntrySchema>;

export const financeLedgerSchema = z.object({
  club: z.object({ id: idSchema, code: z.string(), name: z.string() }),
  timeZone: z.string(),
  entries: z.array(ledgerEntrySchema),
});
