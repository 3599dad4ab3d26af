import type { Auth } from "@admit/auth";
import { resolveSession } from "@admit/auth";
import { DEVICE_TOKEN_PREFIX, DomainError, type Actor, type Services } from "@admit/domain";

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
  /** Which optional sign-in methods this server offers (the storefront shows buttons for them). */
  features?: { campusSignOn: boolean };
}

export function createInnerContext(ctx: Context): Context {
  return ctx;
}

export interface ContextDeps {
  services: Services;
  auth: Auth;
}

function bearerToken(headers: Headers): string | null {
  const header = headers.get("authorization");
  if (!header || !/^bearer /i.test(header)) return null;
  return header.slice(7).trim() || null;
}

/** Resolves the caller from a door-device token, or from a session cookie or API token through better-auth. */
export async function resolveActor(
  deps: ContextDeps,
  headers: Headers,
): Promise<{ actor: Actor; credentialError?: DomainError }> {
  const token = bearerToken(headers);
  if (token?.startsWith(DEVICE_TOKEN_PREFIX)) {
    try {
      return { actor: await deps.services.devices.authenticate(token) };
    } catch (error) {
      if (error instanceof DomainError) return { actor: null, credentialError: error };
      throw error;
    }
  }
  const user = await resolveSession(deps.auth, headers);
  return { actor: user ? { kind: "user", ...user } : null };
}
