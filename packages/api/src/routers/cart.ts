import { cartChangeInputSchema, cartChangeResultSchema, cartQuoteSchema, cartSchema } from "@admit/validators";
import { router, userProcedure } from "../trpc.ts";
import { cartQuoteOut, seedCart } from "../wire.ts";

export const cartRouter = router({
  /** The cart, with stale tickets swapped for free ones of the same showing and type (or reported as sold out). */
  get: userProcedure.output(cartSchema).query(async ({ ctx }) => seedCart(await ctx.services.carts.view(ctx.actor))),

  /** What picked tickets of one showing would cost if added, their group counted with the cart's. Changes nothing. */
  quote: userProcedure
    .input(cartChangeInputSchema)
    .output(cartQuoteSchema)
    .query(async ({ ctx, input }) => cartQuoteOut(await ctx.services.carts.quote(ctx.actor, input))),

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
