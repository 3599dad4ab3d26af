import { defineConfig } from "vitest/config";

// The storefront's pure logic (calendar files, formatting, QR sizing) runs in Node; the pages are tested in a real
// browser against a real server in apps/server/test/e2e/storefront*.e2e.test.ts.
export default defineConfig({
  test: {
    environment: "node",
    include: ["test/**/*.test.ts"],
    reporters: ["default", ["json", { outputFile: "test-results/vitest.json" }]],
  },
});
