import { createHash } from "node:crypto";
import type { DeviceActor } from "./actor.ts";
import type { DomainDeps } from "./deps.ts";
import { DomainError } from "./errors.ts";
import { RATE_RULES, type RateLimits } from "./rate-limit.ts";

export const TOKEN_GUESSES_MESSAGE =
  "Too many requests from your network with a sign-in token or door-device token that is not valid. Wait a few minutes and try again.";

/** Door-device tokens carry this prefix so a request's bearer token can be routed without a database look-up. */
export const DEVICE_TOKEN_PREFIX = "admitdev_";

/**
 * How long after its revocation a device may still deliver the scans it made before it. A tablet offline at the door
 * comes back within hours; past this a revoked token does nothing at all, so a lost or stolen tablet cannot keep
 * writing backdated check-ins (a scan's time is the tablet's own clock, which its holder controls).
 */
export const REVOKED_DELIVERY_HOURS = 48;

export function hashDeviceToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Paired door devices: they act only for the showings they were paired with, until an officer revokes them. */
export class Devices {
  constructor(
    private readonly deps: DomainDeps,
    private readonly rateLimits: RateLimits,
  ) {}

  /**
   * The device behind a token. A token that matches no device counts against `clientAddress` (tokens are 256 random
   * bits, so a miss is a guess or a typo); past the limit the answer is 429. A known device is never slowed.
   */
  async authenticate(token: string, clientAddress: string): Promise<DeviceActor> {
    const { device, revokedAt } = await this.identify(token, clientAddress);
    if (revokedAt) throw revokedError();
    return device;
  }

  /**
   * The device behind a token, revoked or not. Only the upload of scans made before the revocation accepts a revoked
   * device (a tablet that was offline when an officer revoked it still delivers what it admitted), and only for
   * REVOKED_DELIVERY_HOURS after it; everything else goes through `authenticate`.
   */
  async identify(token: string, clientAddress: string): Promise<{ device: DeviceActor; revokedAt: Date | null }> {
    const device = await this.deps.prisma.kioskDevice.findUnique({
      where: { tokenHash: hashDeviceToken(token) },
      select: { id: true, clubId: true, revokedAt: true, showings: { select: { showingId: true } } },
    });
    if (!device) {
      await this.rateLimits.countFailure(RATE_RULES.failedToken, clientAddress, TOKEN_GUESSES_MESSAGE);
      throw new DomainError("UNAUTHENTICATED", "This door device is not paired.");
    }
    if (device.revokedAt && this.deps.clock.now().getTime() - device.revokedAt.getTime() > REVOKED_DELIVERY_HOURS * 3_600_000) {
      throw revokedError();
    }
    return {
      device: { kind: "device", deviceId: device.id, clubId: device.clubId, showingIds: device.showings.map((s) => s.showingId) },
      revokedAt: device.revokedAt,
    };
  }
}

export function revokedError(): DomainError {
  return new DomainError("DEVICE_REVOKED", "This door device was revoked by an officer.");
}
