export { AUTH_BASE_PATH, createAuth, SSO_PROVIDER_ID, type Auth, type AuthConfig, type OidcConfig } from "./auth.ts";
export { resolveSession, type SessionUser } from "./session.ts";
export { createLocalAccount } from "./accounts.ts";
