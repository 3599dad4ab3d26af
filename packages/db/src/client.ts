import { createHash } from "node:crypto";
import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "./generated/client.ts";
import { listenPglite, listenPostgres, type ListenHandlers, type Listener } from "./listen.ts";

export type DatabaseKind = "pglite" | "postgresql";

export interface Database {
  prisma: PrismaClient;
  kind: DatabaseKind;
  /** Used by the migration runner: the schema engine talks to the database through the same driver. */
  adapterFactory: SqlMigrationAwareDriverAdapterFactory;
  /** LISTEN on a channel (PostgreSQL: on a connection of its own, reopened when lost). */
  listen(channel: string, handlers: ListenHandlers): Promise<Listener>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** A PostgreSQL connection string; without it the embedded PGlite database is used. */
  url?: string | undefined;
  poolSize?: number;
  /** Prepare the hot path's statements once per connection (PostgreSQL only; on unless a pooler forbids it). */
  preparedStatements?: boolean;
  /** Where LISTEN connects (PostgreSQL only), when `url` goes through a pooler that cannot keep a session's LISTEN. */
  listenUrl?: string | undefined;
  /** Where PGlite keeps its files; omit it for a throw-away in-memory database. */
  dataDir?: string | undefined;
}

/**
 * Statements with a few parameters are prepared once per connection under a name derived from their text, so
 * PostgreSQL parses and plans the hot path's statements once instead of on every request. Statements with long
 * IN lists stay unnamed: every list length is a new text, and a connection keeps what it prepared until it closes.
 */
const MAX_CACHED_PARAMETERS = 32;
function cachedStatementName(query: { sql: string; args: unknown[] }): string {
  if (query.args.length > MAX_CACHED_PARAMETERS) return "";
  return `admit_${createHash("sha1").update(query.sql).digest("base64url")}`;
}

/** PostgreSQL when a URL is given, otherwise the embedded PGlite database. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.url) {
    const adapterFactory = new PrismaPg(
      { connectionString: options.url, max: options.poolSize ?? 20 },
      options.preparedStatements === false ? {} : { statementNameGenerator: cachedStatementName },
    );
    const prisma = new PrismaClient({ adapter: adapterFactory });
    const listenUrl = options.listenUrl ?? options.url;
    return {
      prisma,
      kind: "postgresql",
      adapterFactory,
      listen: (channel, handlers) => listenPostgres(listenUrl, channel, handlers),
      close: () => prisma.$disconnect(),
    };
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
    listen: (channel, handlers) => listenPglite(pglite, channel, handlers),
    close: async () => {
      await prisma.$disconnect();
      await pglite.close();
    },
  };
}
