import { lobbyDrawSchema, lobbyOverviewSchema, lobbySettingsInput, lobbyStatusSchema, showingIdInput } from "@admit/validators";
import { publicProcedure, router, userProcedure } from "../trpc.ts";

/** Fair drop lobbies: students join and watch their place; officers set them up (the service authorizes). */
export const lobbyRouter = router({
  /** Phase, times, waiting count and, when signed in with a place, your place; advances the lobby when due. */
  status: publicProcedure
    .input(showingIdInput)
    .output(lobbyStatusSchema)
    .query(({ ctx, input }) => ctx.services.lobbies.status(ctx.actor?.kind === "user" ? ctx.actor : null, input.showingId)),

  /** One place per account: joining again returns the same place. */
  join: userProcedure
    .input(showingIdInput)
    .output(lobbyStatusSchema)
    .mutation(({ ctx, input }) => ctx.services.lobbies.join(ctx.actor, input.showingId)),

  leave: userProcedure
    .input(showingIdInput)
    .output(lobbyStatusSchema)
    .mutation(({ ctx, input }) => ctx.services.lobbies.leave(ctx.actor, input.showingId)),

  /** The public draw record: commitment, seed once drawn, every place with its draw key. */
  draw: publicProcedure
    .input(showingIdInput)
    .output(lobbyDrawSchema)
    .query(({ ctx, input }) => ctx.services.lobbies.drawAudit(input.showingId)),

  configure: userProcedure
    .input(lobbySettingsInput)
    .output(lobbyOverviewSchema)
    .mutation(({ ctx, input }) => ctx.services.lobbies.configure(ctx.actor, input)),

  overview: userProcedure
    .input(showingIdInput)
    .output(lobbyOverviewSchema)
    .query(({ ctx, input }) => ctx.services.lobbies.overview(ctx.actor, input.showingId)),
});
