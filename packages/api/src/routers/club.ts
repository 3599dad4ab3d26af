import {
  clubEventsSchema,
  clubIdInput,
  clubSettingsInput,
  clubSettingsSchema,
  financeLedgerSchema,
  financeReportSchema,
  membershipRoleSchema,
} from "@admit/validators";
import { z } from "zod";
import { router, userProcedure } from "../trpc.ts";

export const clubRouter = router({
  /** The clubs the caller runs events for (all of them for a site admin). */
  managed: userProcedure
    .output(z.array(z.object({ id: z.number(), code: z.string(), name: z.string(), role: membershipRoleSchema.nullable() })))
    .query(({ ctx }) => ctx.services.roles.managedClubs(ctx.actor)),

  /** The club's events for its dashboard: per showing and type, sold, held, available, revenue and checked in. */
  events: userProcedure
    .input(clubIdInput)
    .output(clubEventsSchema)
    .query(({ ctx, input }) => ctx.services.clubDashboard.events(ctx.actor, input.clubId)),

  /** The club's settings (its time zone), for its owners and officers. */
  settings: userProcedure
    .input(clubIdInput)
    .output(clubSettingsSchema)
    .query(({ ctx, input }) => ctx.services.clubSettings.get(ctx.actor, input.clubId)),

  /** Sets the club's time zone (null: the site's); e-mails, CSV and calendar files use it from then on. */
  updateSettings: userProcedure
    .input(clubSettingsInput)
    .output(clubSettingsSchema)
    .mutation(({ ctx, input }) => ctx.services.clubSettings.update(ctx.actor, input)),

  /** Sales, refunds, net and money owed per month (club's zone) and per event. */
  finance: userProcedure
    .input(clubIdInput)
    .output(financeReportSchema)
    .query(({ ctx, input }) => ctx.services.clubFinance.report(ctx.actor, { clubId: input.clubId })),

  /** One entry per payment and refund, keyed by CyberSource transaction id and reference number. */
  ledger: userProcedure
    .input(clubIdInput)
    .output(financeLedgerSchema)
    .query(({ ctx, input }) => ctx.services.clubFinance.ledger(ctx.actor, { clubId: input.clubId })),
});
