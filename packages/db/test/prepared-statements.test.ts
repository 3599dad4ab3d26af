import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../src/client.ts";
import { TEST_PG_URL_ENV } from "../src/testing.ts";

const url = process.env[TEST_PG_URL_ENV];

// Prepared statements live in one PostgreSQL session, so these tests use a pool of one connection.
describe.skipIf(!url)("prepared statements (postgresql)", () => {
  let db: Database | undefined;
  afterEach(async () => db?.close());

  const prepared = async (database: Database) => {
    const rows = await database.prisma.$queryRaw<Array<{ statement: string }>>`
      SELECT statement FROM pg_prepared_statements WHERE name LIKE 'admit\\_%'`;
    return rows.map((row) => row.statement);
  };
  const ids = (count: number) => Array.from({ length: count }, () => randomUUID());

  it("prepares a statement once per connection and reuses it, but never one with a long IN list", async () => {
    db = await openDatabase({ url: url!, poolSize: 1 });
    await db.prisma.user.findMany({ where: { id: { in: ids(2) } } });
    await db.prisma.user.findMany({ where: { id: { in: ids(2) } } });
    const afterShort = await prepared(db);
    const userQueries = afterShort.filter((sql) => sql.includes('FROM "public"."User"'));
    expect(userQueries).toHaveLength(1);
    expect(userQueries[0]).toContain("IN ($1,$2)");

    // Forty ids are forty parameters: a text of its own, run unnamed.
    await db.prisma.user.findMany({ where: { id: { in: ids(40) } } });
    const afterLong = await prepared(db);
    expect(afterLong).toHaveLength(afterShort.length);
    expect(afterLong.some((sql) => sql.includes("$40"))).toBe(false);
  });

  it("prepares nothing when turned off (for poolers that cannot keep prepared statements)", async () => {
    db = await openDatabase({ url: url!, poolSize: 1, preparedStatements: false });
    await db.prisma.user.findMany({ where: { id: { in: ids(2) } } });
    expect(await prepared(db)).toEqual([]);
  });
});
