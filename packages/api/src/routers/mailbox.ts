import {
  mailboxListInputSchema,
  mailboxMessageIdSchema,
  mailboxMessageSchema,
  mailboxSummarySchema,
} from "@admit/validators";
import { z } from "zod";
import { router, userProcedure } from "../trpc.ts";

/** The development mailbox (only while no SMTP server is configured): your own delivered mail, or all for admins. */
export const mailboxRouter = router({
  list: userProcedure
    .input(mailboxListInputSchema)
    .output(z.array(mailboxSummarySchema))
    .query(({ ctx, input }) => ctx.services.mailbox.list(ctx.actor, input ?? {})),

  get: userProcedure
    .input(mailboxMessageIdSchema)
    .output(mailboxMessageSchema)
    .query(({ ctx, input }) => ctx.services.mailbox.get(ctx.actor, input.id)),
});
