import { formatMoney } from "@admit/domain";
import { clubIdInput, paymentAttentionSchema } from "@admit/validators";
import { z } from "zod";
import { router, userProcedure } from "../trpc.ts";

const withMoney = <T extends { amount: Parameters<typeof formatMoney>[0] }>(p: T) => ({ ...p, amount: formatMoney(p.amount) });

/** Officers see payments held for review or owed back (their refunds: the refund router). */
export const paymentRouter = router({
  needingAttention: userProcedure
    .input(clubIdInput)
    .output(z.array(paymentAttentionSchema))
    .query(async ({ ctx, input }) => (await ctx.services.payments.needingAttention(ctx.actor, input.clubId)).map(withMoney)),
});
