import { z } from "zod";
import { dateTimeOut, idSchema, pathIdSchema } from "./common.ts";

const typeName = z.string().trim().min(1, "Name the ticket type, or leave it out for any type.").max(100);
const ticketCount = z.number().int("Ask for a whole number of tickets.").min(1, "Ask for at least 1 ticket.").max(1000);

/** Joining (or changing) a place on a showing's waitlist: how many tickets, of one type or (null / left out) any. */
export const waitlistJoinFields = { type: typeName.nullish(), count: ticketCount };
export const waitlistJoinInput = z.strictObject({ showingId: idSchema, ...waitlistJoinFields });
export const waitlistJoinBody = z.strictObject(waitlistJoinFields);
export const waitlistShowingInput = z.strictObject({ showingId: idSchema });
export const waitlistPathParams = z.object({ id: pathIdSchema("id") });
export const waitlistConfigureInput = z.strictObject({
  showingId: idSchema,
  offerMinutes: z.number().int("Minutes are whole numbers.").min(5, "An offer lasts at least 5 minutes.").max(1440, "An offer lasts at most 1440 minutes (a day)."),
});

export const waitlistStateSchema = z.enum(["WAITING", "OFFERED", "DONE", "EXPIRED", "LEFT"]);

export const dropReminderSchema = z.object({
  /** When the e-mail goes out; null when the showing no longer has a drop time. */
  remindAt: dateTimeOut.nullable(),
  sentAt: dateTimeOut.nullable(),
});

export const waitlistStatusSchema = z.object({
  showingId: z.number().int(),
  offerMinutes: z.number().int(),
  waiting: z.number().int(),
  /** The ticket types the caller may join the waitlist for now (what the join accepts, the order limit aside). */
  waitableTypes: z.array(z.string()),
  /** The caller may join for any type (every type on sale is sold out for them). */
  anyTypeWaitable: z.boolean(),
  you: z
    .object({
      state: waitlistStateSchema,
      type: z.string().nullable(),
      count: z.number().int(),
      /** 1: next to be offered tickets. Null unless WAITING. */
      place: z.number().int().nullable(),
      joinedAt: dateTimeOut,
      offer: z.object({ count: z.number().int(), expiresAt: dateTimeOut }).nullable(),
    })
    .nullable(),
  reminder: dropReminderSchema.nullable(),
});

export const myWaitlistSchema = z.array(
  z.object({
    showingId: z.number().int(),
    eventId: z.number().int(),
    eventName: z.string(),
    startTime: dateTimeOut,
    state: waitlistStateSchema,
    type: z.string().nullable(),
    count: z.number().int(),
    offer: z.object({ count: z.number().int(), expiresAt: dateTimeOut }).nullable(),
  }),
);

export const waitlistListSchema = z.object({
  showingId: z.number().int(),
  offerMinutes: z.number().int(),
  waiting: z.number().int(),
  offered: z.number().int(),
  entries: z.array(
    z.object({
      place: z.number().int().nullable(),
      username: z.string(),
      fullName: z.string(),
      type: z.string().nullable(),
      count: z.number().int(),
      state: waitlistStateSchema,
      joinedAt: dateTimeOut,
      offeredCount: z.number().int().nullable(),
      offerExpiresAt: dateTimeOut.nullable(),
    }),
  ),
});

export const waitlistReleaseSchema = z.object({
  offers: z.number().int(),
  tickets: z.number().int(),
  expired: z.number().int(),
});

export const waitlistConfigureSchema = z.object({ showingId: z.number().int(), offerMinutes: z.number().int() });
export const reminderForgetSchema = z.object({ removed: z.boolean() });
