import { z } from "zod";
import { groupQuoteSchema } from "./cart.ts";
import { dateTimeOut, uuidSchema } from "./common.ts";

// What the catalogue procedures and routes return (see catalog.ts for what they accept).

/** Reference shape (GET /api/events/:eventId/showings/:showingId/tickets/): counts per type, sorted by type. */
export const ticketCountsSchema = z.object({
  totals: z.array(z.object({ type: z.string(), price: z.string(), count: z.number() })),
  available: z.array(z.object({ type: z.string(), price: z.string(), count: z.number() })),
});
export type TicketCounts = z.infer<typeof ticketCountsSchema>;

/**
 * CLOSED: the club is not approved or is archived (only its officers see such showings). PAUSED: officers paused
 * sales until they resume them. CANCELLED: the showing was cancelled and sells nothing again.
 */
export const saleStatusSchema = z.enum(["ON_SALE", "NOT_YET", "ENDED", "CLOSED", "PAUSED", "CANCELLED"]);

/** A ticket type's own state, its showing aside: PAUSED by officers, or SALES_ENDED at its sales end time. */
export const typeSaleStatusSchema = z.enum(["ON_SALE", "PAUSED", "SALES_ENDED"]);

/** A ticket type's selling controls as officers set them. */
const typeControls = {
  /** When this type stops selling (null: until the showing ends). */
  salesEndAt: dateTimeOut.nullable(),
  /** Returns allowed until this many hours before the showing starts; null: no returns. */
  returnHoursBefore: z.number().nullable(),
  /** Holders may offer tickets of this type on the face-value exchange. */
  exchangeAllowed: z.boolean(),
};

const clubRef = z.object({ id: z.number(), code: z.string(), name: z.string() });

export const catalogueShowingSchema = z.object({
  showingId: z.number(),
  eventId: z.number(),
  eventName: z.string(),
  club: clubRef,
  startTime: dateTimeOut,
  endTime: dateTimeOut,
  location: z.string().nullable(),
  dropTime: dateTimeOut.nullable(),
  orderLimit: z.number(),
  saleStatus: saleStatusSchema,
  /** Why the showing was cancelled (set only when saleStatus is CANCELLED). */
  cancelReason: z.string().nullable(),
  minPrice: z.string().nullable(),
  maxPrice: z.string().nullable(),
  available: z.number(),
});

export const ticketTypeSchema = z.object({
  type: z.string(),
  price: z.string(),
  groupDiscount: z.object({ size: z.number(), fraction: z.string() }).nullable(),
  /** The group discount priced by the server. */
  groupQuote: groupQuoteSchema.nullable(),
  transferable: z.boolean(),
  available: z.number(),
  /** How many of this type are in the caller's cart (0 when signed out). */
  inCart: z.number(),
  saleStatus: typeSaleStatusSchema,
  ...typeControls,
});

/** The caller's order limit for a showing: cart and bought tickets count, complimentary ones do not. */
export const allowanceSchema = z.object({
  limit: z.number(),
  inCart: z.number(),
  owned: z.number(),
  remaining: z.number(),
});

export const eventDetailSchema = z.object({
  id: z.number(),
  name: z.string(),
  description: z.string(),
  club: clubRef,
  showings: z.array(
    z.object({
      id: z.number(),
      startTime: dateTimeOut,
      endTime: dateTimeOut,
      location: z.string().nullable(),
      dropTime: dateTimeOut.nullable(),
      orderLimit: z.number(),
      saleStatus: saleStatusSchema,
      cancelReason: z.string().nullable(),
      /** The officers set up a drop lobby (its status, even "off", comes from lobby.status). */
      hasLobby: z.boolean(),
      /** Null when signed out. */
      allowance: allowanceSchema.nullable(),
      types: z.array(ticketTypeSchema),
    }),
  ),
});

/**
 * An officer's live numbers: `sold` counts owned tickets, among them `onExchange` (offered by their owners on the
 * face-value exchange until someone buys them); `held` and `available` count unsold tickets only.
 */
const liveNumbers = {
  total: z.number(),
  sold: z.number(),
  onExchange: z.number(),
  held: z.number(),
  available: z.number(),
  revenue: z.string(),
  checkedIn: z.number(),
};

export const clubEventsSchema = z.array(
  z.object({
    id: z.number(),
    name: z.string(),
    description: z.string(),
    showings: z.array(
      z.object({
        id: z.number(),
        startTime: dateTimeOut,
        endTime: dateTimeOut,
        location: z.string().nullable(),
        dropTime: dateTimeOut.nullable(),
        orderLimit: z.number(),
        saleStatus: saleStatusSchema,
        salesPaused: z.boolean(),
        cancelledAt: dateTimeOut.nullable(),
        cancelReason: z.string().nullable(),
        ...liveNumbers,
        types: z.array(
          z.object({
            type: z.string(),
            price: z.string(),
            groupDiscount: z.object({ size: z.number(), fraction: z.string() }).nullable(),
            transferable: z.boolean(),
            buyable: z.boolean(),
            salesPaused: z.boolean(),
            saleStatus: typeSaleStatusSchema,
            ...typeControls,
            ...liveNumbers,
            /** Tickets an officer can still give away (reserved ones too); the issue form shows it as is. */
            issuable: z.number(),
          }),
        ),
      }),
    ),
  }),
);

export const eventSummarySchema = z.object({
  id: z.number(),
  clubId: z.number(),
  name: z.string(),
  description: z.string(),
});

export const showingSummarySchema = z.object({
  id: z.number(),
  eventId: z.number(),
  startTime: dateTimeOut,
  endTime: dateTimeOut,
  location: z.string().nullable(),
  orderLimit: z.number(),
  dropTime: dateTimeOut.nullable(),
  salesPaused: z.boolean(),
  cancelledAt: dateTimeOut.nullable(),
});

/** A ticket type's selling controls after an officer changed them. */
export const ticketTypeControlsSchema = z.object({
  showingId: z.number(),
  type: z.string(),
  salesPaused: z.boolean(),
  saleStatus: typeSaleStatusSchema,
  ...typeControls,
});

/** A cancelled showing, with what this call did (a resumed call counts only its own work). */
export const cancelShowingResultSchema = z.object({
  showingId: z.number(),
  cancelledAt: dateTimeOut,
  reason: z.string(),
  ordersRefunded: z.number(),
  refunds: z.number(),
  complimentaryVoided: z.number(),
});

export const offeringsResultSchema = z.object({
  showingId: z.number(),
  created: z.number(),
  deleted: z.number(),
  counts: ticketCountsSchema,
});

export const issueResultSchema = z.object({
  issued: z.array(z.object({ ticketId: uuidSchema, username: z.string(), type: z.string() })),
});

export const buyerSchema = z.object({
  ticketId: z.string(),
  name: z.string(),
  username: z.string(),
  email: z.string(),
  type: z.string(),
  attended: z.boolean(),
  attendedAt: dateTimeOut.nullable(),
  amountPaid: z.string(),
  complimentary: z.boolean(),
});
export type Buyer = z.infer<typeof buyerSchema>;

export const buyersSchema = z.object({
  showingId: z.number(),
  eventName: z.string(),
  /** The club's IANA zone: the CSV writes check-in times in it. */
  timeZone: z.string(),
  buyers: z.array(buyerSchema),
});

/** `skippedUnverified`: holders left out because their e-mail address is not confirmed. */
export const blastResultSchema = z.object({ recipients: z.number(), skippedUnverified: z.number() });
export const deletedSchema = z.object({ deleted: z.literal(true) });
