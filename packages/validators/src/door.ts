import { z } from "zod";
import { dateTimeOut, idSchema } from "./common.ts";

export const deviceNameSchema = z.string().trim().min(1, "Give the door a name, e.g. North entrance.").max(60);

const ticketTypeName = z.string().trim().min(1).max(100);
/** Ticket types a door admits; empty (or left out): every type. */
export const allowedTypesSchema = z.array(ticketTypeName).max(50);

export const createDeviceInput = z.object({
  clubId: idSchema,
  name: deviceNameSchema,
  showingIds: z.array(idSchema).min(1, "Choose at least one showing.").max(50),
  allowedTypes: allowedTypesSchema.optional(),
});

export const setAllowedTypesInput = z.object({ clubId: idSchema, deviceId: z.uuid(), allowedTypes: allowedTypesSchema });

export const doorSettingsInput = z.object({
  clubId: idSchema,
  showingId: idSchema,
  /** Warn at the doors when this many are inside; null: no alarm. */
  capacity: z.number().int("Capacity is a whole number.").min(1, "Capacity is at least 1.").max(1_000_000).nullable(),
  /** Doors get first names only. */
  privateNames: z.boolean(),
});

export const deviceRefInput = z.object({ clubId: idSchema, deviceId: z.uuid() });

export const pairingCodeSchema = z
  .string()
  .trim()
  .min(8, "Pairing codes have 8 characters.")
  .max(12, "Pairing codes have 8 characters.");

export const deviceSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  clubId: z.number(),
  createdAt: dateTimeOut,
  pairedAt: dateTimeOut.nullable(),
  lastSeenAt: dateTimeOut.nullable(),
  revokedAt: dateTimeOut.nullable(),
  /** Scans the device had not uploaded, as it reported at `lastSeenAt`; null before its first report. */
  unsentScans: z.number().nullable(),
  pairingOpen: z.boolean(),
  allowedTypes: z.array(z.string()),
  showings: z.array(
    z.object({ id: z.number(), startTime: dateTimeOut, location: z.string().nullable(), eventId: z.number(), eventName: z.string() }),
  ),
});

export const doorTicketSchema = z.object({
  id: z.string(),
  showingId: z.number(),
  type: z.string(),
  holderName: z.string(),
  qrGeneration: z.number(),
  valid: z.boolean(),
  attended: z.boolean(),
  attendedAt: z.string().nullable(),
  attendedDoor: z.string().nullable(),
  exitedAt: z.string().nullable(),
});

export const doorConflictSchema = z.object({
  clientScanId: z.string(),
  ticketId: z.string(),
  showingId: z.number(),
  holderName: z.string(),
  type: z.string(),
  scannedAt: z.string(),
  door: z.string().nullable(),
  reason: z.string(),
  admittedAt: z.string().nullable(),
});

export const doorCountsSchema = z.object({
  sold: z.number(),
  checkedIn: z.number(),
  inside: z.number(),
  showings: z.array(z.object({ id: z.number(), sold: z.number(), checkedIn: z.number(), inside: z.number(), capacity: z.number().nullable() })),
});

/** The types this door admits and the other doors of its showings (for "wrong door: go to ..."). */
export const doorGateSchema = z.object({
  allowedTypes: z.array(z.string()),
  otherDoors: z.array(z.object({ name: z.string(), allowedTypes: z.array(z.string()) })),
});

export const doorLiveSchema = z.object({
  sold: z.number(),
  checkedIn: z.number(),
  inside: z.number(),
  capacity: z.number().nullable(),
  /** The capacity alarm is on: inside now reached the capacity. */
  atCapacity: z.boolean(),
  privateNames: z.boolean(),
  conflicts: z.number(),
  bucketMinutes: z.number(),
  arrivals: z.array(z.object({ start: dateTimeOut, arrivals: z.number(), exits: z.number() })),
  doors: z.array(
    z.object({
      deviceId: z.string().nullable(),
      name: z.string(),
      allowedTypes: z.array(z.string()),
      lastSeenAt: dateTimeOut.nullable(),
      revoked: z.boolean(),
      admits: z.number(),
      exits: z.number(),
      conflicts: z.number(),
    }),
  ),
  at: dateTimeOut,
});

export const manifestSchema = z.object({
  device: z.object({ id: z.string(), name: z.string(), club: z.object({ code: z.string(), name: z.string() }) }),
  showings: z.array(
    z.object({
      id: z.number(),
      eventId: z.number(),
      eventName: z.string(),
      startTime: dateTimeOut,
      endTime: dateTimeOut,
      location: z.string().nullable(),
    }),
  ),
  tickets: z.array(doorTicketSchema),
  conflicts: z.array(doorConflictSchema),
  keys: z.array(z.object({ kid: z.string(), publicKey: z.string() })),
  counts: doorCountsSchema,
  gate: doorGateSchema,
  cursor: z.string(),
  serverTime: dateTimeOut,
});

export const changesSchema = z.object({
  tickets: z.array(doorTicketSchema),
  conflicts: z.array(doorConflictSchema),
  counts: doorCountsSchema,
  gate: doorGateSchema,
  cursor: z.string(),
  serverTime: dateTimeOut,
});

export const uploadedScanSchema = z.object({
  clientScanId: z.string().min(8).max(64),
  ticketId: z.uuid(),
  showingId: idSchema,
  action: z.enum(["ADMIT", "EXIT", "UNDO"]),
  undoesScanId: z.string().min(8).max(64).nullish(),
  scannedAt: z.iso.datetime({ offset: true }).transform((s) => new Date(s)),
  generation: z.number().int().min(0).nullish(),
});

/** How many scans the kiosk still has to upload besides the ones in this call (officers see it when revoking). */
export const unsentCountSchema = z.number().int().min(0).max(10_000_000).optional();

export const uploadInput = z.object({ scans: z.array(uploadedScanSchema).min(1).max(500), unsent: unsentCountSchema });

export const changesInput = z.object({ cursor: z.string().min(1).max(40), unsent: unsentCountSchema });

export const uploadResultSchema = z.object({
  clientScanId: z.string(),
  status: z.enum(["recorded", "duplicate", "rejected"]),
  conflict: z.boolean(),
  conflictReason: z.string().nullable(),
  message: z.string().nullable(),
});
