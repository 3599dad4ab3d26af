import { changesSchema, manifestSchema, uploadInput, uploadResultSchema } from "@admit/validators";
import { z } from "zod";
import { deviceProcedure, router } from "../trpc.ts";

/** What a paired door device calls: its data, changes since its cursor, and its scans. */
export const doorRouter = router({
  manifest: deviceProcedure.output(manifestSchema).query(({ ctx }) => ctx.services.doorSync.manifest(ctx.actor)),

  changes: deviceProcedure
    .input(z.object({ cursor: z.string().min(1).max(40) }))
    .output(changesSchema)
    .query(({ ctx, input }) => ctx.services.doorSync.changes(ctx.actor, input)),

  upload: deviceProcedure
    .input(uploadInput)
    .output(z.object({ results: z.array(uploadResultSchema) }))
    .mutation(async ({ ctx, input }) => ({ results: await ctx.services.doorSync.upload(ctx.actor, input.scans) })),
});
