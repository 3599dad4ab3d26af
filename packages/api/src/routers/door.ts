import { changesInput, changesSchema, manifestSchema, uploadInput, uploadResultSchema } from "@admit/validators";
import { z } from "zod";
import { deviceProcedure, deviceUploadProcedure, router } from "../trpc.ts";

/** What a paired door device calls: its data, changes since its cursor, and its scans. */
export const doorRouter = router({
  manifest: deviceProcedure.output(manifestSchema).query(({ ctx }) => ctx.services.doorSync.manifest(ctx.actor)),

  changes: deviceProcedure
    .input(changesInput)
    .output(changesSchema)
    .query(({ ctx, input }) => ctx.services.doorSync.changes(ctx.actor, input)),

  // A revoked device may still deliver the scans it made before it was revoked (then it wipes itself).
  upload: deviceUploadProcedure
    .input(uploadInput)
    .output(z.object({ results: z.array(uploadResultSchema) }))
    .mutation(async ({ ctx, input }) => ({
      results: await ctx.services.doorSync.upload(ctx.device, input.scans, { revokedAt: ctx.revokedAt, unsent: input.unsent }),
    })),
});
