import type { PrismaClient } from "@admit/db";
import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { bearer, genericOAuth, username } from "better-auth/plugins";
import { bearerSessionLookup } from "./session.ts";
import { usernameForSso } from "./sso-username.ts";

export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
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
}

export const SSO_PROVIDER_ID = "campus";
export const AUTH_BASE_PATH = "/api/auth";

/**
 * Accounts and sessions through better-auth: scrypt password hashes, httpOnly SameSite cookies, bearer tokens,
 * sign-in rate limits kept in the database (shared by every server process) and OpenID Connect when configured.
 */
export function createAuth(config: AuthConfig) {
  const { prisma } = config;
  const signInRule = { window: config.signInRateLimit.windowSeconds, max: config.signInRateLimit.max };
  const auth = betterAuth({
    appName: "Admit",
    baseURL: config.baseURL,
    basePath: AUTH_BASE_PATH,
    secret: config.secret,
    trustedOrigins: config.trustedOrigins ?? [],
    database: prismaAdapter(prisma, { provider: "postgresql" }),
    // Sign-up does not sign in, so accounts made by officers or scripts do not leave stray sessions behind.
    emailAndPassword: { enabled: true, autoSignIn: false, minPasswordLength: 8, maxPasswordLength: 128 },
    user: {
      fields: { name: "fullName" },
      additionalFields: { isSiteAdmin: { type: "boolean", defaultValue: false, input: false } },
    },
    session: { expiresIn: 60 * 60 * 24 * 30, updateAge: 60 * 60 * 24 },
    rateLimit: {
      enabled: true,
      storage: "database",
      window: 60,
      max: 300,
      customRules: { "/sign-in/*": signInRule, "/sign-up/*": signInRule },
    },
    advanced: {
      cookiePrefix: "admit",
      useSecureCookies: config.baseURL.startsWith("https://"),
      defaultCookieAttributes: { httpOnly: true, sameSite: "lax" },
      // The HTTP layer overwrites this header with the address it trusts, so clients cannot pick their own bucket.
      ipAddress: { ipAddressHeaders: ["x-forwarded-for"] },
    },
    plugins: [
      username({ minUsernameLength: 2, maxUsernameLength: 40 }),
      bearer(),
      ...(config.oidc
        ? [
            genericOAuth({
              config: [
                {
                  providerId: SSO_PROVIDER_ID,
                  discoveryUrl: `${config.oidc.issuer.replace(/\/$/, "")}/.well-known/openid-configuration`,
                  clientId: config.oidc.clientId,
                  clientSecret: config.oidc.clientSecret,
                  scopes: ["openid", "profile", "email"],
                  pkce: true,
                  mapProfileToUser: async (profile) => ({
                    username: await usernameForSso(prisma, profile),
                    name: String(profile.name ?? profile.email ?? "Student"),
                  }),
                },
              ],
            }),
          ]
        : []),
    ],
  });
  // How resolveSession looks bearer tokens up directly (better-auth's own tables, read-only).
  return Object.assign(auth, { findBearerSession: bearerSessionLookup(prisma) });
}

export type Auth = ReturnType<typeof createAuth>;
