import { resolve } from "node:path";
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

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  PUBLIC_URL: z.url({ message: "must be a full URL such as https://tickets.example.edu" }).optional(),
  DATABASE_URL: optionalString.pipe(
    z.string().regex(/^postgres(ql)?:\/\//, "must start with postgresql://").optional(),
  ),
  DATABASE_POOL_SIZE: positiveInt.default(20),
  ADMIT_DATA_DIR: z.string().default(".data"),
  AUTH_SECRET: optionalString.pipe(z.string().min(32, "must be at least 32 characters").optional()),
  TRUST_PROXY: booleanFlag.default(false),
  SIGNIN_RATE_LIMIT_MAX: positiveInt.default(10),
  SIGNIN_RATE_LIMIT_WINDOW_SECONDS: positiveInt.default(60),
  OIDC_ISSUER: optionalString.pipe(z.url().optional()),
  OIDC_CLIENT_ID: optionalString,
  OIDC_CLIENT_SECRET: optionalString,
  SEED_DEMO_DATA: booleanFlag.default(true),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export type Env = z.infer<typeof envSchema>;

export interface Config {
  port: number;
  host: string;
  publicUrl: string;
  databaseUrl: string | undefined;
  databasePoolSize: number;
  dataDir: string;
  authSecret: string | undefined;
  trustProxy: boolean;
  signInRateLimit: { windowSeconds: number; max: number };
  oidc: { issuer: string; clientId: string; clientSecret: string } | undefined;
  seedDemoData: boolean;
  logLevel: Env["LOG_LEVEL"];
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
  return {
    port: e.PORT,
    host: e.HOST,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ""),
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    dataDir: resolve(e.ADMIT_DATA_DIR),
    authSecret: e.AUTH_SECRET,
    trustProxy: e.TRUST_PROXY,
    signInRateLimit: { windowSeconds: e.SIGNIN_RATE_LIMIT_WINDOW_SECONDS, max: e.SIGNIN_RATE_LIMIT_MAX },
    oidc:
      e.OIDC_ISSUER && e.OIDC_CLIENT_ID && e.OIDC_CLIENT_SECRET
        ? { issuer: e.OIDC_ISSUER, clientId: e.OIDC_CLIENT_ID, clientSecret: e.OIDC_CLIENT_SECRET }
        : undefined,
    seedDemoData: e.SEED_DEMO_DATA,
    logLevel: e.LOG_LEVEL,
  };
}

/** What the start-up log may show: which features are on, never a secret. */
export function describeConfig(config: Config) {
  return {
    port: config.port,
    publicUrl: config.publicUrl,
    database: config.databaseUrl ? "postgresql" : `pglite (${config.dataDir})`,
    campusSignOn: config.oidc ? config.oidc.issuer : "off",
    authSecret: config.authSecret ? "configured" : "generated and stored in the database",
  };
}
