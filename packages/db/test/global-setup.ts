// Vitest global setup shared by every package: when TEST_DATABASE_URL points at a PostgreSQL server,
// create a fresh database for this run, migrate it, copy it into a template that each test file clones its own
// database from (testing.ts), hand both to the tests and drop them all afterwards.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { openDatabase } from "../src/client.ts";
import { applyMigrations } from "../src/migrations.ts";
import { cloneDatabase, TEST_PG_TEMPLATE_ENV, TEST_PG_URL_ENV } from "../src/testing.ts";

export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) return undefined;
  const name = `admit_test_${randomUUID().replaceAll("-", "").slice(0, 16)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = await openDatabase({ url: url.toString(), poolSize: 2 });
  await applyMigrations(db);
  await db.close();
  // Nobody connects to the template, so test files may clone it at any time.
  const template = `${name}_template`;
  await cloneDatabase(adminUrl, template, name);
  process.env[TEST_PG_URL_ENV] = url.toString();
  process.env[TEST_PG_TEMPLATE_ENV] = template;
  return async () => {
    const cleanup = new pg.Client({ connectionString: adminUrl });
    await cleanup.connect();
    const { rows } = await cleanup.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname = $1 OR datname LIKE $2",
      [name, `${name}\\_%`],
    );
    for (const { datname } of rows) await cleanup.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    await cleanup.end();
  };
}
