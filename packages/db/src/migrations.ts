import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaPg } from "@prisma/adapter-pg";
import { DriverAdapterError, type SqlDriverAdapter, type SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import pg from "pg";
import type { Database } from "./client.ts";
import { migrationsDir as defaultMigrationsDir, schemaPath as defaultSchemaPath } from "./paths.ts";
import { openSchemaEngine } from "./schema-engine.ts";

const LOCKFILE = "migration_lock.toml";
// Any fixed number works; it only has to be the same in every server process.
const MIGRATION_ADVISORY_LOCK = 4_170_255;

interface MigrationsList {
  baseDir: string;
  lockfile: { path: string; content: string | null };
  shadowDbInitScript: string;
  migrationDirectories: Array<{
    path: string;
    migrationFile: { path: string; content: { tag: "ok"; value: string } };
  }>;
}

export async function readMigrations(dir = defaultMigrationsDir): Promise<MigrationsList> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const names = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const migrationDirectories = await Promise.all(
    names.map(async (name) => ({
      path: name,
      migrationFile: {
        path: "migration.sql",
        content: { tag: "ok" as const, value: await readFile(join(dir, name, "migration.sql"), "utf8") },
      },
    })),
  );
  const lockContent = await readFile(join(dir, LOCKFILE), "utf8").catch(() => null);
  return {
    baseDir: dir,
    lockfile: { path: LOCKFILE, content: lockContent },
    shadowDbInitScript: "",
    migrationDirectories,
  };
}

const noFilters = { externalTables: [], externalEnums: [] };

type PrismaPgAdapter = Awaited<ReturnType<PrismaPg["connect"]>>;

/** A PostgreSQL error as the schema engine reads it (the shape the adapter gives its own); anything else as it is. */
function driverError(error: unknown): unknown {
  if (error instanceof pg.DatabaseError) {
    return new DriverAdapterError({
      kind: "postgres",
      code: error.code ?? "",
      severity: error.severity ?? "ERROR",
      message: error.message,
      detail: error.detail,
      column: error.column,
      hint: error.hint,
    });
  }
  return error;
}

/**
 * The PostgreSQL driver adapter runs a migration by splitting it on every ";", which breaks function bodies
 * (our triggers). PostgreSQL runs a multi-statement script as one simple query, so the schema engine gets an adapter
 * that hands the script whole to the adapter's pool (its public `underlyingDriver()`) and passes everything else on.
 */
function runScriptsWhole(factory: PrismaPg, opened: SqlDriverAdapter[]): SqlMigrationAwareDriverAdapterFactory {
  const whole = (adapter: PrismaPgAdapter): SqlDriverAdapter => {
    const wrapped: SqlDriverAdapter = {
      provider: adapter.provider,
      adapterName: adapter.adapterName,
      queryRaw: (query) => adapter.queryRaw(query),
      executeRaw: (query) => adapter.executeRaw(query),
      startTransaction: (isolationLevel) => adapter.startTransaction(isolationLevel),
      getConnectionInfo: () => adapter.getConnectionInfo(),
      dispose: () => adapter.dispose(),
      executeScript: async (script) => {
        try {
          await adapter.underlyingDriver().query(script);
        } catch (error) {
          throw driverError(error);
        }
      },
    };
    opened.push(wrapped);
    return wrapped;
  };
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => whole(await factory.connect()),
    connectToShadowDb: async () => whole(await factory.connectToShadowDb()),
  };
}

/**
 * Applies pending migrations and records them in `_prisma_migrations`, like `prisma migrate deploy`.
 * On PostgreSQL an advisory lock, held by a session of its own, makes server processes that start together take
 * turns; afterwards every connection the schema engine opened is closed, since the engine's own advisory lock lives
 * on its session and an idle session left open kept it from the next migration.
 */
export async function applyMigrations(db: Database, dir = defaultMigrationsDir): Promise<string[]> {
  const migrationsList = await readMigrations(dir);
  if (!(db.adapterFactory instanceof PrismaPg)) return runSchemaEngine(db.adapterFactory, migrationsList);
  const lockPool = (await db.adapterFactory.connect()).underlyingDriver();
  const session = await lockPool.connect();
  const opened: SqlDriverAdapter[] = [];
  try {
    await session.query(`SELECT pg_advisory_lock(${MIGRATION_ADVISORY_LOCK})`);
    return await runSchemaEngine(runScriptsWhole(db.adapterFactory, opened), migrationsList);
  } finally {
    // Settled, not all: a connection the engine already closed itself may refuse to close twice.
    await Promise.allSettled(opened.map((adapter) => adapter.dispose()));
    // Ending the session releases the lock.
    session.release(true);
    await lockPool.end();
  }
}

async function runSchemaEngine(factory: SqlMigrationAwareDriverAdapterFactory, migrationsList: MigrationsList): Promise<string[]> {
  const engine = await openSchemaEngine(factory);
  try {
    const result = await engine.applyMigrations({ migrationsList, filters: noFilters });
    return result.appliedMigrationNames;
  } finally {
    engine.free();
  }
}

/**
 * The SQL that would bring a database built from the migrations up to the schema file: empty when they agree.
 * Runs against a throw-away in-memory database, so it needs no server and no network.
 */
export async function diffMigrationsToSchema(
  dir = defaultMigrationsDir,
  schemaFile = defaultSchemaPath,
): Promise<string> {
  const migrationsList = await readMigrations(dir);
  const pglite = new PGlite();
  const engine = await openSchemaEngine(new PrismaPGlite(pglite));
  try {
    const from = migrationsList.migrationDirectories.length
      ? { tag: "migrations", ...migrationsList }
      : { tag: "empty" };
    const result = await engine.diff({
      from,
      to: { tag: "schemaDatamodel", files: [{ path: schemaFile, content: await readFile(schemaFile, "utf8") }] },
      script: true,
      exitCode: null,
      filters: noFilters,
    });
    const sql = result.stdout.trim();
    return sql === "-- This is an empty migration." ? "" : sql;
  } finally {
    engine.free();
    await pglite.close();
  }
}

export interface MigrationState {
  applied: number;
  pending: string[];
  latest: string | null;
}

/** What /api/health reports: how many migrations the database has and which files it still lacks. */
export async function migrationState(db: Database, dir = defaultMigrationsDir): Promise<MigrationState> {
  const files = (await readMigrations(dir)).migrationDirectories.map((m) => m.path);
  const rows = await db.prisma.$queryRawUnsafe<Array<{ migration_name: string }>>(
    `SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name`,
  ).catch(() => []);
  const applied = new Set(rows.map((r) => r.migration_name));
  return {
    applied: applied.size,
    pending: files.filter((f) => !applied.has(f)),
    latest: rows.at(-1)?.migration_name ?? null,
  };
}
