import { defineConfig } from "vitest/config";

// The kiosk's logic runs in Node against fake-indexeddb (a complete IndexedDB in memory); no database server needed.
export default defineConfig({
  test: {
    environment: "node",
    include: ["test/**/*.test.ts"],
    setupFiles: ["fake-indexeddb/auto"],
    reporters: ["default", ["json", { outputFile: "test-results/vitest.json" }]],
    testTimeout: 30_000,
  },
});
