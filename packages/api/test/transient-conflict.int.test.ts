import type { Database, Prisma } from "@admit/db";
import { createUser } from "@admit/db/factories";
import { racesRunOn, testBackends } from "@admit/db/testing";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorPayload, retryAfterSeconds } from "../src/errors.ts";

type Tx = Prisma.TransactionClient;

/**
 * Two transactions that each lock one user row, then the other's: PostgreSQL ends one of them. Returns what that
 * one threw (and checks that exactly one failed).
 */
async function deadlock(db: Database, lockAgain: (tx: Tx, id: string) => Promise<unknown>): Promise<unknown> {
  const [a, b] = [await createUser(db.prisma), await createUser(db.prisma)];
  let arrived = 0;
  let release!: () => void;
  const bothLocked = new Promise<void>((resolve) => (release = resolve));
  const failures: unknown[] = [];
  const run = (first: string, second: string) =>
    db.prisma
      .$transaction(
        async (tx) => {
          await tx.$queryRaw`SELECT id FROM "User" WHERE id = ${first} FOR UPDATE`;
          if (++arrived === 2) release();
          await bothLocked;
          await lockAgain(tx, second);
        },
        { timeout: 30_000 },
      )
      .catch((error: unknown) => failures.push(error));
  await Promise.all([run(a.id, b.id), run(b.id, a.id)]);
  expect(failures).toHaveLength(1);
  return failures[0];
}

const postgres = testBackends().find(racesRunOn);
describe.skipIf(!postgres)("race on PostgreSQL: a deadlock PostgreSQL breaks is a 'try again', not a failure of ours", () => {
  let db: Database;
  beforeAll(async () => {
    if (postgres) db = await postgres.open();
  });
  afterAll(async () => db?.close());

  it.each([
    ["a raw statement", (tx: Tx, id: string) => tx.$queryRaw`SELECT id FROM "User" WHERE id = ${id} FOR UPDATE`],
    ["a Prisma update", (tx: Tx, id: string) => tx.user.update({ where: { id }, data: { fullName: "Changed" } })],
  ])("%s that PostgreSQL chose to end answers 503 UNAVAILABLE with Retry-After, over REST and tRPC alike", async (_, lockAgain) => {
    const error = await deadlock(db, lockAgain);
    const expected = { status: 503, body: { error: { code: "UNAVAILABLE", message: expect.stringContaining("try again") } } };
    expect(errorPayload(error)).toMatchObject(expected);
    expect(retryAfterSeconds(error)).toBe(1);
    // tRPC hands over what a procedure threw wrapped in its own INTERNAL_SERVER_ERROR.
    expect(errorPayload(new TRPCError({ code: "INTERNAL_SERVER_ERROR", cause: error }))).toMatchObject(expected);
  });
});
