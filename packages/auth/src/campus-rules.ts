import type { PrismaClient } from "@admit/db";
import { APIError, createAuthMiddleware, getOAuthState, getSessionFromCtx } from "better-auth/api";
import { encodeBasicCredentials, validateAuthorizationCode, type TokenEndpointAuth } from "better-auth/oauth2";
import { noteProviderError, type AuthLogger, type CampusProvider } from "./campus.ts";
import { claimText } from "./sso-username.ts";

const CAMPUS = "campus";
/** better-auth's provider id for username/password accounts. */
const PASSWORD_ACCOUNT = "credential";
/**
 * Linking a campus identity from the account page needs a sign-in with the password this recent: on a shared computer
 * a session someone left open must not let the next person attach their own campus identity to it (and so own it).
 */
export const LINK_FRESH_MINUTES = 10;

/** Codes of our own on the problem page (better-auth's are listed there too); the storefront words each one. */
export const CAMPUS_ERRORS = {
  /** The address belongs to an account of another campus identity (another `sub`): never joined by e-mail. */
  identityConflict: "campus_identity_conflict",
  /** The account already has a different campus identity. */
  alreadyLinked: "campus_already_linked",
  /** better-auth's code when an e-mail match may not be joined implicitly: sign in with the password and link. */
  notLinked: "account_not_linked",
} as const;

/**
 * Client authentication at the token endpoint as CampusProvider chose it (OIDC_CLIENT_AUTH, else discovery's
 * token_endpoint_auth_methods_supported with client_secret_basic as the default), for code exchanges and refreshes.
 */
export function campusTokenEndpointAuth(campus: CampusProvider): TokenEndpointAuth {
  return {
    method: "custom",
    customizeRequest: ({ body, headers, options }) => {
      const clientId = (Array.isArray(options.clientId) ? options.clientId[0] : options.clientId) ?? "";
      const secret = options.clientSecret ?? "";
      if (campus.clientAuthMethod === "client_secret_post") {
        body.set("client_id", clientId);
        body.set("client_secret", secret);
      } else {
        headers.authorization = encodeBasicCredentials(clientId, secret);
      }
    },
  };
}

/** The code exchange, noting what the provider said when it refuses (better-auth reports every refusal as invalid_code). */
export function campusTokenExchange(campus: CampusProvider, clientId: string, clientSecret: string) {
  return async (data: { code: string; redirectURI: string; codeVerifier?: string | undefined }) => {
    if (!campus.metadata) await campus.refresh();
    const tokenEndpoint = campus.metadata?.token_endpoint;
    if (!tokenEndpoint) {
      noteProviderError({ error: "provider_unreachable", description: campus.unavailableReason ?? "no discovery document" });
      throw new Error("campus provider unavailable");
    }
    try {
      return await validateAuthorizationCode({
        code: data.code,
        codeVerifier: data.codeVerifier,
        redirectURI: data.redirectURI,
        options: { clientId, clientSecret, redirectURI: data.redirectURI },
        tokenEndpoint,
        tokenEndpointAuth: campusTokenEndpointAuth(campus),
      });
    } catch (error) {
      noteProviderError(providerError(error));
      throw error;
    }
  };
}

/** betterFetch's error is the token endpoint's JSON error body (RFC 6749 5.2) plus the status; a throw is a network failure. */
function providerError(error: unknown): { error: string; description?: string; status?: number } {
  if (error && typeof error === "object" && "error" in error && typeof error.error === "string") {
    const e = error as { error: string; error_description?: unknown; status?: unknown };
    return {
      error: e.error,
      ...(typeof e.error_description === "string" ? { description: e.error_description } : {}),
      ...(typeof e.status === "number" ? { status: e.status } : {}),
    };
  }
  if (error && typeof error === "object" && "status" in error && typeof error.status === "number") {
    return { error: "token_endpoint_error", status: error.status };
  }
  return { error: "provider_unreachable", description: error instanceof Error ? error.message : String(error) };
}

/**
 * Who a campus identity may become. Only issuer + sub identify a person (OpenID Connect Core 5.7): a campus sign-in
 * finds its account by `sub` alone; an e-mail match joins an existing account only if it is a password account whose
 * address we verified, the provider says email_verified, and it has no campus identity yet. Anything else is refused
 * with a code the problem page explains, never someone else's account.
 */
export function campusSignInRules({ prisma, campus, logger }: { prisma: PrismaClient; campus: CampusProvider; logger: AuthLogger }) {
  const validateUserInfo = async ({
    user,
    source,
  }: {
    user: Record<string, unknown>;
    source: { action: string; method: string; oauth?: { providerId: string; profile?: Record<string, unknown> | undefined } | undefined };
  }) => {
    if (source.method !== "oauth" || source.oauth?.providerId !== CAMPUS || source.action !== "link-account") return;
    const userId = String(user.id);
    const sub = claimText(source.oauth.profile?.sub) ?? "";
    const accounts = await prisma.account.findMany({ where: { userId }, select: { providerId: true, accountId: true } });
    const explicit = Boolean((await getOAuthState())?.link);
    const otherCampus = accounts.some((a) => a.providerId === CAMPUS && a.accountId !== sub);
    if (otherCampus) {
      logger.warn({ userId, sub, explicit }, "campus sign-in refused: the account already belongs to another campus identity");
      return explicit
        ? { error: CAMPUS_ERRORS.alreadyLinked, errorDescription: "This account is already linked to another campus identity." }
        : {
            error: CAMPUS_ERRORS.identityConflict,
            errorDescription: "The e-mail address belongs to an account of another campus identity.",
          };
    }
    // Explicit: the student signed in with the password and then at the provider, so both are proven.
    if (explicit) return;
    const passwordAccount = accounts.some((a) => a.providerId === PASSWORD_ACCOUNT);
    if (!passwordAccount || user.emailVerified !== true) {
      logger.info(
        { userId, sub, passwordAccount, providerEmailVerified: user.emailVerified === true },
        "campus sign-in not joined to the account with the same e-mail",
      );
      return { error: CAMPUS_ERRORS.notLinked, errorDescription: "An account with this e-mail address exists and is not linked." };
    }
  };

  /** Starting a campus sign-in or link: the provider must be reachable, and a link needs a recent password sign-in. */
  const beforeRequest = createAuthMiddleware(async (ctx) => {
    const body = ctx.body as { provider?: unknown } | undefined;
    if ((ctx.path !== "/sign-in/social" && ctx.path !== "/link-social") || body?.provider !== CAMPUS) return;
    if (!campus.available) await campus.refresh();
    if (!campus.available) {
      throw new APIError("SERVICE_UNAVAILABLE", {
        code: "CAMPUS_SIGN_IN_UNAVAILABLE",
        message: "Campus sign-in is unavailable right now. Try again in a few minutes, or use your username and password.",
      });
    }
    if (ctx.path === "/link-social") {
      const session = await getSessionFromCtx(ctx);
      const age = session ? Date.now() - new Date(session.session.createdAt).getTime() : Infinity;
      if (session && age > LINK_FRESH_MINUTES * 60_000) {
        throw new APIError("FORBIDDEN", {
          code: "SIGN_IN_AGAIN_TO_LINK",
          message: `To link your campus account, sign in again with your password first (within ${LINK_FRESH_MINUTES} minutes).`,
        });
      }
    }
  });

  return { validateUserInfo, beforeRequest };
}
