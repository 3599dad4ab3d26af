import { defineConfig } from "prisma/config";

// Used by `prisma generate` only. Migrations are applied and authored by packages/db (wasm schema engine).
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
