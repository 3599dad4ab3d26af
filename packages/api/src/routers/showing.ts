import {
  addTicketsSchema,
  blastResultSchema,
  buyersSchema,
  cancelShowingSchema,
  cancelShowingResultSchema,
  createShowingSchema,
  deletedSchema,
  emailBlastSchema,
  issueResultSchema,
  issueTicketsSchema,
  offeringsResultSchema,
  setOfferingsSchema,
  showingIdInput,
  showingSummarySchema,
  ticketCountsSchema,
  ticketTypeControlsSchema,
  updateShowingSchema,
  updateTicketTypeSchema,
} from "@admit/validators";
import { publicProcedure, router, userProcedure } from "../trpc.ts";

// Inputs name a showing or an event, not a club: the services find the club and answer NOT_FOUND to non-officers.
export const showingRouter = router({
  create: userProcedure
    .input(createShowingSchema)
    .output(showingSummarySchema)
    .mutation(({ ctx, input }) => ctx.services.eventAdmin.createShowing(ctx.actor, input)),

  update: userProcedure
    .input(updateShowingSchema)
    .output(showingSummarySchema)
    .mutation(({ ctx, input }) => ctx.services.eventAdmin.updateShowing(ctx.actor, input)),

  /**
   * Cancels the showing for good: sales stop, every order's tickets of it are voided and refunded, complimentary
   * tickets voided, every holder e-mailed. Calling again finishes a cancellation that stopped part-way.
   */
  cancel: userProcedure
    .input(cancelShowingSchema)
    .output(cancelShowingResultSchema)
    .mutation(({ ctx, input }) => ctx.services.showingCancellation.cancel(ctx.actor, input)),

  /** Deletes the showing and its unsold tickets; HAS_TICKETS (409) when any ticket is held or sold. */
  delete: userProcedure
    .input(showingIdInput)
    .output(deletedSchema)
    .mutation(async ({ ctx, input }) => {
      await ctx.services.eventAdmin.deleteShowing(ctx.actor, input.showingId);
      return { deleted: true as const };
    }),

  /** Replaces every ticket of the showing (only while nothing is held or sold). */
  setOfferings: userProcedure
    .input(setOfferingsSchema)
    .output(offeringsResultSchema)
    .mutation(({ ctx, input }) => ctx.services.offerings.set(ctx.actor, input)),

  /** Adds tickets to existing types or new types; never deletes, so it is allowed after sales start. */
  addTickets: userProcedure
    .input(addTicketsSchema)
    .output(offeringsResultSchema)
    .mutation(({ ctx, input }) => ctx.services.offerings.add(ctx.actor, input)),

  /** A type's selling controls (pause, sales end, returns) on every ticket of the type; allowed after sales start. */
  updateType: userProcedure
    .input(updateTicketTypeSchema)
    .output(ticketTypeControlsSchema)
    .mutation(({ ctx, input }) => ctx.services.offerings.updateType(ctx.actor, input)),

  /** Complimentary tickets to named people, all or nothing, each person e-mailed their QR codes. */
  issueTickets: userProcedure
    .input(issueTicketsSchema)
    .output(issueResultSchema)
    .mutation(({ ctx, input }) => ctx.services.ticketIssuing.issue(ctx.actor, input)),

  buyers: userProcedure
    .input(showingIdInput)
    .output(buyersSchema)
    .query(({ ctx, input }) => ctx.services.buyers.list(ctx.actor, input.showingId)),

  /** One separate e-mail to each ticket holder. */
  emailBlast: userProcedure
    .input(emailBlastSchema)
    .output(blastResultSchema)
    .mutation(({ ctx, input }) => ctx.services.emailBlasts.send(ctx.actor, input)),

  /** Public counts per type: totals and what is available now (expired holds count as available). */
  availability: publicProcedure
    .input(showingIdInput)
    .output(ticketCountsSchema)
    .query(({ ctx, input }) => ctx.services.catalogue.counts(ctx.actor, input.showingId)),
});
