import { AsyncLocalStorage } from "node:async_hooks";

/** What the auth package logs through (pino's shape: an object, then a message). */
export interface AuthLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export const consoleAuthLogger: AuthLogger = {
  debug: () => {},
  info: (obj, msg) => console.info(msg, obj),
  warn: (obj, msg) => console.warn(msg, obj),
  error: (obj, msg) => console.error(msg, obj),
};

/** How the client secret reaches the token endpoint (RFC 6749 2.3.1; OpenID Connect Core 9). */
export const CLIENT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"] as const;
export type ClientAuthMethod = (typeof CLIENT_AUTH_METHODS)[number];

/** The parts of the provider's discovery document (OpenID Connect Discovery 1.0, section 3) Admit uses. */
export interface ProviderMetadata {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
  userinfo_endpoint?: string;
  end_session_endpoint?: string;
  token_endpoint_auth_methods_supported?: string[];
}

export type CampusSignOnState = "off" | "available" | "unavailable";

export interface CampusDiscoveryTiming {
  /** First wait after a failed discovery; doubled after each failure up to `retryMaxMs`. */
  retryFirstMs: number;
  retryMaxMs: number;
  /** While the provider answers, its document is fetched again this often (endpoints and keys can move). */
  recheckMs: number;
  /** One discovery request may take this long. */
  timeoutMs: number;
}

export const DEFAULT_DISCOVERY_TIMING: CampusDiscoveryTiming = {
  retryFirstMs: 1_000,
  retryMaxMs: 60_000,
  recheckMs: 10 * 60_000,
  timeoutMs: 5_000,
};

/**
 * What one request through the auth handler learned about a failed campus sign-in that better-auth itself reduces to
 * a generic code (the token endpoint's own error, e.g. invalid_client, becomes better-auth's invalid_code).
 */
export interface CampusRequestNotes {
  providerError?: { error: string; description?: string; status?: number };
}

const requestNotes = new AsyncLocalStorage<CampusRequestNotes>();

/** Runs one auth request with a place for campus sign-in notes; the HTTP layer reads them for its log and redirect. */
export function withCampusNotes<T>(notes: CampusRequestNotes, run: () => Promise<T>): Promise<T> {
  return requestNotes.run(notes, run);
}

export function noteProviderError(error: CampusRequestNotes["providerError"]) {
  const notes = requestNotes.getStore();
  if (notes && error) notes.providerError = error;
}

const trimSlash = (url: string) => url.replace(/\/+$/, "");

/**
 * The campus provider as this process last saw it: discovery (OpenID Connect Discovery 1.0) fetched at start and, while
 * it fails, again in the background with a doubling wait, so campus sign-in comes back by itself when the provider
 * does. It is a cache of the provider's state, not ours, so each process keeps its own.
 */
export class CampusProvider {
  readonly discoveryUrl: string;
  private metadataValue: ProviderMetadata | undefined;
  private stateValue: "available" | "unavailable" | "starting" = "starting";
  private reason: string | undefined;
  private failures = 0;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<boolean> | undefined;
  private stopped = false;

  constructor(
    readonly issuer: string,
    private readonly options: {
      logger: AuthLogger;
      /** OIDC_CLIENT_AUTH: a method to use whatever discovery says. */
      forcedClientAuth?: ClientAuthMethod | undefined;
      timing?: Partial<CampusDiscoveryTiming> | undefined;
      fetch?: typeof fetch;
    },
  ) {
    this.discoveryUrl = `${trimSlash(issuer)}/.well-known/openid-configuration`;
  }

  private get timing(): CampusDiscoveryTiming {
    return { ...DEFAULT_DISCOVERY_TIMING, ...this.options.timing };
  }

  get state(): CampusSignOnState {
    return this.stateValue === "available" ? "available" : "unavailable";
  }

  get available(): boolean {
    return this.stateValue === "available";
  }

  get metadata(): ProviderMetadata | undefined {
    return this.metadataValue;
  }

  /** Why the provider is unavailable, for health and logs. */
  get unavailableReason(): string | undefined {
    return this.stateValue === "available" ? undefined : this.reason;
  }

  /**
   * The token endpoint authentication: OIDC_CLIENT_AUTH when set; otherwise client_secret_basic, the default of
   * OpenID Connect Core and OAuth 2.0, unless discovery lists methods without it and with client_secret_post.
   */
  get clientAuthMethod(): ClientAuthMethod {
    if (this.options.forcedClientAuth) return this.options.forcedClientAuth;
    const supported = this.metadataValue?.token_endpoint_auth_methods_supported;
    if (supported && !supported.includes("client_secret_basic") && supported.includes("client_secret_post")) {
      return "client_secret_post";
    }
    return "client_secret_basic";
  }

  /** Fetches discovery now; later attempts follow by themselves. */
  start(): Promise<boolean> {
    return this.refresh();
  }

  stop() {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Tries discovery at once (a sign-in click while unavailable should not wait for the next retry). */
  refresh(): Promise<boolean> {
    this.inFlight ??= this.discover().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private schedule(ms: number) {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), ms);
    this.timer.unref();
  }

  private async discover(): Promise<boolean> {
    const { logger } = this.options;
    const timing = this.timing;
    try {
      const metadata = await this.fetchMetadata(timing.timeoutMs);
      const wasDown = this.stateValue === "unavailable";
      this.metadataValue = metadata;
      this.stateValue = "available";
      this.reason = undefined;
      this.failures = 0;
      if (wasDown) logger.info({ issuer: this.issuer }, "campus sign-in is available again: the provider at OIDC_ISSUER answered discovery");
      logger.debug(
        { issuer: metadata.issuer, clientAuth: this.clientAuthMethod, endSession: Boolean(metadata.end_session_endpoint) },
        "campus provider discovered",
      );
      this.schedule(timing.recheckMs);
      return true;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const wasUp = this.stateValue !== "unavailable";
      this.stateValue = "unavailable";
      this.reason = reason;
      const wait = Math.min(timing.retryMaxMs, timing.retryFirstMs * 2 ** Math.min(this.failures, 20));
      this.failures++;
      // Said once when it goes down, not at every retry.
      if (wasUp) {
        logger.warn(
          { issuer: this.issuer, discoveryUrl: this.discoveryUrl, reason },
          `campus sign-in is unavailable: the OpenID Connect provider set in OIDC_ISSUER (${this.issuer}) did not answer discovery (${reason}). Students see "campus sign-in is unavailable right now"; Admit keeps trying in the background and campus sign-in comes back by itself. Check OIDC_ISSUER if this lasts.`,
        );
      } else {
        logger.debug({ issuer: this.issuer, reason, retryInMs: wait }, "campus provider still unavailable");
      }
      this.schedule(wait);
      return false;
    }
  }

  private async fetchMetadata(timeoutMs: number): Promise<ProviderMetadata> {
    const doFetch = this.options.fetch ?? fetch;
    let response: Response;
    try {
      response = await doFetch(this.discoveryUrl, {
        headers: { accept: "application/json" },
        redirect: "error",
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : "";
      throw new Error(`${this.discoveryUrl} could not be reached (${error instanceof Error ? error.message : String(error)}${cause})`, {
        cause: error,
      });
    }
    if (!response.ok) throw new Error(`${this.discoveryUrl} answered ${response.status}`);
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      throw new Error(`${this.discoveryUrl} did not answer with JSON`);
    }
    const doc = (body && typeof body === "object" ? body : {}) as Record<string, unknown>;
    const missing = ["issuer", "authorization_endpoint", "token_endpoint", "jwks_uri"].filter((k) => typeof doc[k] !== "string");
    if (missing.length) throw new Error(`the discovery document lacks ${missing.join(", ")}`);
    // Discovery 4.3: the document must name the very issuer it was fetched for, or its ID tokens are someone else's.
    if (trimSlash(doc.issuer as string) !== trimSlash(this.issuer)) {
      throw new Error(`the discovery document names the issuer ${String(doc.issuer)}, not ${this.issuer}`);
    }
    const methods = doc.token_endpoint_auth_methods_supported;
    return {
      issuer: doc.issuer as string,
      authorization_endpoint: doc.authorization_endpoint as string,
      token_endpoint: doc.token_endpoint as string,
      jwks_uri: doc.jwks_uri as string,
      ...(typeof doc.userinfo_endpoint === "string" ? { userinfo_endpoint: doc.userinfo_endpoint } : {}),
      ...(typeof doc.end_session_endpoint === "string" ? { end_session_endpoint: doc.end_session_endpoint } : {}),
      ...(Array.isArray(methods) ? { token_endpoint_auth_methods_supported: methods.filter((m): m is string => typeof m === "string") } : {}),
    };
  }
}
