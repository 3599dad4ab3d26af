export { openDatabase, type Database, type DatabaseKind, type DatabaseOptions } from "./client.ts";
export type { ListenHandlers, Listener } from "./listen.ts";
export { applyMigrations, diffMigrationsToSchema, migrationState, type MigrationState } from "./migrations.ts";
export { Prisma, PrismaClient } from "./generated/client.ts";
export type * from "./generated/client.ts";
export * from "./generated/enums.ts";
export { GroupCommit, type BatchOutcome, type GroupCommitOptions } from "./group-commit.ts";
