import {
  dropReminderSchema,
  myWaitlistSchema,
  reminderForgetSchema,
  waitlistConfigureInput,
  waitlistConfigureSchema,
  waitlistJoinInput,
  waitlistListSchema,
  waitlistReleaseSchema,
  waitlistShowingInput,
  waitlistStatusSchema,
} from "@admit/validators";
import { publicProcedure, router, userProcedure } from "../trpc.ts";

/** A sold-out showing's waitlist (students), its line and offer time (officers), and "notify me" before a drop. */
export const waitlistRouter = router({
  /** Anyone: how many wait; signed in, also your place, any offer held for you, and your reminder. */
  status: publicProcedure
    .input(waitlistShowingInput)
    .output(waitlistStatusSchema)
    .query(({ ctx, input }) => ctx.services.waitlists.status(ctx.actor?.kind === "user" ? ctx.actor : null, input.showingId)),

  /** Your open places on every showing (waiting, or an offer holding tickets in your cart until `offer.expiresAt`). */
  mine: userProcedure
    .output(myWaitlistSchema)
    .query(({ ctx }) => ctx.services.waitlists.mine(ctx.actor)),

  /**
   * Joins (or, while still waiting, changes the type and count of) your place. 409 TICKETS_AVAILABLE while what you
   * want is on sale; 403 ORDER_LIMIT_EXCEEDED past the showing's limit.
   */
  join: userProcedure
    .input(waitlistJoinInput)
    .output(waitlistStatusSchema)
    .mutation(({ ctx, input }) => ctx.services.waitlists.join(ctx.actor, input)),

  /** Gives up your place; tickets an offer held for you pass to the next person. */
  leave: userProcedure
    .input(waitlistShowingInput)
    .output(waitlistStatusSchema)
    .mutation(({ ctx, input }) => ctx.services.waitlists.leave(ctx.actor, input.showingId)),

  /** "Notify me": an e-mail 30 minutes before the lobby opens (or the drop, without a lobby). */
  remind: userProcedure
    .input(waitlistShowingInput)
    .output(dropReminderSchema)
    .mutation(({ ctx, input }) => ctx.services.waitlists.remind(ctx.actor, input.showingId)),

  forget: userProcedure
    .input(waitlistShowingInput)
    .output(reminderForgetSchema)
    .mutation(({ ctx, input }) => ctx.services.waitlists.forget(ctx.actor, input.showingId)),

  /** Officers: everyone in line, in order. */
  list: userProcedure
    .input(waitlistShowingInput)
    .output(waitlistListSchema)
    .query(({ ctx, input }) => ctx.services.waitlists.list(ctx.actor, input.showingId)),

  /** Officers: offer whatever can be sold now to the line at once. */
  release: userProcedure
    .input(waitlistShowingInput)
    .output(waitlistReleaseSchema)
    .mutation(({ ctx, input }) => ctx.services.waitlists.release(ctx.actor, input.showingId)),

  /** Officers: how long an offer holds its tickets (5 to 1440 minutes). */
  configure: userProcedure
    .input(waitlistConfigureInput)
    .output(waitlistConfigureSchema)
    .mutation(({ ctx, input }) => ctx.services.waitlists.configure(ctx.actor, input)),
});
