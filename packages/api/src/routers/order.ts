import { orderIdInputSchema, orderListInputSchema, orderSchema } from "@admit/validators";
import { z } from "zod";
import { router, userProcedure } from "../trpc.ts";
import { seedOrder } from "../wire.ts";

export const orderRouter = router({
  /** The caller's orders, newest first, a page at a time. */
  list: userProcedure
    .input(orderListInputSchema.optional())
    .output(z.array(orderSchema))
    .query(async ({ ctx, input }) => (await ctx.services.orders.listMine(ctx.actor, input ?? {})).map(seedOrder)),

  /** One order, for its buyer or an officer of a club whose showing it is for. */
  get: userProcedure
    .input(orderIdInputSchema)
    .output(orderSchema)
    .query(async ({ ctx, input }) => seedOrder(await ctx.services.orders.get(ctx.actor, input.id))),
});
