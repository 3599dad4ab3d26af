import { clubEventsSchema, clubIdInput, membershipRoleSchema } from "@admit/validators";
import { z } from "zod";
import { router, userProcedure } from "../trpc.ts";

export const clubRouter = router({
  /** The clubs the caller runs events for (all of them for a site admin). */
  managed: userProcedure
    .output(z.array(z.object({ id: z.number(), code: z.string(), name: z.string(), role: membershipRoleSchema.nullable() })))
    .query(({ ctx }) => ctx.services.roles.managedClubs(ctx.actor)),

  /** The club's events for its dashboard: per showing and type, sold, held, available, revenue and checked in. */
  events: userProcedure
    .input(clubIdInput)
    .output(clubEventsSchema)
    .query(({ ctx, input }) => ctx.services.clubDashboard.events(ctx.actor, input.clubId)),
});
