import { formatMoney } from "@admit/domain";
import { clubIdInput, paymentAttentionSchema } from "@admit/validators";
import { z } from "zod";
import { router, userProcedure } from "../trpc.ts";

const withMoney = <T extends { amount: Parameters<typeof formatMoney>[0] }>(p: T) => ({ ...p, amount: formatMoney(p.amount) });

/** Officers see payments held for review or owed back, and can ask for a refund again. */
export const paymentRouter = router({
  needingAttention: userProcedure
    .input(clubIdInput)
    .output(z.array(paymentAttentionSchema))
    .query(async ({ ctx, input }) => (await ctx.services.payments.needingAttention(ctx.actor, input.clubId)).map(withMoney)),

  retryRefund: userProcedure
    .input(z.object({ paymentId: z.uuid() }))
    .output(paymentAttentionSchema)
    .mutation(async ({ ctx, input }) => withMoney(await ctx.services.payments.retryRefund(ctx.actor, input.paymentId))),
});
