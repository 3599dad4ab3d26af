import { randomUUID } from "node:crypto";
import { applyMigrations, openDatabase, type Database } from "@admit/db";
import { openMigratedPglite, TEST_PG_URL_ENV, type TestBackend } from "@admit/db/testing";
import type { MailTransport, TransportMessage } from "../src/mail/sender.ts";

/**
 * Like testBackends(), but the PostgreSQL backend is a database of its own (created next to the run's database,
 * dropped on close). The sender claims every due message in a database, so tests that count deliveries must not
 * share one with other test files that queue mail.
 */
export function isolatedBackends(): TestBackend[] {
  const backends: TestBackend[] = [{ kind: "pglite", open: openMigratedPglite }];
  const runUrl = process.env[TEST_PG_URL_ENV];
  if (runUrl) backends.push({ kind: "postgresql", open: () => openPrivatePostgres(runUrl) });
  return backends;
}

async function openPrivatePostgres(runUrl: string): Promise<Database> {
  const name = `admit_mail_${randomUUID().replaceAll("-", "").slice(0, 16)}`;
  const admin = await openDatabase({ url: runUrl, poolSize: 1 });
  await admin.prisma.$executeRawUnsafe(`CREATE DATABASE ${name}`);
  const url = new URL(runUrl);
  url.pathname = `/${name}`;
  const db = await openDatabase({ url: url.toString(), poolSize: 10 });
  await applyMigrations(db);
  return {
    ...db,
    close: async () => {
      await db.close();
      await admin.prisma.$executeRawUnsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.close();
    },
  };
}

/**
 * A transport standing in for the mail server in domain tests: it keeps what it was given, and fails while
 * `failWith` is set. (The server tests use nodemailer against a real SMTP receiver.)
 */
export class RecordingTransport implements MailTransport {
  readonly delivered: TransportMessage[] = [];
  failWith: Error | undefined;
  /** When set, every send waits for this promise first (to hold a claim open). */
  gate: Promise<void> | undefined;
  delayMs = 0;

  async sendMail(message: TransportMessage): Promise<{ messageId: string }> {
    if (this.gate) await this.gate;
    if (this.delayMs) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    if (this.failWith) throw this.failWith;
    this.delivered.push(message);
    return { messageId: message.messageId };
  }
}

/** Resolves once `check` holds, polling (for the background loop, whose timing is not ours). */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
