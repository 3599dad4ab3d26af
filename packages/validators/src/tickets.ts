import { z } from "zod";
import { dateTimeOut, idSchema } from "./common.ts";

const moneyOut = z.string().regex(/^-?\d+\.\d{2}$/).describe('USD as a decimal string, e.g. "15.00"');

const ticketId = z.uuid({ message: "The ticket id must be a UUID." });

/** REST path parameters of /api/tickets/{id}/... */
export const ticketPathSchema = z.object({ id: ticketId });

/** tRPC input naming one ticket. */
export const ticketIdInputSchema = z.object({ id: ticketId });

const ATTENDED_MESSAGE = "Missing boolean attribute 'attended'.";

/** PATCH /api/tickets/{id}/ body; the message is the seed API's. */
export const attendanceBodySchema = z.object({
  attended: z.boolean({ message: ATTENDED_MESSAGE }),
});

export const setAttendedInputSchema = ticketIdInputSchema.extend(attendanceBodySchema.shape);

/** POST /api/tickets/{id}/transfer/ body. */
const GIVE_USERNAME = "Give the username of the person to send the ticket to.";
export const transferBodySchema = z.object({
  username: z.string({ message: GIVE_USERNAME }).trim().min(1, GIVE_USERNAME).max(40, "Usernames have at most 40 characters."),
});

export const transferInputSchema = ticketIdInputSchema.extend(transferBodySchema.shape);

/** A ticket as the seed API returns it (its key names), plus what we add after `price`. */
export const ticketSchema = z.object({
  id: z.string(),
  showing: z.object({
    id: idSchema,
    start_time: dateTimeOut,
    end_time: dateTimeOut,
    location: z.string().nullable(),
    /** The club's IANA zone (its own, else the site's TIME_ZONE); calendar files are written in it. */
    time_zone: z.string(),
  }),
  event: z.object({
    id: idSchema,
    name: z.string(),
    /** The club's code. */
    club: z.string(),
    club_name: z.string(),
  }),
  type: z.string(),
  /** The owner's full name; null while nobody holds the ticket. */
  owner: z.string().nullable(),
  attended: z.boolean(),
  /** List price. */
  price: moneyOut,
  /** What the owner actually paid (after group discounts); null for issued or not yet sold tickets. */
  amount_paid: moneyOut.nullable(),
  transferable: z.boolean(),
  attended_at: dateTimeOut.nullable(),
  /** Goes up with every transfer or reissue; QR codes of older generations are refused at the door. */
  qr_generation: z.number().int().nonnegative(),
  /** The face-value exchange: whether this ticket's type allows it, and since when the owner offers it (null: not offered). */
  exchange: z.object({ allowed: z.boolean(), listed_at: dateTimeOut.nullable() }),
});
export type TicketResponse = z.output<typeof ticketSchema>;

export const transferResultSchema = z.object({
  detail: z.string(),
  transfer_id: z.number().int(),
  ticket_id: z.string(),
  /** The username the ticket now belongs to. */
  receiver: z.string(),
});

export const transferRecordSchema = z.object({
  id: z.number().int(),
  ticket_id: z.string(),
  direction: z.enum(["sent", "received"]),
  /** The other person; null if their account was deleted. */
  counterpart: z.object({ username: z.string(), full_name: z.string() }).nullable(),
  event: z.object({ id: idSchema, name: z.string() }),
  showing: z.object({ id: idSchema, start_time: dateTimeOut }),
  type: z.string(),
  created_at: dateTimeOut,
});
export type TransferHistoryItem = z.output<typeof transferRecordSchema>;

/** Whether the caller may return a ticket now, until when, and what goes back (the server decides; pages show it). */
export const returnQuoteSchema = z.object({
  ticketId: z.string(),
  allowed: z.boolean(),
  /** When returns close for this ticket; null when its type takes no returns. */
  deadline: dateTimeOut.nullable(),
  /** What goes back to the card; "0.00" for a free ticket (it is released). */
  refundAmount: moneyOut,
  /** automatic: through the card processor by itself; manual: the club refunds it by hand. */
  refundMode: z.enum(["automatic", "manual"]),
  /** Why not, in words, when not allowed. */
  reason: z.string().nullable(),
  code: z.string().nullable(),
});

/** A returned ticket: the refund made for it (null for a free ticket, which is only released). */
export const returnResultSchema = z.object({
  ticketId: z.string(),
  refund: z
    .object({ id: z.string(), amount: moneyOut, status: z.enum(["PENDING", "MANUAL", "SUCCEEDED"]) })
    .nullable(),
  refundMode: z.enum(["automatic", "manual"]),
});
