export {
  AUTH_BASE_PATH,
  createAuth,
  EMAIL_VERIFICATION_HOURS,
  PASSWORD_RESET_MINUTES,
  SIGNED_OUT_PATH,
  SIGN_IN_PROBLEM_PATH,
  SSO_PROVIDER_ID,
  type AccountMailer,
  type AccountMailUser,
  type Auth,
  type AuthConfig,
  type OidcConfig,
} from "./auth.ts";
export { resolveSession, type SessionUser } from "./session.ts";
export { createLocalAccount } from "./accounts.ts";
export {
  CLIENT_AUTH_METHODS,
  withCampusNotes,
  type AuthLogger,
  type CampusDiscoveryTiming,
  type CampusProvider,
  type CampusRequestNotes,
  type CampusSignOnState,
  type ClientAuthMethod,
} from "./campus.ts";
export { CAMPUS_ERRORS, LINK_FRESH_MINUTES } from "./campus-rules.ts";
