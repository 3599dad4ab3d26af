import { LOCAL_CALLER } from "@admit/domain";
import {
  clubIdInput,
  createDeviceInput,
  deviceRefInput,
  deviceSummarySchema,
  doorConflictSchema,
  doorLiveSchema,
  doorSettingsInput,
  idSchema,
  pairingCodeSchema,
  setAllowedTypesInput,
} from "@admit/validators";
import { z } from "zod";
import { publicProcedure, router, userProcedure } from "../trpc.ts";

/** Officers pair and revoke door devices; a tablet trades its pairing code for a device token. */
export const kioskRouter = router({
  createDevice: userProcedure
    .input(createDeviceInput)
    .output(z.object({ device: deviceSummarySchema, pairingCode: z.string(), pairingExpiresAt: z.date().transform((d) => d.toISOString()) }))
    .mutation(({ ctx, input }) => ctx.services.devicePairing.create(ctx.actor, input)),

  renewPairingCode: userProcedure
    .input(deviceRefInput)
    .output(z.object({ pairingCode: z.string(), pairingExpiresAt: z.date().transform((d) => d.toISOString()) }))
    .mutation(({ ctx, input }) => ctx.services.devicePairing.renewCode(ctx.actor, input)),

  listDevices: userProcedure
    .input(clubIdInput)
    .output(z.array(deviceSummarySchema))
    .query(({ ctx, input }) => ctx.services.devicePairing.list(ctx.actor, input.clubId)),

  revokeDevice: userProcedure
    .input(deviceRefInput)
    .output(z.object({ revoked: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await ctx.services.devicePairing.revoke(ctx.actor, input);
      return { revoked: true as const };
    }),

  /** Conflicting admits (two doors let the same ticket in) for the club's showings. */
  conflicts: userProcedure
    .input(z.object({ clubId: idSchema, showingId: idSchema }))
    .output(z.array(doorConflictSchema))
    .query(({ ctx, input }) => ctx.services.devicePairing.conflicts(ctx.actor, input)),

  /** The ticket types a door admits (the VIP door); others get "wrong door: go to ...". */
  setAllowedTypes: userProcedure
    .input(setAllowedTypesInput)
    .output(deviceSummarySchema)
    .mutation(({ ctx, input }) => ctx.services.devicePairing.setAllowedTypes(ctx.actor, input)),

  /** The live door view: arrivals per 5 minutes, inside now, each door's counts, conflicts. Officers poll it. */
  doorLive: userProcedure
    .input(z.object({ clubId: idSchema, showingId: idSchema }))
    .output(doorLiveSchema)
    .query(({ ctx, input }) => ctx.services.doorStats.live(ctx.actor, input)),

  /** A showing's door settings: the capacity alarm and first-names-only privacy. */
  setDoorSettings: userProcedure
    .input(doorSettingsInput)
    .output(z.object({ capacity: z.number().nullable(), privateNames: z.boolean() }))
    .mutation(({ ctx, input }) => ctx.services.doorStats.setSettings(ctx.actor, input)),

  pair: publicProcedure
    .input(z.object({ code: pairingCodeSchema }))
    .output(
      z.object({
        token: z.string(),
        device: deviceSummarySchema,
        club: z.object({ id: z.number(), code: z.string(), name: z.string() }),
      }),
    )
    .mutation(({ ctx, input }) => ctx.services.devicePairing.pair(input, ctx.clientAddress ?? LOCAL_CALLER)),
});
