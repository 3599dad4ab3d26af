import { checkoutResultSchema } from "@admit/validators";
import { router, userProcedure } from "../trpc.ts";

export const checkoutRouter = router({
  /** Free carts are sold at once; paid carts are held and get the signed fields for the hosted payment page. */
  start: userProcedure.output(checkoutResultSchema).mutation(({ ctx }) => ctx.services.checkout.start(ctx.actor)),
});
