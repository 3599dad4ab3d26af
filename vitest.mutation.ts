import { defineConfig } from "vitest/config";

// The config StrykerJS runs a package's tests with (scripts/mutation.mjs): unit tests only, no database set-up and no
// report files, in the sandbox copy Stryker makes of the package.
export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    exclude: ["**/*.int.test.ts", "**/*.e2e.test.ts", "**/node_modules/**"],
  },
});
