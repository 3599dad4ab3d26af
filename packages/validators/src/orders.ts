import { z } from "zod";
import { dateTimeOut, idSchema } from "./common.ts";

const moneyOut = z.string().regex(/^-?\d+\.\d{2}$/).describe('Money as a decimal string, e.g. "15.00"');

const orderId = z.uuid({ message: "The order id must be a UUID." });

/** REST path parameters of /api/orders/{id}/. */
export const orderPathSchema = z.object({ id: orderId });

/** tRPC input naming one order. */
export const orderIdInputSchema = z.object({ id: orderId });

export const ORDER_PAGE_MAX = 100;

/** A page of the caller's orders: newest first, `before` the last order of the previous page. */
export const orderListInputSchema = z.object({
  limit: z.coerce
    .number({ message: "limit must be a number" })
    .int("limit must be a whole number")
    .min(1, "limit is at least 1.")
    .max(ORDER_PAGE_MAX, `limit is at most ${ORDER_PAGE_MAX}.`)
    .optional(),
  before: orderId.optional(),
});

export const orderStatusSchema = z
  .enum(["paid", "partly_refunded", "refunded", "cancelled"])
  .describe("paid: nothing refunded or voided; partly_refunded; refunded: every ticket voided and the money refunded or on its way; cancelled: a free order whose tickets were all returned or cancelled");

export const refundStateSchema = z
  .enum(["pending", "failing", "waiting_for_club", "refunded"])
  .describe("pending: on its way through the payment processor; failing: being retried; waiting_for_club: the club refunds it by hand; refunded: done");

const eventRef = z.object({ id: idSchema, name: z.string() });

export const orderSchema = z.object({
  id: z.string(),
  /** The payment's reference number, or the free order's own short reference. */
  reference: z.string(),
  created_at: dateTimeOut,
  status: orderStatusSchema,
  total: moneyOut,
  currency: z.string(),
  /** Every refund of the order, whatever its state. */
  refunded_total: moneyOut,
  buyer: z.object({ full_name: z.string(), email: z.string() }),
  /** The card payment; null for a free order. */
  payment: z.object({ reference_number: z.string(), transaction_id: z.string().nullable() }).nullable(),
  lines: z.array(
    z.object({
      event: eventRef,
      showing: z.object({ id: idSchema, start_time: dateTimeOut, end_time: dateTimeOut, location: z.string().nullable() }),
      type: z.string(),
      count: z.number().int().positive(),
      /** List price of one ticket. */
      unit_price: moneyOut,
      /** What the group discount took off the line. */
      discount: moneyOut,
      /** What was charged for the line. */
      amount: moneyOut,
    }),
  ),
  tickets: z.array(
    z.object({
      id: z.string(),
      event: eventRef,
      showing: z.object({ id: idSchema, start_time: dateTimeOut }),
      type: z.string(),
      amount_paid: moneyOut,
      refunded_amount: moneyOut,
      voided: z.boolean(),
      voided_at: dateTimeOut.nullable(),
      /** refunded, returned or cancelled. */
      void_reason: z.string().nullable(),
      /** Still the buyer's: not voided and not transferred away. */
      current: z.boolean(),
    }),
  ),
  refunds: z.array(
    z.object({
      id: z.string(),
      amount: moneyOut,
      state: refundStateSchema,
      reason: z.string(),
      created_at: dateTimeOut,
      completed_at: dateTimeOut.nullable(),
    }),
  ),
});
export type OrderResponse = z.output<typeof orderSchema>;
