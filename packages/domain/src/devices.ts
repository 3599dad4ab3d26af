import { createHash } from "node:crypto";
import type { DeviceActor } from "./actor.ts";
import type { DomainDeps } from "./deps.ts";
import { DomainError } from "./errors.ts";

/** Door-device tokens carry this prefix so a request's bearer token can be routed without a database look-up. */
export const DEVICE_TOKEN_PREFIX = "admitdev_";

export function hashDeviceToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Paired door devices: they act only for the showings they were paired with, until an officer revokes them. */
export class Devices {
  constructor(private readonly deps: DomainDeps) {}

  async authenticate(token: string): Promise<DeviceActor> {
    const device = await this.deps.prisma.kioskDevice.findUnique({
      where: { tokenHash: hashDeviceToken(token) },
      select: { id: true, clubId: true, revokedAt: true, showings: { select: { showingId: true } } },
    });
    if (!device) throw new DomainError("UNAUTHENTICATED", "This door device is not paired.");
    if (device.revokedAt) throw new DomainError("DEVICE_REVOKED", "This door device was revoked by an officer.");
    return {
      kind: "device",
      deviceId: device.id,
      clubId: device.clubId,
      showingIds: device.showings.map((s) => s.showingId),
    };
  }
}
