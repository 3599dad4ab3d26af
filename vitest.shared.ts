import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Every package's vitest.config.ts extends this: one PostgreSQL database per run when TEST_DATABASE_URL is set.
export default defineConfig({
  test: {
    globalSetup: [fileURLToPath(new URL("./packages/db/test/global-setup.ts", import.meta.url))],
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // scripts/test.mjs adds these up into the closing "N passed, N failed" line.
    reporters: ["default", ["json", { outputFile: "test-results/vitest.json" }]],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // PGlite runs in-process; two files at once is as much as a 2-core machine gains from.
    maxWorkers: 2,
  },
});
