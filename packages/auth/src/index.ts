export {
  AUTH_BASE_PATH,
  createAuth,
  EMAIL_VERIFICATION_HOURS,
  PASSWORD_RESET_MINUTES,
  SSO_PROVIDER_ID,
  type AccountMailer,
  type AccountMailUser,
  type Auth,
  type AuthConfig,
  type OidcConfig,
} from "./auth.ts";
export { resolveSession, type SessionUser } from "./session.ts";
export { createLocalAccount } from "./accounts.ts";
