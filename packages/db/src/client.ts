import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "./generated/client.ts";

export type DatabaseKind = "pglite" | "postgresql";

export interface Database {
  prisma: PrismaClient;
  kind: DatabaseKind;
  /** Used by the migration runner: the schema engine talks to the database through the same driver. */
  adapterFactory: SqlMigrationAwareDriverAdapterFactory;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** A PostgreSQL connection string; without it the embedded PGlite database is used. */
  url?: string | undefined;
  poolSize?: number;
  /** Where PGlite keeps its files; omit it for a throw-away in-memory database. */
  dataDir?: string | undefined;
}

/** PostgreSQL when a URL is given, otherwise the embedded PGlite database. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.url) {
    const adapterFactory = new PrismaPg({ connectionString: options.url, max: options.poolSize ?? 20 });
    const prisma = new PrismaClient({ adapter: adapterFactory });
    return { prisma, kind: "postgresql", adapterFactory, close: () => prisma.$disconnect() };
  }
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const pglite = new PGlite(options.dataDir);
  await pglite.waitReady;
  const adapterFactory = new PrismaPGlite(pglite);
  const prisma = new PrismaClient({ adapter: adapterFactory });
  return {
    prisma,
    kind: "pglite",
    adapterFactory,
    close: async () => {
      await prisma.$disconnect();
      await pglite.close();
    },
  };
}
