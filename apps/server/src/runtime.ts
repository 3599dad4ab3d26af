import { createAuth, type Auth } from "@admit/auth";
import { applyMigrations, openDatabase, type Database } from "@admit/db";
import { createServices, systemClock, type Clock, type Services } from "@admit/domain";
import type { Config } from "./config.ts";
import { storedSecret } from "./secrets.ts";

/** Everything a server process runs on: the database, the services and authentication. */
export interface Runtime {
  config: Config;
  db: Database;
  services: Services;
  auth: Auth;
  clock: Clock;
}

export async function openRuntimeDatabase(config: Config): Promise<Database> {
  const db = await openDatabase(
    config.databaseUrl
      ? { url: config.databaseUrl, poolSize: config.databasePoolSize }
      : { dataDir: `${config.dataDir}/pglite` },
  );
  await applyMigrations(db);
  return db;
}

/** Builds services and auth over an open, migrated database (tests pass their own database and clock). */
export async function createRuntime(config: Config, db: Database, clock: Clock = systemClock): Promise<Runtime> {
  const services = createServices({ prisma: db.prisma, clock });
  const secret = config.authSecret ?? (await storedSecret(db.prisma, "auth.secret"));
  const auth = createAuth({
    prisma: db.prisma,
    baseURL: config.publicUrl,
    secret,
    oidc: config.oidc,
    signInRateLimit: config.signInRateLimit,
  });
  return { config, db, services, auth, clock };
}
