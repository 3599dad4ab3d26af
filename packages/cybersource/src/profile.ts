/** One Secure Acceptance profile: where the hosted payment page is, and the keys requests are signed with. */
export interface SecureAcceptanceProfile {
  /** The hosted checkout `/pay` URL (CyberSource's, or the local sandbox's). */
  url: string;
  accessKey: string;
  profileId: string;
  secretKey: string;
}

/** CyberSource REST API credentials (Business Center, Key Management, "REST - Shared Secret"); used for refunds. */
export interface RestCredentials {
  /** `apitest.cybersource.com`, `api.cybersource.com`, or a full base URL such as `http://127.0.0.1:9000` for a fake. */
  host: string;
  merchantId: string;
  keyId: string;
  /** The shared secret exactly as Business Center shows it: base64 text. */
  sharedSecret: string;
}

/**
 * Keys of the local development sandbox. They are public on purpose: the sandbox never moves money, and the real
 * CyberSource refuses them.
 */
export const DEVELOPMENT_ACCESS_KEY = "admitdevelopmentaccesskey0000000";
export const DEVELOPMENT_PROFILE_ID = "ADM1DE70-0000-4000-8000-5A4DB0C00000";
export const DEVELOPMENT_SECRET_KEY = "admit-development-secret-key-not-for-production-use-0123456789abcdef";

/** The sandbox profile for a server reachable at `publicUrl`. */
export function developmentProfile(publicUrl: string, secretKey = DEVELOPMENT_SECRET_KEY): SecureAcceptanceProfile {
  return {
    url: `${publicUrl.replace(/\/$/, "")}/sandbox/cybersource/pay`,
    accessKey: DEVELOPMENT_ACCESS_KEY,
    profileId: DEVELOPMENT_PROFILE_ID,
    secretKey,
  };
}
