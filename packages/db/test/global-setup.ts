// Vitest global setup shared by every package: when TEST_DATABASE_URL points at a PostgreSQL server,
// create a fresh database for this run, migrate it, hand its URL to the tests and drop it afterwards.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { openDatabase } from "../src/client.ts";
import { applyMigrations } from "../src/migrations.ts";
import { TEST_PG_URL_ENV } from "../src/testing.ts";

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
  process.env[TEST_PG_URL_ENV] = url.toString();
  return async () => {
    const cleanup = new pg.Client({ connectionString: adminUrl });
    await cleanup.connect();
    await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await cleanup.end();
  };
}
