import { z } from "zod";
import { dateTimeOut, idSchema, pathIdSchema } from "./common.ts";

/** One line of an add/remove request: how many tickets of a type. */
export const ticketQuantitySchema = z.object({
  type: z.string().trim().min(1, "Name the ticket type.").max(100, "Ticket types have at most 100 characters."),
  count: z
    .number({ message: "count must be a number" })
    .int("count must be a whole number")
    .positive("count must be at least 1")
    .max(1000, "count can be at most 1000"),
});

export const cartQuantitiesSchema = z.object({
  quantities: z
    .array(ticketQuantitySchema, { message: "quantities must be a list of {type, count}" })
    .min(1, "Choose at least one ticket.")
    .max(50, "At most 50 ticket types at once."),
});
export type CartQuantities = z.infer<typeof cartQuantitiesSchema>;

/** REST path parameters of the showing-scoped cart routes. */
export const showingPathSchema = z.object({
  eventId: pathIdSchema("eventId"),
  showingId: pathIdSchema("showingId"),
});

/** tRPC input of cart.add / cart.remove; eventId is optional and, when given, must be the showing's event. */
export const cartChangeInputSchema = cartQuantitiesSchema.extend({
  showingId: idSchema,
  eventId: idSchema.optional(),
});
export type CartChangeInput = z.infer<typeof cartChangeInputSchema>;

export const cartChangeResultSchema = z.object({
  success: z.literal(true),
  detail: z.string(),
  /** How many tickets were added or removed. */
  count: z.number().int(),
});

const moneyOut = z.string().regex(/^-?\d+\.\d{2}$/);

/** A ticket as the seed API shows it (TicketSerializer's fields, prices as "15.00"). */
export const cartTicketSchema = z.object({
  id: z.string(),
  type: z.string(),
  price: moneyOut,
  group_discount: z.string(),
  group_size: z.number().int().nullable(),
  transferable: z.boolean(),
  owner: z.string().nullable(),
  attended: z.boolean(),
  showing: z.object({
    id: z.number().int(),
    event: z.number().int(),
    start_time: dateTimeOut,
    end_time: dateTimeOut,
    location: z.string().nullable(),
    ticket_order_limit: z.number().int(),
    ticket_drop_time: dateTimeOut.nullable(),
  }),
  event: z.object({ id: z.number().int(), name: z.string(), club_code: z.string(), club_name: z.string() }),
});

/** What went stale in a cart and could not be replaced with another ticket of the same showing and type. */
export const soldOutEntrySchema = z.object({
  type: z.string(),
  showing: z.object({ id: z.number().int() }),
  event: z.object({ id: z.number().int(), name: z.string() }),
  count: z.number().int(),
});

/** A group discount as a buyer reads it: "buy 4 or more: 20% off, $12.00 each". */
export const groupQuoteSchema = z.object({
  size: z.number().int(),
  /** "20", "12.5": the percentage taken off each ticket of a group. */
  percentOff: z.string(),
  /** What each ticket of a group costs. */
  unitPrice: moneyOut,
});
export type GroupQuote = z.infer<typeof groupQuoteSchema>;

/** Picked tickets of one type, priced by the server (the browser does no arithmetic on money). */
export const pricedLineSchema = z.object({
  type: z.string(),
  count: z.number().int(),
  /** The face value of one ticket. */
  listPrice: moneyOut,
  /** What one ticket costs here, after any group discount. */
  unitPrice: moneyOut,
  /** `unitPrice` times `count`. */
  amount: moneyOut,
  /** What the group discount takes off the line ("0.00" without one). */
  discount: moneyOut,
  quote: groupQuoteSchema.nullable(),
});

/** cart.quote: what the picked tickets would cost, their group reached together with the cart's tickets. */
export const cartQuoteSchema = z.object({
  lines: z.array(pricedLineSchema),
  total: moneyOut,
  listTotal: moneyOut,
  discount: moneyOut,
});

/** One showing and type of a cart or order, priced (in the seed answers' style). */
export const orderLineSchema = z.object({
  showing_id: z.number().int(),
  type: z.string(),
  count: z.number().int(),
  list_price: moneyOut,
  unit_price: moneyOut,
  amount: moneyOut,
  discount: moneyOut,
  group_quote: z.object({ size: z.number().int(), percent_off: z.string(), unit_price: moneyOut }).nullable(),
});

/** The order limit of a showing counted for the caller: cart and bought tickets count, complimentary ones do not. */
export const cartAllowanceSchema = z.object({
  showing_id: z.number().int(),
  limit: z.number().int(),
  in_cart: z.number().int(),
  owned: z.number().int(),
  /** How many more the caller may add. */
  remaining: z.number().int(),
});

const pricedOrder = {
  /** One line per showing and type, with its group discount. */
  lines: z.array(orderLineSchema),
  /** The face value of every ticket; `list_total - discount = total`. */
  list_total: moneyOut,
  discount: moneyOut,
};

export const cartSchema = z.object({
  tickets: z.array(cartTicketSchema),
  sold_out: z.array(soldOutEntrySchema),
  /** What checkout would charge now, group discounts included. */
  total: moneyOut,
  /** When a pending checkout's hold on these tickets ends; null when no checkout is pending. */
  hold_expires_at: dateTimeOut.nullable(),
  ...pricedOrder,
  allowances: z.array(cartAllowanceSchema),
});

export const checkoutResultSchema = z.object({
  success: z.literal(true),
  detail: z.string(),
  sold_free_tickets: z.boolean(),
  /** Where the browser posts `payment_params` (paid carts only). */
  cybersource_url: z.string().optional(),
  payment_params: z.record(z.string(), z.string()).optional(),
  total: moneyOut,
  hold_expires_at: dateTimeOut.nullable(),
  /** The order a free cart became (see GET /api/orders/{id}/); null for a paid cart until its payment is accepted. */
  order_id: z.string().nullable(),
  ...pricedOrder,
});
