import { z } from "zod";
import { dateTimeOut, idSchema } from "./common.ts";

/** tRPC: officers turn a showing's lobby on or off and set its minutes. */
export const lobbySettingsInput = z.strictObject({
  showingId: idSchema,
  enabled: z.boolean(),
  opensMinutesBefore: z
    .number()
    .int("Whole minutes, please.")
    .min(0, "The lobby opens at the drop at the latest (0 minutes before).")
    .max(1440, "The lobby opens at most 1,440 minutes (a day) before the drop."),
  admitMinutes: z
    .number()
    .int("Whole minutes, please.")
    .min(1, "Give admitted students at least 1 minute.")
    .max(120, "Give admitted students at most 120 minutes."),
});

export const lobbyPhaseSchema = z
  .enum(["OFF", "NOT_OPEN", "OPEN", "RUNNING", "SOLD_OUT", "ENDED"])
  .describe("OFF: no lobby; NOT_OPEN: joining not yet; OPEN: joining before the drop; RUNNING: admitting in turn; SOLD_OUT; ENDED: showing over");
export const lobbyEntryStateSchema = z.enum(["WAITING", "ADMITTED", "DONE", "EXPIRED", "LEFT"]);

const nullableDate = dateTimeOut.nullable();

/** A student's view of a lobby (GET /api/showings/{id}/lobby/, tRPC lobby.status). */
export const lobbyStatusSchema = z.object({
  showingId: z.number(),
  phase: lobbyPhaseSchema,
  opensAt: nullableDate,
  dropAt: nullableDate,
  admitMinutes: z.number(),
  seedCommitment: z.string().describe("SHA-256 (hex) of the draw's seed, fixed before anyone joins"),
  drawnAt: nullableDate,
  waiting: z.number().describe("Students waiting for their turn"),
  you: z
    .object({
      state: lobbyEntryStateSchema,
      position: z.number().nullable().describe("Your place; null until the draw"),
      ahead: z.number().nullable().describe("Places before yours still to come up"),
      estimatedWaitSeconds: z.number().nullable(),
      admitUntil: nullableDate.describe("While ADMITTED: check out before this"),
      drawKey: z.string().nullable().describe("HMAC-SHA256(seed, your user id), hex"),
      joinedAt: dateTimeOut,
    })
    .nullable(),
  mayBuy: z.boolean().describe("Whether you may add this showing's tickets to your cart and check out now (your turn, or a waitlist offer)"),
  pollAfterMs: z.number().describe("Ask again after this long"),
  version: z.number(),
});

/** The public draw record (GET /api/showings/{id}/lobby/draw/, tRPC lobby.draw). */
export const lobbyDrawSchema = z.object({
  showingId: z.number(),
  seedCommitment: z.string(),
  seed: z.string().nullable().describe("Revealed once the draw is made"),
  dropAt: nullableDate,
  drawnAt: nullableDate,
  drawnEntries: z.number().nullable(),
  entries: z.array(
    z.object({
      position: z.number(),
      drawKey: z.string(),
      joinedAt: dateTimeOut,
      inDraw: z.boolean().describe("Placed by the draw (joined before the drop), else in arrival order after it"),
    }),
  ),
});

/** Officers' lobby panel (tRPC lobby.overview and lobby.configure). */
export const lobbyOverviewSchema = z.object({
  showingId: z.number(),
  configured: z.boolean(),
  enabled: z.boolean(),
  opensMinutesBefore: z.number(),
  admitMinutes: z.number(),
  phase: lobbyPhaseSchema,
  opensAt: nullableDate,
  dropAt: nullableDate,
  seedCommitment: z.string().nullable(),
  drawnAt: nullableDate,
  drawnEntries: z.number().nullable(),
  admittedThrough: z.number(),
  soldOutAt: nullableDate,
  counts: z.object({ waiting: z.number(), admitted: z.number(), done: z.number(), expired: z.number(), left: z.number() }),
});
