import { checkoutResultSchema } from "@admit/validators";
import { router, userProcedure } from "../trpc.ts";
import { seedCheckout } from "../wire.ts";

export const checkoutRouter = router({
  /** Free carts are sold at once; paid carts are held and get the signed fields for the hosted payment page. */
  start: userProcedure
    .output(checkoutResultSchema)
    .mutation(async ({ ctx }) => seedCheckout(await ctx.services.checkout.start(ctx.actor))),
});
