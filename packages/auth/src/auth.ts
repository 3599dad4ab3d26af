import type { PrismaClient } from "@admit/db";
import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { genericOAuth, bearer, username } from "better-auth/plugins";
import { bearerSessionLookup } from "./session.ts";
import {
  CampusProvider,
  consoleAuthLogger,
  type AuthLogger,
  type CampusDiscoveryTiming,
  type ClientAuthMethod,
} from "./campus.ts";
import { campusSignInRules, campusTokenExchange, campusTokenEndpointAuth } from "./campus-rules.ts";
import { claimText, usernameForSso } from "./sso-username.ts";

export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** OIDC_CLIENT_AUTH: how to send the client secret whatever discovery advertises (default: from discovery). */
  clientAuth?: ClientAuthMethod | undefined;
}

export interface AuthConfig {
  prisma: PrismaClient;
  /** Public origin of the server, e.g. https://tickets.example.edu; cookies and SSO redirects use it. */
  baseURL: string;
  /** Signs session cookies; the same value in every server process. */
  secret: string;
  oidc?: OidcConfig | undefined;
  /** Sign-in and sign-up attempts allowed per client address per window. */
  signInRateLimit: { windowSeconds: number; max: number };
  /** Browser origins allowed to post to the auth endpoints besides baseURL (e.g. the Vite dev server). */
  trustedOrigins?: string[];
  /** Writes the account messages (to the outbox: nothing here waits for a mail server). */
  mail: AccountMailer;
  /** Where campus sign-in problems and the auth library's own messages go (the console when unset). */
  logger?: AuthLogger | undefined;
  /** How campus discovery is retried (tests shorten the waits). */
  campusDiscovery?: Partial<CampusDiscoveryTiming> | undefined;
}

/** A user as the auth library hands it to the mail callbacks. */
export interface AccountMailUser {
  id: string;
  email: string;
  name: string;
  /** What the person signs in with (they may have forgotten it too). */
  username?: string | undefined;
}

export interface AccountMailer {
  passwordReset(user: AccountMailUser, token: string): Promise<void>;
  emailVerification(user: AccountMailUser, token: string): Promise<void>;
}

/** A password reset link works once, for this long. */
export const PASSWORD_RESET_MINUTES = 30;
/** An e-mail verification link works for this long (it is a signed token, not a stored one, so it is not single-use). */
export const EMAIL_VERIFICATION_HOURS = 24;

export const SSO_PROVIDER_ID = "campus";
export const AUTH_BASE_PATH = "/api/auth";
/** The storefront page every failed campus sign-in or link lands on, with `?error=<code>`. */
export const SIGN_IN_PROBLEM_PATH = "/sign-in/problem";
/** The storefront page the campus provider sends the browser back to after RP-initiated logout. */
export const SIGNED_OUT_PATH = "/signed-out";

/**
 * Accounts and sessions through better-auth: scrypt password hashes, httpOnly SameSite cookies, bearer tokens,
 * sign-in rate limits kept in the database (shared by every server process) and OpenID Connect when configured.
 */
export function createAuth(config: AuthConfig) {
  const { prisma } = config;
  const logger = config.logger ?? consoleAuthLogger;
  const campus = config.oidc
    ? new CampusProvider(config.oidc.issuer, { logger, forcedClientAuth: config.oidc.clientAuth, timing: config.campusDiscovery })
    : undefined;
  const campusRules = campus ? campusSignInRules({ prisma, campus, logger }) : undefined;
  const signInRule = { window: config.signInRateLimit.windowSeconds, max: config.signInRateLimit.max };
  const mailUser = (user: { id: string; email: string; name?: string | null; username?: string | null }): AccountMailUser => ({
    id: user.id,
    email: user.email,
    name: user.name ?? "",
    username: user.username ?? undefined,
  });
  const auth = betterAuth({
    appName: "Admit",
    baseURL: config.baseURL,
    basePath: AUTH_BASE_PATH,
    secret: config.secret,
    trustedOrigins: config.trustedOrigins ?? [],
    database: prismaAdapter(prisma, { provider: "postgresql" }),
    // Sign-up does not sign in, so accounts made by officers or scripts do not leave stray sessions behind.
    emailAndPassword: {
      enabled: true,
      autoSignIn: false,
      minPasswordLength: 8,
      maxPasswordLength: 128,
      // request-password-reset answers the same whether or not the address has an account; the token is stored hashed
      // (verification.storeIdentifier) and spent in the same transaction that sets the new password.
      sendResetPassword: ({ user, token }) => config.mail.passwordReset(mailUser(user), token),
      resetPasswordTokenExpiresIn: PASSWORD_RESET_MINUTES * 60,
      // Whoever knew the old password (or held a stolen session or API token) is out once the owner sets a new one.
      revokeSessionsOnPasswordReset: true,
    },
    emailVerification: {
      sendOnSignUp: true,
      autoSignInAfterVerification: false,
      expiresIn: EMAIL_VERIFICATION_HOURS * 60 * 60,
      // Accounts made by server code (auth.api without a request: demo data, tests) are not mailed; their maker
      // decides whether they start verified (createLocalAccount).
      sendVerificationEmail: async ({ user, token }, request) => {
        if (request) await config.mail.emailVerification(mailUser(user), token);
      },
    },
    verification: { storeIdentifier: "hashed" },
    account: {
      // OAuth access and refresh tokens from the campus provider are encrypted with the auth secret at rest.
      encryptOAuthTokens: true,
      accountLinking: {
        enabled: true,
        // Only issuer + sub identify a campus person (OpenID Connect Core 5.7). A campus sign-in joins an existing
        // local account by e-mail only when both sides vouch for the address (the provider's email_verified claim, and
        // our own verification of a password account's address) and that account has no campus identity yet; those
        // rules are campusRules.validateUserInfo, which also sees implicit links. "campus" is trusted here only so
        // that an explicit link from the account page (signed in with the password, then at the provider: both
        // proven) does not depend on the provider's claim about an address that identifies nothing.
        trustedProviders: campus ? [SSO_PROVIDER_ID] : [],
        requireLocalEmailVerified: true,
        // Explicit links only (implicit ones match by e-mail): a personal address on the password account is fine.
        allowDifferentEmails: true,
      },
    },
    user: {
      ...(campusRules ? { validateUserInfo: campusRules.validateUserInfo } : {}),
      fields: { name: "fullName" },
      additionalFields: { isSiteAdmin: { type: "boolean", defaultValue: false, input: false } },
    },
    session: { expiresIn: 60 * 60 * 24 * 30, updateAge: 60 * 60 * 24 },
    rateLimit: {
      enabled: true,
      storage: "database",
      window: 60,
      max: 300,
      // Each request for a reset or verification link writes a message, and reset tokens are what a guesser would try.
      customRules: {
        "/sign-in/*": signInRule,
        "/sign-up/*": signInRule,
        "/request-password-reset": signInRule,
        "/reset-password": signInRule,
        "/reset-password/*": signInRule,
        "/send-verification-email": signInRule,
        "/verify-email": signInRule,
      },
    },
    // Every failed redirect flow (campus sign-in or link) lands on a storefront page in plain words, never on the
    // library's developer error page; the technical reason goes to the log (apps/server/src/http/auth-routes.ts).
    onAPIError: { errorURL: `${config.baseURL}${SIGN_IN_PROBLEM_PATH}` },
    ...(campusRules ? { hooks: { before: campusRules.beforeRequest } } : {}),
    logger: {
      level: "debug",
      log: (level, message, ...args) => {
        // Discovery failures are reported once, naming OIDC_ISSUER, by CampusProvider; the library's lines add nothing.
        const quiet = /^Discovery fetch failed|Provider skipped|Failed to validate authorization code/.test(message);
        const details = args.length ? { details: args.map((a: unknown) => (a instanceof Error ? { message: a.message, name: a.name } : a)) } : {};
        logger[quiet ? "debug" : level]({ component: "better-auth", ...details }, message);
      },
    },
    advanced: {
      // better-auth skips its origin and callbackURL checks whenever NODE_ENV is "test" or TEST is set; said outright,
      // they hold whatever the environment says, and the tests exercise them as production runs them.
      disableOriginCheck: false,
      cookiePrefix: "admit",
      useSecureCookies: config.baseURL.startsWith("https://"),
      defaultCookieAttributes: { httpOnly: true, sameSite: "lax" },
      // The HTTP layer overwrites this header with the address it trusts, so clients cannot pick their own bucket.
      ipAddress: { ipAddressHeaders: ["x-forwarded-for"] },
    },
    plugins: [
      username({ minUsernameLength: 2, maxUsernameLength: 40 }),
      bearer(),
      ...(config.oidc && campus
        ? [
            genericOAuth({
              config: [
                {
                  providerId: SSO_PROVIDER_ID,
                  discoveryUrl: campus.discoveryUrl,
                  clientId: config.oidc.clientId,
                  clientSecret: config.oidc.clientSecret,
                  scopes: ["openid", "profile", "email"],
                  pkce: true,
                  // Client authentication as discovery advertises it (or OIDC_CLIENT_AUTH), for the code and refreshes.
                  tokenEndpointAuth: campusTokenEndpointAuth(campus),
                  // The same exchange better-auth would make, but the provider's own error (invalid_client, not the
                  // library's invalid_code) is kept for the problem page and the log.
                  getToken: campusTokenExchange(campus, config.oidc.clientId, config.oidc.clientSecret),
                  mapProfileToUser: async (profile) => ({
                    username: await usernameForSso(prisma, profile),
                    name: claimText(profile.name) ?? claimText(profile.email) ?? "Student",
                  }),
                },
              ],
            }),
          ]
        : []),
    ],
  });
  // How resolveSession looks bearer tokens up directly (better-auth's own tables, read-only).
  return Object.assign(auth, { findBearerSession: bearerSessionLookup(prisma), campus });
}

export type Auth = ReturnType<typeof createAuth>;
