import {
  returnQuoteSchema,
  returnResultSchema,
  setAttendedInputSchema,
  ticketIdInputSchema,
  ticketSchema,
  transferInputSchema,
  transferRecordSchema,
  transferResultSchema,
} from "@admit/validators";
import { z } from "zod";
import { router, userProcedure } from "../trpc.ts";
import { seedTransfer, seedTransferDone } from "../wire.ts";

export const ticketRouter = router({
  /** The caller's tickets. */
  list: userProcedure.output(z.array(ticketSchema)).query(({ ctx }) => ctx.services.tickets.listMine(ctx.actor)),

  /** One ticket, for its owner or an officer of the event's club. */
  get: userProcedure
    .input(ticketIdInputSchema)
    .output(ticketSchema)
    .query(({ ctx, input }) => ctx.services.tickets.get(ctx.actor, input.id)),

  /** Officers of the event's club mark a ticket attended or not (recorded in the check-in log). */
  setAttended: userProcedure
    .input(setAttendedInputSchema)
    .output(ticketSchema)
    .mutation(({ ctx, input }) => ctx.services.tickets.setAttended(ctx.actor, input.id, input.attended)),

  /** Gives one of the caller's tickets to another account; the old QR code stops working. */
  transfer: userProcedure
    .input(transferInputSchema)
    .output(transferResultSchema)
    .mutation(async ({ ctx, input }) => seedTransferDone(await ctx.services.ticketTransfers.transfer(ctx.actor, input.id, input.username))),

  /** Whether the caller may return this ticket now, until when, and what they would get back. */
  returnQuote: userProcedure
    .input(ticketIdInputSchema)
    .output(returnQuoteSchema)
    .query(({ ctx, input }) => ctx.services.returns.quote(ctx.actor, input.id)),

  /** The buyer returns the ticket: paid ones refunded in full, free ones released; the seat goes back on sale. */
  return: userProcedure
    .input(ticketIdInputSchema)
    .output(returnResultSchema)
    .mutation(({ ctx, input }) => ctx.services.returns.returnTicket(ctx.actor, input.id)),

  /**
   * The owner offers the ticket on the face-value exchange: others can buy it at its list price, and the owner is
   * refunded what they paid once it sells. Offering it again changes nothing.
   */
  listForExchange: userProcedure
    .input(ticketIdInputSchema)
    .output(ticketSchema)
    .mutation(({ ctx, input }) => ctx.services.exchange.list(ctx.actor, input.id)),

  /** The owner takes the offer back (409 EXCHANGE_IN_PROGRESS while a buyer is paying for it). */
  withdrawFromExchange: userProcedure
    .input(ticketIdInputSchema)
    .output(ticketSchema)
    .mutation(({ ctx, input }) => ctx.services.exchange.withdraw(ctx.actor, input.id)),

  /** Tickets the caller sent or received, newest first. */
  transfers: userProcedure
    .output(z.array(transferRecordSchema))
    .query(async ({ ctx }) => (await ctx.services.ticketTransfers.history(ctx.actor)).map(seedTransfer)),
});
