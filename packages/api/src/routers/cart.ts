import { cartChangeInputSchema, cartChangeResultSchema, cartSchema } from "@admit/validators";
import { router, userProcedure } from "../trpc.ts";

export const cartRouter = router({
  /** The cart, with stale tickets swapped for free ones of the same showing and type (or reported as sold out). */
  get: userProcedure.output(cartSchema).query(({ ctx }) => ctx.services.carts.view(ctx.actor)),

  /** Adds tickets of one showing, all or nothing. */
  add: userProcedure
    .input(cartChangeInputSchema)
    .output(cartChangeResultSchema)
    .mutation(({ ctx, input }) => ctx.services.carts.add(ctx.actor, input)),

  /** Removes up to the given counts of one showing's tickets and releases their holds. */
  remove: userProcedure
    .input(cartChangeInputSchema)
    .output(cartChangeResultSchema)
    .mutation(({ ctx, input }) => ctx.services.carts.remove(ctx.actor, input)),
});
