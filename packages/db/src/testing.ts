import { randomUUID } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { openDatabase, type Database, type DatabaseKind } from "./client.ts";
import { PrismaClient } from "./generated/client.ts";
import { listenPglite } from "./listen.ts";
import { applyMigrations } from "./migrations.ts";

/** Set by the vitest global setup to a freshly created, migrated PostgreSQL database. */
export const TEST_PG_URL_ENV = "ADMIT_TEST_POSTGRES_URL";
/** Set by the vitest global setup: the name of a migrated database nobody connects to, cloned per test file. */
export const TEST_PG_TEMPLATE_ENV = "ADMIT_TEST_POSTGRES_TEMPLATE";

export interface TestBackend {
  kind: DatabaseKind;
  open(): Promise<Database>;
}

let migratedSnapshot: Promise<Blob> | undefined;

function wrapPglite(pglite: PGlite): Database {
  const adapterFactory = new PrismaPGlite(pglite);
  const prisma = new PrismaClient({ adapter: adapterFactory });
  return {
    prisma,
    kind: "pglite",
    adapterFactory,
    listen: (channel, handlers) => listenPglite(pglite, channel, handlers),
    close: async () => {
      await prisma.$disconnect();
      await pglite.close();
    },
  };
}

/** A fresh in-memory PGlite with every migration applied (migrated once per process, then copied). */
export async function openMigratedPglite(): Promise<Database> {
  migratedSnapshot ??= (async () => {
    const pglite = new PGlite();
    const db = wrapPglite(pglite);
    await applyMigrations(db);
    await db.prisma.$disconnect();
    const snapshot = await pglite.dumpDataDir("none");
    await pglite.close();
    return snapshot;
  })();
  const pglite = new PGlite({ loadDataDir: await migratedSnapshot });
  await pglite.waitReady;
  return wrapPglite(pglite);
}

/** Set (to "1") by mutation runs: each change is tested once, on PostgreSQL, instead of on both databases. */
export const TEST_ONLY_POSTGRES_ENV = "ADMIT_TEST_ONLY_POSTGRES";

/**
 * PGlite always; PostgreSQL as well when TEST_DATABASE_URL is set (the global setup then prepares it). With
 * ADMIT_TEST_ONLY_POSTGRES=1 and TEST_DATABASE_URL set, PostgreSQL only.
 */
export function testBackends(): TestBackend[] {
  const url = process.env[TEST_PG_URL_ENV];
  const postgres: TestBackend[] = url
    ? [{ kind: "postgresql", open: async () => openDatabase({ url: await databaseOfThisFile(url), poolSize: 10 }) }]
    : [];
  if (postgres.length > 0 && process.env[TEST_ONLY_POSTGRES_ENV] === "1") return postgres;
  return [{ kind: "pglite", open: openMigratedPglite }, ...postgres];
}

/**
 * CREATE DATABASE `name` TEMPLATE `template` over a connection to `serverUrl`. PostgreSQL refuses (55006) while
 * another session is on the template: another file's clone being made, or a connection just closed and not yet gone.
 */
export async function cloneDatabase(serverUrl: string, name: string, template: string): Promise<void> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
        return;
      } catch (error) {
        if ((error as { code?: string }).code !== "55006" || attempt >= 100) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 100));
      }
    }
  } finally {
    await admin.end();
  }
}

let fileDatabase: Promise<string> | undefined;

/**
 * The PostgreSQL database of this test file (of this module instance: vitest gives each file its own), cloned from
 * the run's template the first time it is asked for. Files never share one: a test that moves its clock and sweeps
 * every lapsed hold or waitlist offer in its database would otherwise act on another file's rows. Every server a
 * file starts (the race tests start two) uses the same one.
 */
function databaseOfThisFile(runUrl: string): Promise<string> {
  fileDatabase ??= (async () => {
    const template = process.env[TEST_PG_TEMPLATE_ENV];
    if (!template) return runUrl;
    const url = new URL(runUrl);
    const name = `${template.replace(/_template$/, "")}_f${randomUUID().replaceAll("-", "").slice(0, 12)}`;
    await cloneDatabase(runUrl, name, template);
    url.pathname = `/${name}`;
    return url.toString();
  })();
  return fileDatabase;
}

/**
 * Whether a race test can prove its lock on this backend. PGlite runs one transaction at a time, so a race there
 * passes with the lock removed; race tests run on PostgreSQL and are skipped (and counted as skipped) on PGlite.
 */
export function racesRunOn(backend: TestBackend): boolean {
  return backend.kind === "postgresql";
}
