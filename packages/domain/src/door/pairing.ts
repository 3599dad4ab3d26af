import { randomBytes, randomInt } from "node:crypto";
import type { UserActor } from "../actor.ts";
import type { DomainDeps } from "../deps.ts";
import { DEVICE_TOKEN_PREFIX, hashDeviceToken } from "../devices.ts";
import { DomainError, notFound } from "../errors.ts";
import { RATE_RULES, type RateLimits } from "../rate-limit.ts";
import type { Roles } from "../roles.ts";
import { doorConflicts } from "./state.ts";

const PAIRING_MINUTES = 15;
const PAIRING_GUESSES_MESSAGE =
  "Too many wrong pairing codes from your network. Wait a few minutes, then type the code the officer gives you.";
// Crockford base32 without I, L, O, U: easy to read aloud and to type on a tablet.
const CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

function newPairingCode(): string {
  const chars = Array.from({ length: 8 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join("");
  return `${chars.slice(0, 4)}-${chars.slice(4)}`;
}

/** Accepts what people type: lower case, spaces, missing dash, O for 0, I/L for 1. */
export function normalizePairingCode(input: string): string {
  const cleaned = input.toUpperCase().replace(/[^0-9A-Z]/g, "").replace(/O/g, "0").replace(/[IL]/g, "1");
  return `${cleaned.slice(0, 4)}-${cleaned.slice(4)}`;
}

const deviceSelect = {
  id: true,
  name: true,
  clubId: true,
  createdAt: true,
  pairedAt: true,
  lastSeenAt: true,
  revokedAt: true,
  unsentScans: true,
  pairingExpiresAt: true,
  allowedTypes: true,
  showings: {
    select: {
      showing: { select: { id: true, startTime: true, location: true, event: { select: { id: true, name: true } } } },
    },
  },
} as const;

type DeviceRow = {
  id: string;
  name: string;
  clubId: number;
  createdAt: Date;
  pairedAt: Date | null;
  lastSeenAt: Date | null;
  revokedAt: Date | null;
  unsentScans: number | null;
  pairingExpiresAt: Date | null;
  allowedTypes: string[];
  showings: Array<{ showing: { id: number; startTime: Date; location: string | null; event: { id: number; name: string } } }>;
};

function summarize(device: DeviceRow, now: Date) {
  return {
    id: device.id,
    name: device.name,
    clubId: device.clubId,
    createdAt: device.createdAt,
    pairedAt: device.pairedAt,
    lastSeenAt: device.lastSeenAt,
    revokedAt: device.revokedAt,
    unsentScans: device.unsentScans,
    pairingOpen: !device.revokedAt && device.pairingExpiresAt !== null && device.pairingExpiresAt > now,
    allowedTypes: device.allowedTypes,
    showings: device.showings.map(({ showing }) => ({
      id: showing.id,
      startTime: showing.startTime,
      location: showing.location,
      eventId: showing.event.id,
      eventName: showing.event.name,
    })),
  };
}

export type DeviceSummary = ReturnType<typeof summarize>;

/**
 * Door devices: an officer creates one for some of the club's showings and gets a short pairing code; the tablet
 * trades the code for a device token once. Officers can revoke a device at any time.
 */
export class DevicePairing {
  constructor(
    private readonly deps: DomainDeps,
    private readonly roles: Roles,
    private readonly rateLimits: RateLimits,
  ) {}

  async create(actor: UserActor, input: { clubId: number; name: string; showingIds: number[]; allowedTypes?: string[] | undefined }) {
    await this.roles.requireClubManager(actor, input.clubId);
    const showingIds = [...new Set(input.showingIds)];
    const showings = await this.deps.prisma.showing.findMany({
      where: { id: { in: showingIds }, event: { clubId: input.clubId } },
      select: { id: true },
    });
    if (showings.length !== showingIds.length) {
      const known = new Set(showings.map((s) => s.id));
      throw new DomainError("NOT_FOUND", "Some showings were not found in this club.", {
        details: { unknownShowingIds: showingIds.filter((id) => !known.has(id)) },
      });
    }
    const code = newPairingCode();
    const now = this.deps.clock.now();
    const device = await this.deps.prisma.kioskDevice.create({
      data: {
        clubId: input.clubId,
        name: input.name,
        createdById: actor.userId,
        pairingCodeHash: hashDeviceToken(code),
        pairingExpiresAt: new Date(now.getTime() + PAIRING_MINUTES * 60_000),
        allowedTypes: await this.checkedTypes(showingIds, input.allowedTypes ?? []),
        showings: { create: showingIds.map((showingId) => ({ showingId })) },
      },
      select: deviceSelect,
    });
    return { device: summarize(device, now), pairingCode: code, pairingExpiresAt: device.pairingExpiresAt! };
  }

  /** A fresh code for an existing device (e.g. a replaced tablet); the old token stops working once it is used. */
  async renewCode(actor: UserActor, input: { clubId: number; deviceId: string }) {
    await this.roles.requireClubManager(actor, input.clubId);
    const code = newPairingCode();
    const now = this.deps.clock.now();
    const { count } = await this.deps.prisma.kioskDevice.updateMany({
      where: { id: input.deviceId, clubId: input.clubId, revokedAt: null },
      data: { pairingCodeHash: hashDeviceToken(code), pairingExpiresAt: new Date(now.getTime() + PAIRING_MINUTES * 60_000) },
    });
    if (count === 0) throw notFound("Door device");
    return { pairingCode: code, pairingExpiresAt: new Date(now.getTime() + PAIRING_MINUTES * 60_000) };
  }

  /**
   * Which ticket types the door admits (empty: all). Others are refused at the door as WRONG_DOOR, naming the doors
   * that take them; the device learns the change with its next sync.
   */
  async setAllowedTypes(actor: UserActor, input: { clubId: number; deviceId: string; allowedTypes: string[] }) {
    await this.roles.requireClubManager(actor, input.clubId);
    const device = await this.deps.prisma.kioskDevice.findFirst({
      where: { id: input.deviceId, clubId: input.clubId },
      select: { showings: { select: { showingId: true } } },
    });
    if (!device) throw notFound("Door device");
    const allowedTypes = await this.checkedTypes(device.showings.map((s) => s.showingId), input.allowedTypes);
    const updated = await this.deps.prisma.kioskDevice.update({ where: { id: input.deviceId }, data: { allowedTypes }, select: deviceSelect });
    return summarize(updated, this.deps.clock.now());
  }

  /** The types named must be ticket types of the door's showings: a typo would turn every guest away. */
  private async checkedTypes(showingIds: number[], types: string[]): Promise<string[]> {
    const wanted = [...new Set(types)];
    if (!wanted.length) return [];
    const found = await this.deps.prisma.ticket.findMany({
      where: { showingId: { in: showingIds }, type: { in: wanted } },
      select: { type: true },
      distinct: ["type"],
    });
    const known = new Set(found.map((t) => t.type));
    const unknown = wanted.filter((type) => !known.has(type));
    if (unknown.length) {
      throw new DomainError("VALIDATION_FAILED", `allowedTypes: no ticket type called ${unknown.join(", ")} in this door's showings.`, {
        details: { unknownTypes: unknown },
      });
    }
    return wanted;
  }

  async list(actor: UserActor, clubId: number) {
    await this.roles.requireClubManager(actor, clubId);
    const now = this.deps.clock.now();
    const devices = await this.deps.prisma.kioskDevice.findMany({
      where: { clubId },
      select: deviceSelect,
      orderBy: { createdAt: "desc" },
    });
    return devices.map((d) => summarize(d, now));
  }

  async revoke(actor: UserActor, input: { clubId: number; deviceId: string }) {
    await this.roles.requireClubManager(actor, input.clubId);
    const { count } = await this.deps.prisma.kioskDevice.updateMany({
      where: { id: input.deviceId, clubId: input.clubId },
      data: { revokedAt: this.deps.clock.now(), pairingCodeHash: null, pairingExpiresAt: null },
    });
    if (count === 0) throw notFound("Door device");
  }

  /** For the club's officers: the conflicting admits (two doors let one ticket in) of one of the club's showings. */
  async conflicts(actor: UserActor, input: { clubId: number; showingId: number }) {
    await this.roles.requireClubManager(actor, input.clubId);
    await this.roles.requireShowingInClub(input.showingId, input.clubId);
    return doorConflicts(this.deps.prisma, { showingIds: [input.showingId] }, "officer");
  }

  /**
   * The tablet's side: a valid, unexpired code becomes a device token, shown once and stored only as a hash.
   * A code has 40 bits and lives 15 minutes, so wrong codes are counted per client address, and an address that has
   * used up its window is refused before its code is even looked at.
   */
  async pair(input: { code: string }, clientAddress: string) {
    await this.rateLimits.requireUnder(RATE_RULES.failedPairing, clientAddress, PAIRING_GUESSES_MESSAGE);
    try {
      return await this.redeem(input.code);
    } catch (error) {
      if (error instanceof DomainError && error.code === "NOT_FOUND") {
        await this.rateLimits.countFailure(RATE_RULES.failedPairing, clientAddress, PAIRING_GUESSES_MESSAGE);
      }
      throw error;
    }
  }

  private async redeem(code: string) {
    const now = this.deps.clock.now();
    const token = `${DEVICE_TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
    const codeHash = hashDeviceToken(normalizePairingCode(code));
    const device = await this.deps.prisma.kioskDevice.findUnique({ where: { pairingCodeHash: codeHash }, select: { id: true, revokedAt: true, pairingExpiresAt: true } });
    if (!device || device.revokedAt || !device.pairingExpiresAt || device.pairingExpiresAt <= now) {
      throw new DomainError("NOT_FOUND", "That pairing code is not valid. Ask an officer for a new one.");
    }
    // Single use: only the request that clears the code gets the token.
    const { count } = await this.deps.prisma.kioskDevice.updateMany({
      where: { id: device.id, pairingCodeHash: codeHash },
      data: { tokenHash: hashDeviceToken(token), pairingCodeHash: null, pairingExpiresAt: null, pairedAt: now, lastSeenAt: now },
    });
    if (count === 0) throw new DomainError("NOT_FOUND", "That pairing code is not valid. Ask an officer for a new one.");
    const paired = await this.deps.prisma.kioskDevice.findUniqueOrThrow({
      where: { id: device.id },
      select: { ...deviceSelect, club: { select: { id: true, code: true, name: true } } },
    });
    return { token, device: summarize(paired, now), club: paired.club };
  }
}
