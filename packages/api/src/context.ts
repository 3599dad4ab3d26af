import type { Auth } from "@admit/auth";
import { resolveSession } from "@admit/auth";
import {
  DEVICE_TOKEN_PREFIX,
  DomainError,
  RATE_RULES,
  revokedError,
  TOKEN_GUESSES_MESSAGE,
  type Actor,
  type Clock,
  type DeviceActor,
  type Services,
} from "@admit/domain";
import { toTRPCError } from "./errors.ts";

export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** What every procedure sees. Tests build it directly with createInnerContext; the server builds it per request. */
export interface Context {
  services: Services;
  actor: Actor;
  logger: Logger;
  /** Set when the request carried credentials that are no longer valid (revoked device, expired token). */
  credentialError?: DomainError | undefined;
  /** A revoked door device's own token: it may still upload the scans it made before the revocation, nothing else. */
  revokedDevice?: RevokedDevice | undefined;
  /** Which optional sign-in methods this server offers (the storefront shows buttons for them). */
  features?: { campusSignOn: boolean; campusSignOnAvailable?: boolean };
  /** The caller's address as the HTTP layer trusts it (Fastify's `req.ip`); absent for in-process callers. */
  clientAddress?: string;
}

export type RevokedDevice = DeviceActor & { revokedAt: Date };

export function createInnerContext(ctx: Context): Context {
  return ctx;
}

export interface ContextDeps {
  services: Services;
  auth: Auth;
  /** The injected clock sessions are judged by. */
  clock: Clock;
}

function bearerToken(headers: Headers): string | null {
  const header = headers.get("authorization");
  if (!header || !/^bearer /i.test(header)) return null;
  return header.slice(7).trim() || null;
}

/**
 * Resolves the caller from a door-device token, or from a session cookie or API token through better-auth.
 * A bearer or device token that matches nothing counts against `clientAddress`, and past the limit the request is
 * refused with 429 RATE_LIMITED; a token that works never touches the counters.
 */
export async function resolveActor(
  deps: ContextDeps,
  headers: Headers,
  clientAddress: string,
): Promise<{ actor: Actor; credentialError?: DomainError; revokedDevice?: RevokedDevice }> {
  const token = bearerToken(headers);
  if (token?.startsWith(DEVICE_TOKEN_PREFIX)) {
    try {
      const { device, revokedAt } = await deps.services.devices.identify(token, clientAddress);
      if (!revokedAt) return { actor: device };
      return { actor: null, credentialError: revokedError(), revokedDevice: { ...device, revokedAt } };
    } catch (error) {
      if (error instanceof DomainError && error.code === "RATE_LIMITED") throw toTRPCError(error);
      if (error instanceof DomainError) return { actor: null, credentialError: error };
      throw error;
    }
  }
  const user = await resolveSession(deps.auth, headers, deps.clock);
  if (user) return { actor: { kind: "user", ...user } };
  if (token) {
    try {
      await deps.services.rateLimits.countFailure(RATE_RULES.failedToken, clientAddress, TOKEN_GUESSES_MESSAGE);
    } catch (error) {
      throw toTRPCError(error);
    }
  }
  return { actor: null };
}
