import { randomBytes } from "node:crypto";
import type { PrismaClient } from "@admit/db";

/**
 * Returns the secret stored under `key`, generating it on first use. Stored in the database rather than in one
 * process or one host's files, so every server process behind a load balancer agrees on it.
 */
export async function storedSecret(prisma: PrismaClient, key: string, generate = () => randomBytes(32).toString("base64url")) {
  await prisma.serverSetting.createMany({ data: [{ key, value: generate() }], skipDuplicates: true });
  const row = await prisma.serverSetting.findUniqueOrThrow({ where: { key } });
  return row.value;
}
