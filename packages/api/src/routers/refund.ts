import { Decimal, formatMoney, type Services } from "@admit/domain";
import {
  clubIdInput,
  clubOrderInput,
  clubOrderSchema,
  clubOrdersInput,
  clubOrdersSchema,
  refundAttentionSchema,
  refundIdInput,
  refundOrderInput,
  refundResultSchema,
  refundViewSchema,
} from "@admit/validators";
import { router, userProcedure } from "../trpc.ts";
import { seedOrder } from "../wire.ts";

type Refunds = Services["refunds"];
type RefundView = Awaited<ReturnType<Refunds["markDone"]>>;
type Attention = Awaited<ReturnType<Refunds["attention"]>>;

export function refundOut(view: RefundView) {
  return { ...view, amount: formatMoney(view.amount) };
}

function attentionOut(attention: Attention) {
  return {
    mode: attention.mode,
    tasks: attention.tasks.map(refundOut),
    failing: attention.failing.map(refundOut),
    recent: attention.recent.map(refundOut),
    refundNeeded: attention.refundNeeded.map((p) => ({
      ...p,
      amount: formatMoney(p.amount),
      refunds: p.refunds.map((r) => ({ ...r, amount: formatMoney(r.amount) })),
    })),
  };
}

/** Officers' refunds, the club's orders to find one, and the money that needs them on the dashboard. */
export const refundRouter = router({
  refundOrder: userProcedure
    .input(refundOrderInput)
    .output(refundResultSchema)
    .mutation(async ({ ctx, input }) => {
      const result = await ctx.services.refunds.refundOrder(ctx.actor, {
        orderId: input.orderId,
        ...(input.clubId === undefined ? {} : { clubId: input.clubId }),
        ...(input.ticketIds ? { ticketIds: input.ticketIds } : {}),
        ...(input.amount === undefined ? {} : { amount: new Decimal(input.amount) }),
        reason: input.reason,
        returnToSale: input.returnToSale,
        idempotencyKey: input.idempotencyKey,
      });
      return { ...result, refund: result.refund && refundOut(result.refund) };
    }),

  markDone: userProcedure
    .input(refundIdInput)
    .output(refundViewSchema)
    .mutation(async ({ ctx, input }) => refundOut(await ctx.services.refunds.markDone(ctx.actor, input.refundId))),

  retryNow: userProcedure
    .input(refundIdInput)
    .output(refundViewSchema)
    .mutation(async ({ ctx, input }) => refundOut(await ctx.services.refunds.retryNow(ctx.actor, input.refundId))),

  attention: userProcedure
    .input(clubIdInput)
    .output(refundAttentionSchema)
    .query(async ({ ctx, input }) => attentionOut(await ctx.services.refunds.attention(ctx.actor, input.clubId))),

  clubOrders: userProcedure
    .input(clubOrdersInput)
    .output(clubOrdersSchema)
    .query(async ({ ctx, input }) => {
      const page = await ctx.services.refunds.clubOrders(ctx.actor, input.clubId, {
        page: input.page,
        ...(input.search ? { search: input.search } : {}),
      });
      return { ...page, orders: page.orders.map(seedOrder) };
    }),

  clubOrder: userProcedure
    .input(clubOrderInput)
    .output(clubOrderSchema)
    .query(async ({ ctx, input }) => {
      const found = await ctx.services.refunds.clubOrder(ctx.actor, input.clubId, input.orderId);
      return {
        order: seedOrder(found.order),
        mode: found.mode,
        tickets: found.tickets.map((t) => ({ ...t, refundable: formatMoney(t.refundable) })),
      };
    }),
});
