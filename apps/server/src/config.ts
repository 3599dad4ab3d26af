import { isIP } from "node:net";
import { resolve } from "node:path";
import { developmentProfile, type RestCredentials, type SecureAcceptanceProfile } from "@admit/cybersource";
import { canonicalTimeZone, DEFAULT_SITE_TIME_ZONE, isTimeZone } from "@admit/domain";
import { checkKeyIds, parseSigningKey, TicketKeyError, type SigningKey } from "@admit/ticket-codes";
import { z } from "zod";

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

const booleanFlag = z
  .enum(["true", "false", "1", "0", "yes", "no"], { message: "use true or false" })
  .transform((v) => ["true", "1", "yes"].includes(v));

const positiveInt = z.coerce.number().int().positive();

/** proxy-addr's names for private ranges, which Fastify's trustProxy also accepts. */
const NAMED_RANGES = new Set(["loopback", "linklocal", "uniquelocal"]);

function isAddressOrRange(entry: string): boolean {
  if (NAMED_RANGES.has(entry)) return true;
  const [address, prefix, ...rest] = entry.split("/");
  const family = isIP(address ?? "");
  if (!family || rest.length) return false;
  if (prefix === undefined) return true;
  // A /0 range trusts every address, which is `true` by another name.
  return /^\d{1,3}$/.test(prefix) && Number(prefix) >= 1 && Number(prefix) <= (family === 4 ? 32 : 128);
}

const TRUST_PROXY_HINT =
  "give the load balancer's own addresses or CIDR ranges, comma-separated (e.g. 10.0.0.0/8,192.168.1.5; loopback, linklocal and uniquelocal name those ranges)";

/**
 * The proxies whose X-Forwarded-For entries are believed: none (false), or the load balancer's addresses and
 * ranges, so the client is the rightmost address in the chain that is not one of them. `true` would trust every hop
 * and take the leftmost entry, which the client writes itself; a hop count cannot tell the balancer from a
 * client that connects directly and sends the header (Fastify 5 ignores hop counts for that reason). Both are
 * refused rather than silently weakened.
 */
const trustProxy = z.string().transform((value, ctx): TrustProxy => {
  const v = value.trim().toLowerCase();
  if (v === "" || v === "false" || v === "no" || v === "0") return false;
  if (v === "true" || v === "yes" || /^\d+$/.test(v)) {
    ctx.addIssue({
      code: "custom",
      message: `${v === "true" || v === "yes" ? "true would trust every hop" : "a hop count would trust whoever connects"}, so any client could choose its own address (and dodge the sign-in rate limit) by sending X-Forwarded-For; ${TRUST_PROXY_HINT}, or false`,
    });
    return z.NEVER;
  }
  const entries = value.split(",").map((entry) => entry.trim().toLowerCase());
  const bad = entries.filter((entry) => !isAddressOrRange(entry));
  if (bad.length) {
    ctx.addIssue({
      code: "custom",
      message: `not an address or CIDR range: ${bad.map((b) => JSON.stringify(b)).join(", ")}; ${TRUST_PROXY_HINT}, or false`,
    });
    return z.NEVER;
  }
  return entries;
});

export interface SmtpSettings {
  host: string;
  port: number;
  /** smtps:// (TLS from the first byte); smtp:// upgrades with STARTTLS when the server offers it. */
  secure: boolean;
  auth: { user: string; pass: string } | undefined;
}

/** smtp://user:pass@host:587 or smtps://user:pass@host:465; the messages never repeat the value (it holds a password). */
const smtpUrl = z.string().transform((value, ctx): SmtpSettings => {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== "smtp:" && url.protocol !== "smtps:") || !url.hostname) {
    ctx.addIssue({ code: "custom", message: "must look like smtp://user:password@host:587 or smtps://user:password@host:465" });
    return z.NEVER;
  }
  const secure = url.protocol === "smtps:";
  const [user, pass] = [url.username, url.password].map(decodeUrlPart);
  if (user === undefined || pass === undefined) {
    ctx.addIssue({ code: "custom", message: "has a badly percent-encoded user name or password" });
    return z.NEVER;
  }
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, "$1"),
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    auth: user ? { user, pass } : undefined,
  };
});

function decodeUrlPart(part: string): string | undefined {
  try {
    return decodeURIComponent(part);
  } catch {
    return undefined;
  }
}

const mailbox = /^[^\s@<>]+@[^\s@<>]+$/;
const mailFrom = z
  .string()
  .trim()
  .refine((v) => mailbox.test(v) || /^[^<>]*<([^\s@<>]+@[^\s@<>]+)>$/.test(v), {
    message: 'must be an address such as tickets@example.edu or "Admit <tickets@example.edu>"',
  });

/** "1:<base64url key>,2:<base64url key>": Ed25519 private keys by key id; the first signs QR codes, all verify. */
const qrSigningKeyList = z.string().transform((value, ctx): SigningKey[] => {
  try {
    const keys = value
      .split(/[\s,]+/)
      .filter(Boolean)
      .map((entry) => parseSigningKey(entry));
    checkKeyIds(keys);
    return keys;
  } catch (error) {
    // The messages name key ids only, never key material.
    ctx.addIssue({ code: "custom", message: error instanceof TicketKeyError ? error.message : "is not a list of kid:key" });
    return z.NEVER;
  }
});

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  PUBLIC_URL: z.url({ message: "must be a full URL such as https://tickets.example.edu" }).optional(),
  DATABASE_URL: optionalString.pipe(
    z.string().regex(/^postgres(ql)?:\/\//, "must start with postgresql://").optional(),
  ),
  DATABASE_LISTEN_URL: optionalString.pipe(
    z.string().regex(/^postgres(ql)?:\/\//, "must start with postgresql://").optional(),
  ),
  DATABASE_POOL_SIZE: positiveInt.default(20),
  DATABASE_PREPARED_STATEMENTS: booleanFlag.default(true),
  ADMIT_DATA_DIR: z.string().default(".data"),
  AUTH_SECRET: optionalString.pipe(z.string().min(32, "must be at least 32 characters").optional()),
  TRUST_PROXY: z.string().default("false").pipe(trustProxy),
  SIGNIN_RATE_LIMIT_MAX: positiveInt.default(10),
  SIGNIN_RATE_LIMIT_WINDOW_SECONDS: positiveInt.default(60),
  OIDC_ISSUER: optionalString.pipe(z.url().optional()),
  OIDC_CLIENT_ID: optionalString,
  OIDC_CLIENT_SECRET: optionalString,
  OIDC_CLIENT_AUTH: optionalString.pipe(
    z.enum(["client_secret_basic", "client_secret_post"], { message: "use client_secret_basic or client_secret_post" }).optional(),
  ),
  SEED_DEMO_DATA: booleanFlag.default(true),
  CHECKOUT_HOLD_MINUTES: positiveInt.max(60, "must be at most 60 (minutes)").default(10),
  SMTP_URL: optionalString.pipe(smtpUrl.optional()),
  MAIL_FROM: mailFrom.default("Admit <tickets@localhost>"),
  CYBERSOURCE_URL: optionalString.pipe(z.url({ message: "must be the full /pay URL" }).optional()),
  CYBERSOURCE_ACCESS_KEY: optionalString,
  CYBERSOURCE_PROFILE_ID: optionalString,
  CYBERSOURCE_SECRET_KEY: optionalString,
  CYBERSOURCE_SANDBOX: optionalString.pipe(booleanFlag.optional()),
  CYBERSOURCE_SANDBOX_REFUNDS: optionalString.pipe(booleanFlag.optional()),
  CYBERSOURCE_REST_HOST: optionalString,
  CYBERSOURCE_MERCHANT_ID: optionalString,
  CYBERSOURCE_REST_KEY_ID: optionalString,
  CYBERSOURCE_REST_SECRET: optionalString.pipe(
    z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/, "must be the base64 shared secret from Business Center").optional(),
  ),
  QR_SIGNING_KEYS: optionalString.pipe(qrSigningKeyList.optional()),
  TIME_ZONE: optionalString
    .pipe(
      z
        .string()
        .refine(isTimeZone, {
          message: "is not a time zone this server knows; use an IANA name such as America/New_York, America/Chicago or Europe/London",
        })
        .optional(),
    )
    .transform((zone) => (zone === undefined ? DEFAULT_SITE_TIME_ZONE : canonicalTimeZone(zone))),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export type Env = z.infer<typeof envSchema>;

/** false: the connecting address is the client; otherwise the trusted proxies (Fastify's trustProxy list). */
export type TrustProxy = false | string[];

export interface Config {
  port: number;
  host: string;
  publicUrl: string;
  databaseUrl: string | undefined;
  /** A direct connection for LISTEN (door push) when DATABASE_URL goes through a transaction-pooling PgBouncer. */
  databaseListenUrl: string | undefined;
  databasePoolSize: number;
  /** Off behind a pooler that cannot keep prepared statements (PgBouncer in transaction mode before 1.21). */
  databasePreparedStatements: boolean;
  dataDir: string;
  authSecret: string | undefined;
  trustProxy: TrustProxy;
  signInRateLimit: { windowSeconds: number; max: number };
  /** Campus sign-on; `clientAuth` forces the token endpoint authentication (otherwise chosen from discovery). */
  oidc: { issuer: string; clientId: string; clientSecret: string; clientAuth?: "client_secret_basic" | "client_secret_post" } | undefined;
  seedDemoData: boolean;
  /** How long a paid checkout holds its tickets while the student pays. */
  checkoutHoldMinutes: number;
  logLevel: Env["LOG_LEVEL"];
  /** IANA zone of clubs without one of their own: times in e-mails, CSV files and calendar files are written in it. */
  timeZone: string;
  /** Keys that sign ticket QR codes (first signs, all verify); undefined: one is generated and stored in the database. */
  qrSigningKeys: SigningKey[] | undefined;
  /** Outgoing e-mail: an SMTP server, or none (messages then go to the development mailbox). */
  mail: { smtp: SmtpSettings | undefined; from: string };
  /** Secure Acceptance keys (the local sandbox's when none are configured) and optional REST keys for refunds. */
  cybersource: { profile: SecureAcceptanceProfile; sandbox: boolean; sandboxRefunds: boolean; rest?: RestCredentials };
}

export class ConfigError extends Error {}

/** Reads and checks the whole configuration at start; a bad value stops the server with a message naming it. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new ConfigError(`Admit cannot start: the configuration has bad values.\n${problems}`);
  }
  const e = parsed.data;
  const oidcParts = [e.OIDC_ISSUER, e.OIDC_CLIENT_ID, e.OIDC_CLIENT_SECRET];
  if (oidcParts.some(Boolean) && !oidcParts.every(Boolean)) {
    throw new ConfigError(
      "Admit cannot start: campus sign-on needs OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET together.",
    );
  }
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, "");
  return {
    port: e.PORT,
    host: e.HOST,
    publicUrl,
    databaseUrl: e.DATABASE_URL,
    databaseListenUrl: e.DATABASE_LISTEN_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    databasePreparedStatements: e.DATABASE_PREPARED_STATEMENTS,
    dataDir: resolve(e.ADMIT_DATA_DIR),
    authSecret: e.AUTH_SECRET,
    trustProxy: e.TRUST_PROXY,
    signInRateLimit: { windowSeconds: e.SIGNIN_RATE_LIMIT_WINDOW_SECONDS, max: e.SIGNIN_RATE_LIMIT_MAX },
    oidc:
      e.OIDC_ISSUER && e.OIDC_CLIENT_ID && e.OIDC_CLIENT_SECRET
        ? {
            issuer: e.OIDC_ISSUER,
            clientId: e.OIDC_CLIENT_ID,
            clientSecret: e.OIDC_CLIENT_SECRET,
            ...(e.OIDC_CLIENT_AUTH ? { clientAuth: e.OIDC_CLIENT_AUTH } : {}),
          }
        : undefined,
    seedDemoData: e.SEED_DEMO_DATA,
    checkoutHoldMinutes: e.CHECKOUT_HOLD_MINUTES,
    logLevel: e.LOG_LEVEL,
    timeZone: e.TIME_ZONE,
    qrSigningKeys: e.QR_SIGNING_KEYS,
    mail: { smtp: e.SMTP_URL, from: e.MAIL_FROM },
    cybersource: cybersourceConfig(e, publicUrl),
  };
}

/** Real Secure Acceptance keys come as a set of four; with none, payments go to the local sandbox (see sandboxChoice). */
function cybersourceConfig(e: Env, publicUrl: string): Config["cybersource"] {
  const hosted = [e.CYBERSOURCE_URL, e.CYBERSOURCE_ACCESS_KEY, e.CYBERSOURCE_PROFILE_ID];
  if (hosted.some(Boolean) && !(hosted.every(Boolean) && e.CYBERSOURCE_SECRET_KEY)) {
    throw new ConfigError(
      "Admit cannot start: CyberSource needs CYBERSOURCE_URL, CYBERSOURCE_ACCESS_KEY, CYBERSOURCE_PROFILE_ID and CYBERSOURCE_SECRET_KEY together (or none of them for the local sandbox).",
    );
  }
  const restParts = [e.CYBERSOURCE_REST_HOST, e.CYBERSOURCE_MERCHANT_ID, e.CYBERSOURCE_REST_KEY_ID, e.CYBERSOURCE_REST_SECRET];
  if (restParts.some(Boolean) && !restParts.every(Boolean)) {
    throw new ConfigError(
      "Admit cannot start: refunds need CYBERSOURCE_REST_HOST, CYBERSOURCE_MERCHANT_ID, CYBERSOURCE_REST_KEY_ID and CYBERSOURCE_REST_SECRET together.",
    );
  }
  const rest =
    e.CYBERSOURCE_REST_HOST && e.CYBERSOURCE_MERCHANT_ID && e.CYBERSOURCE_REST_KEY_ID && e.CYBERSOURCE_REST_SECRET
      ? {
          host: e.CYBERSOURCE_REST_HOST,
          merchantId: e.CYBERSOURCE_MERCHANT_ID,
          keyId: e.CYBERSOURCE_REST_KEY_ID,
          sharedSecret: e.CYBERSOURCE_REST_SECRET,
        }
      : undefined;
  const configured = Boolean(e.CYBERSOURCE_URL && e.CYBERSOURCE_ACCESS_KEY && e.CYBERSOURCE_PROFILE_ID && e.CYBERSOURCE_SECRET_KEY);
  sandboxChoice(e.CYBERSOURCE_SANDBOX, configured, publicUrl);
  if (e.CYBERSOURCE_URL && e.CYBERSOURCE_ACCESS_KEY && e.CYBERSOURCE_PROFILE_ID && e.CYBERSOURCE_SECRET_KEY) {
    const profile = {
      url: e.CYBERSOURCE_URL,
      accessKey: e.CYBERSOURCE_ACCESS_KEY,
      profileId: e.CYBERSOURCE_PROFILE_ID,
      secretKey: e.CYBERSOURCE_SECRET_KEY,
    };
    if (e.CYBERSOURCE_SANDBOX_REFUNDS) {
      throw new ConfigError(
        "Admit cannot start: CYBERSOURCE_SANDBOX_REFUNDS=true sends refunds to the local payment sandbox, which is off because real CyberSource keys are set. Remove CYBERSOURCE_SANDBOX_REFUNDS.",
      );
    }
    return { profile, sandbox: false, sandboxRefunds: false, ...(rest ? { rest } : {}) };
  }
  if (e.CYBERSOURCE_SANDBOX_REFUNDS && rest) {
    throw new ConfigError(
      "Admit cannot start: CYBERSOURCE_SANDBOX_REFUNDS=true sends refunds to the local payment sandbox, but CYBERSOURCE_REST_HOST and its keys are set as well. Choose one.",
    );
  }
  const refunds = e.CYBERSOURCE_SANDBOX_REFUNDS ? sandboxRestCredentials(publicUrl) : rest;
  return {
    profile: developmentProfile(publicUrl, e.CYBERSOURCE_SECRET_KEY),
    sandbox: true,
    sandboxRefunds: e.CYBERSOURCE_SANDBOX_REFUNDS ?? false,
    ...(refunds ? { rest: refunds } : {}),
  };
}

/**
 * REST keys of the sandbox's refund endpoint (CYBERSOURCE_SANDBOX_REFUNDS=true). Public on purpose, like the sandbox's
 * payment keys: the sandbox moves no money and the real CyberSource refuses them.
 */
export function sandboxRestCredentials(publicUrl: string): RestCredentials {
  return {
    host: `${publicUrl}/sandbox/cybersource`,
    merchantId: "admit_sandbox_merchant",
    keyId: "ad417000-0000-4000-8000-5a4db0c0f00d",
    sharedSecret: Buffer.from("admit-sandbox-rest-secret-not-for-production").toString("base64"),
  };
}

const CYBERSOURCE_KEYS = "CYBERSOURCE_URL, CYBERSOURCE_ACCESS_KEY, CYBERSOURCE_PROFILE_ID and CYBERSOURCE_SECRET_KEY";

/**
 * The sandbox takes payments without a card (and its default signing key is public), so it must never be what a public
 * deployment runs by accident: over https (a real site) it needs CYBERSOURCE_SANDBOX=true, said out loud. Being
 * asked for the sandbox and given real keys at once is refused too, since either reading could be the mistake.
 */
function sandboxChoice(asked: boolean | undefined, configured: boolean, publicUrl: string): void {
  if (asked === true && configured) {
    throw new ConfigError(
      `Admit cannot start: CYBERSOURCE_SANDBOX=true asks for the local payment sandbox, but ${CYBERSOURCE_KEYS} are set as well. Remove CYBERSOURCE_SANDBOX to take real payments, or the four keys to use the sandbox.`,
    );
  }
  if (asked === false && !configured) {
    throw new ConfigError(
      `Admit cannot start: CYBERSOURCE_SANDBOX=false turns the local payment sandbox off, so payments need ${CYBERSOURCE_KEYS}.`,
    );
  }
  if (asked === undefined && !configured && new URL(publicUrl).protocol === "https:") {
    throw new ConfigError(
      `Admit cannot start: PUBLIC_URL is https (a public site) and no CyberSource keys are set, so payments would go to the local sandbox, where anyone can "pay" without a card. Either configure CyberSource (${CYBERSOURCE_KEYS}) or, for a test site that must take no real payments, set CYBERSOURCE_SANDBOX=true.`,
    );
  }
}

/** What the start-up log may show: which features are on, never a secret. */
export function describeConfig(config: Config) {
  return {
    port: config.port,
    timeZone: config.timeZone,
    publicUrl: config.publicUrl,
    database: config.databaseUrl ? "postgresql" : `pglite (${config.dataDir})`,
    trustProxy: config.trustProxy ? config.trustProxy.join(",") : "off (the connecting address is the client)",
    campusSignOn: config.oidc ? `${config.oidc.issuer} (client authentication: ${config.oidc.clientAuth ?? "from discovery"})` : "off",
    authSecret: config.authSecret ? "configured" : "generated and stored in the database",
    mail: config.mail.smtp ? `smtp ${config.mail.smtp.host}:${config.mail.smtp.port}` : "development mailbox",
    payments: config.cybersource.sandbox ? "sandbox" : config.cybersource.profile.profileId,
    refunds: config.cybersource.sandboxRefunds
      ? "sandbox (automatic, no money moves)"
      : config.cybersource.rest
        ? "CyberSource REST"
        : "manual (tasks on the club dashboard)",
    qrSigningKeys: config.qrSigningKeys
      ? `configured (key ids ${config.qrSigningKeys.map((k) => k.kid).join(", ")}; ${config.qrSigningKeys[0]!.kid} signs)`
      : "generated and stored in the database",
  };
}
