// Authors a new migration from the difference between prisma/migrations and prisma/schema.prisma.
// Usage: npm run db:migration -- <name>
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { diffMigrationsToSchema } from "../src/migrations.ts";
import { migrationsDir } from "../src/paths.ts";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("Give the migration a name of lower-case letters, digits and underscores: npm run db:migration -- add_refunds");
  process.exit(2);
}

const sql = await diffMigrationsToSchema();
if (!sql) {
  console.log("The schema and the migrations already agree: nothing to write.");
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const dir = join(migrationsDir, `${stamp}_${name}`);
await mkdir(dir, { recursive: true });
await writeFile(join(dir, "migration.sql"), `${sql}\n`);
await writeFile(join(migrationsDir, "migration_lock.toml"), 'provider = "postgresql"\n');
console.log(`Wrote ${dir}/migration.sql`);
