import { z } from "zod";
import { idSchema, pathIdSchema } from "./common.ts";

/** Times arrive as ISO 8601 strings with a zone ("2026-03-01T19:00:00Z" or "...-05:00"). */
export const dateTimeIn = z
  .union([z.iso.datetime({ offset: true, message: "Give a date and time in ISO 8601 with a time zone." }), z.date()])
  .transform((value) => new Date(value));

/** Dollars and cents as a string ("15.00"); numbers are accepted too. Decimal(12,2): up to 9,999,999,999.99. */
export const priceIn = z
  .union([z.string(), z.number()])
  .transform((value) => String(value).trim())
  .pipe(
    z
      .string()
      .refine((v) => !v.startsWith("-"), "Prices cannot be negative.")
      .refine((v) => /^\d{1,10}(\.\d{1,2})?$/.test(v), "Give a price in dollars and cents, like 15.00."),
  );

/** A fraction from 0 to 1 ("0.2" is 20% off), at most four decimal places. */
export const discountIn = z
  .union([z.string(), z.number()])
  .transform((value) => String(value).trim())
  .pipe(
    z
      .string()
      .refine((v) => /^\d+(\.\d{1,4})?$/.test(v) || /^\.\d{1,4}$/.test(v), "Give the group discount as a fraction like 0.2.")
      .refine((v) => Number(v) >= 0 && Number(v) <= 1, "The group discount is a fraction from 0 to 1."),
  );

/** When a ticket type stops selling; null or left out: it sells until the showing ends. */
export const salesEndAtIn = dateTimeIn.nullable().optional();

/** The most hours before a showing a return deadline may lie: a year. */
export const MAX_RETURN_HOURS = 8760;

/** Returns allowed until this many hours before the showing starts (0: until it starts); null: no returns. */
export const returnHoursBeforeIn = z
  .number({ message: "Give the return deadline as a whole number of hours." })
  .int("Give the return deadline as a whole number of hours.")
  .min(0, "The return deadline cannot be after the showing starts.")
  .max(MAX_RETURN_HOURS, `The return deadline is at most ${MAX_RETURN_HOURS} hours before the showing.`)
  .nullable()
  .optional();

export const ticketTypeName = z
  .string()
  .trim()
  .min(1, "Give each ticket type a name.")
  .max(60, "Ticket type names have at most 60 characters.");

/** The most tickets one request may create, so a typo cannot fill the database. */
export const MAX_TICKETS_PER_REQUEST = 20_000;

const offeringFields = {
  type: ticketTypeName,
  count: z
    .number({ message: "Give the number of tickets as a whole number." })
    .int("Give the number of tickets as a whole number.")
    .positive("The number of tickets must be at least 1.")
    .max(MAX_TICKETS_PER_REQUEST, `At most ${MAX_TICKETS_PER_REQUEST} tickets at a time.`),
  price: priceIn,
  groupDiscount: discountIn.optional(),
  groupSize: z
    .number()
    .int("The group size is a whole number.")
    .gt(1, "A group has at least 2 tickets.")
    .max(1000)
    .optional(),
  transferable: z.boolean().default(true),
  buyable: z.boolean().default(true),
  salesEndAt: salesEndAtIn,
  returnHoursBefore: returnHoursBeforeIn,
  /** Holders may offer tickets of this type on the face-value exchange; false when left out. */
  exchangeAllowed: z.boolean().optional(),
};

function discountWithSize(
  item: { groupDiscount?: string | undefined; groupSize?: number | undefined },
  ctx: z.RefinementCtx,
) {
  if ((item.groupDiscount === undefined) !== (item.groupSize === undefined)) {
    ctx.addIssue({
      code: "custom",
      path: [item.groupDiscount === undefined ? "groupDiscount" : "groupSize"],
      message: "Give the group discount and the group size together, or neither.",
    });
  }
}

/** One ticket type of a showing and how many tickets of it to create. */
export const offeringSchema = z.strictObject(offeringFields).superRefine(discountWithSize);
export type OfferingInput = z.output<typeof offeringSchema>;

function distinctTypes(items: Array<{ type: string; count: number }>, ctx: z.RefinementCtx) {
  const seen = new Set<string>();
  items.forEach((item, index) => {
    if (seen.has(item.type)) {
      ctx.addIssue({ code: "custom", path: [index, "type"], message: `The type "${item.type}" is listed twice.` });
    }
    seen.add(item.type);
  });
  const total = items.reduce((sum, item) => sum + item.count, 0);
  if (total > MAX_TICKETS_PER_REQUEST) {
    ctx.addIssue({ code: "custom", message: `At most ${MAX_TICKETS_PER_REQUEST} tickets at a time.` });
  }
}

const offeringList = z.array(offeringSchema).max(50, "At most 50 ticket types per showing.").superRefine(distinctTypes);

/**
 * Replaces every ticket of a showing with a new set (only while nothing is held or sold). Leaving out orderLimit or
 * dropTime keeps the current value; dropTime null means "on sale at once".
 */
export const setOfferingsSchema = z.strictObject({
  showingId: idSchema,
  offerings: offeringList,
  orderLimit: z.number().int().min(1, "The order limit is at least 1.").max(1000).optional(),
  dropTime: dateTimeIn.nullable().optional(),
});

/**
 * Adds tickets without touching existing ones (allowed after sales start). For an existing type give its name and
 * count; price and the other settings may be left out and, if given, must match the type's current ones.
 */
export const addTicketsSchema = z.strictObject({
  showingId: idSchema,
  tickets: z
    .array(
      z
        .strictObject({ ...offeringFields, price: priceIn.optional(), transferable: z.boolean().optional(), buyable: z.boolean().optional() })
        .superRefine(discountWithSize),
    )
    .min(1, "Give at least one ticket type to add.")
    .max(50)
    .superRefine(distinctTypes),
});

const eventName = z.string().trim().min(1, "Give the event a name.").max(200);
const eventDescription = z.string().trim().max(5000);

export const createEventSchema = z.strictObject({
  clubId: idSchema,
  name: eventName,
  description: eventDescription.default(""),
});

export const updateEventSchema = z.strictObject({
  eventId: idSchema,
  name: eventName.optional(),
  description: eventDescription.optional(),
});

export const eventIdInput = z.strictObject({ eventId: idSchema });
export const showingIdInput = z.strictObject({ showingId: idSchema });

const showingFields = {
  startTime: dateTimeIn,
  endTime: dateTimeIn,
  location: z
    .string()
    .trim()
    .max(200)
    .transform((v) => (v === "" ? null : v))
    .nullable()
    .optional(),
  orderLimit: z.number().int().min(1, "The order limit is at least 1.").max(1000).optional(),
  dropTime: dateTimeIn.nullable().optional(),
};

export const createShowingSchema = z
  .strictObject({ eventId: idSchema, ...showingFields })
  .refine((s) => s.startTime < s.endTime, { path: ["endTime"], message: "A showing starts before it ends." });

export const updateShowingSchema = z.strictObject({
  showingId: idSchema,
  startTime: showingFields.startTime.optional(),
  endTime: showingFields.endTime.optional(),
  location: showingFields.location,
  orderLimit: showingFields.orderLimit,
  dropTime: showingFields.dropTime,
  /** True pauses every sale of the showing until set false again; complimentary tickets can still be given. */
  salesPaused: z.boolean().optional(),
});

/** A ticket type's selling controls, applied to every ticket of the type; left-out fields stay as they are. */
export const updateTicketTypeSchema = z
  .strictObject({
    showingId: idSchema,
    type: ticketTypeName,
    salesPaused: z.boolean().optional(),
    salesEndAt: salesEndAtIn,
    returnHoursBefore: returnHoursBeforeIn,
    /** Holders may offer tickets of this type on the face-value exchange (listed ones stay listed when turned off). */
    exchangeAllowed: z.boolean().optional(),
  })
  .refine(
    (v) => v.salesPaused !== undefined || v.salesEndAt !== undefined || v.returnHoursBefore !== undefined || v.exchangeAllowed !== undefined,
    { message: "Give at least one setting to change: salesPaused, salesEndAt, returnHoursBefore or exchangeAllowed." },
  );

/** Cancels a showing for good: sales stop, every ticket is voided and refunded, holders are e-mailed the reason. */
export const cancelShowingSchema = z.strictObject({
  showingId: idSchema,
  reason: z.string().trim().min(3, "Say why the showing is cancelled; holders read it in their e-mail.").max(1000),
});

/** REST body of POST /api/showings/{id}/cancel/. */
export const cancelShowingBody = cancelShowingSchema.omit({ showingId: true });

const usernameIn = z.string().trim().min(1, "Give a username.").max(60);

/** Complimentary tickets: one line per person and type; all are issued or none. */
export const issueTicketsSchema = z.strictObject({
  showingId: idSchema,
  tickets: z
    .array(
      z.strictObject({
        username: usernameIn,
        type: ticketTypeName,
        count: z.number().int().positive("Issue at least 1 ticket.").max(100).default(1),
      }),
    )
    .min(1, "Say who gets which tickets.")
    .max(500),
});

export const emailBlastSchema = z.strictObject({
  showingId: idSchema,
  message: z.string().trim().min(1, "Write a message to send.").max(10_000),
});

export const eventListSchema = z
  .strictObject({ clubCode: z.string().trim().min(1).max(60).optional() })
  .optional();

/** REST path parameters. */
export const eventShowingParams = z.object({
  eventId: pathIdSchema("eventId"),
  showingId: pathIdSchema("showingId"),
});
export const showingParams = z.object({ id: pathIdSchema("id") });
