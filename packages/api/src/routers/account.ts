import { apiTokenSchema, meSchema } from "@admit/validators";
import { z } from "zod";
import { router, userProcedure } from "../trpc.ts";

export const accountRouter = router({
  me: userProcedure.output(meSchema).query(({ ctx }) => ctx.services.accounts.me(ctx.actor)),

  listTokens: userProcedure
    .output(z.array(apiTokenSchema))
    .query(({ ctx }) => ctx.services.accounts.listTokens(ctx.actor)),

  revokeToken: userProcedure
    .input(z.object({ id: z.string().min(1) }))
    .output(z.object({ revoked: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await ctx.services.accounts.revokeToken(ctx.actor, input.id);
      return { revoked: true as const };
    }),
});
