import {
  catalogueShowingSchema,
  createEventSchema,
  deletedSchema,
  eventDetailSchema,
  eventIdInput,
  eventListSchema,
  eventSummarySchema,
  updateEventSchema,
} from "@admit/validators";
import { z } from "zod";
import { publicProcedure, router, userProcedure } from "../trpc.ts";

export const eventRouter = router({
  /** Upcoming showings of public clubs, soonest first: what the storefront lists. */
  list: publicProcedure
    .input(eventListSchema)
    .output(z.array(catalogueShowingSchema))
    .query(({ ctx, input }) => ctx.services.catalogue.list(input ?? {})),

  /** One event with its showings and, per ticket type, price, group discount, transferability and availability. */
  get: publicProcedure
    .input(eventIdInput)
    .output(eventDetailSchema)
    .query(({ ctx, input }) => ctx.services.catalogue.get(ctx.actor, input.eventId)),

  create: userProcedure
    .input(createEventSchema)
    .output(eventSummarySchema)
    .mutation(({ ctx, input }) => ctx.services.eventAdmin.createEvent(ctx.actor, input)),

  update: userProcedure
    .input(updateEventSchema)
    .output(eventSummarySchema)
    .mutation(({ ctx, input }) => ctx.services.eventAdmin.updateEvent(ctx.actor, input)),

  /** Deletes the event with its showings and unsold tickets; HAS_TICKETS (409) when any ticket is held or sold. */
  delete: userProcedure
    .input(eventIdInput)
    .output(deletedSchema)
    .mutation(async ({ ctx, input }) => {
      await ctx.services.eventAdmin.deleteEvent(ctx.actor, input.eventId);
      return { deleted: true as const };
    }),
});
