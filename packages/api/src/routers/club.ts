import { membershipRoleSchema } from "@admit/validators";
import { z } from "zod";
import { router, userProcedure } from "../trpc.ts";

export const clubRouter = router({
  /** The clubs the caller runs events for (all of them for a site admin). */
  managed: userProcedure
    .output(z.array(z.object({ id: z.number(), code: z.string(), name: z.string(), role: membershipRoleSchema.nullable() })))
    .query(({ ctx }) => ctx.services.roles.managedClubs(ctx.actor)),
});
