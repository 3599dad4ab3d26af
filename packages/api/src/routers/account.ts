import { apiTokenSchema, meSchema } from "@admit/validators";
import { z } from "zod";
import { publicProcedure, router, userProcedure } from "../trpc.ts";

export const accountRouter = router({
  /**
   * Sign-in methods on offer; campus single sign-on appears only when OIDC is configured, and is available only while
   * its provider answers discovery (the storefront says "unavailable right now" instead of showing the button).
   */
  signInOptions: publicProcedure
    .output(
      z.object({
        password: z.literal(true),
        campusSignOn: z.boolean(),
        campusSignOnAvailable: z.boolean(),
        campusProviderId: z.string(),
      }),
    )
    .query(({ ctx }) => ({
      password: true as const,
      campusSignOn: ctx.features?.campusSignOn ?? false,
      campusSignOnAvailable: ctx.features?.campusSignOnAvailable ?? false,
      campusProviderId: "campus",
    })),

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
