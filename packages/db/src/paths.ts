import { fileURLToPath } from "node:url";

/** The repository's top-level prisma/ folder (schema and migrations), wherever the process was started. */
export const prismaDir = fileURLToPath(new URL("../../../prisma/", import.meta.url));
export const schemaPath = `${prismaDir}schema.prisma`;
export const migrationsDir = `${prismaDir}migrations`;
