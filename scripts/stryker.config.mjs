// StrykerJS configuration for the package it is run in (scripts/mutation.mjs runs it with each package as the
// working directory): which files to mutate there, and the same settings everywhere.
import { relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

/** The rules that matter most, per package: money (signing, prices, checkout, payments, cart) and the door. */
const mutateByPackage = {
  "packages/cybersource": ["src/**/*.ts", "!src/index.ts", "!src/testing.ts"],
  "packages/ticket-codes": ["src/**/*.ts", "!src/index.ts"],
  "packages/door": ["src/**/*.ts", "!src/index.ts"],
  "packages/domain": [
    "src/pricing.ts",
    "src/money.ts",
    "src/checkout/**/*.ts",
    "src/payments/**/*.ts",
    "src/cart/**/*.ts",
    "src/door/**/*.ts",
    "!src/**/*.test.ts",
    "!src/**/index.ts",
  ],
};

const dir = relative(root, process.cwd()).split("\\").join("/");
const mutate = mutateByPackage[dir];
if (!mutate) throw new Error(`No mutation targets for ${dir}; run npm run test:mutation from the project root.`);

export default {
  testRunner: "vitest",
  vitest: { configFile: fileURLToPath(new URL("../vitest.mutation.ts", import.meta.url)) },
  mutate,
  coverageAnalysis: "perTest",
  // Two cores: one test process each.
  concurrency: 2,
  // Only mutants whose code or tests changed since the last run are tested again.
  incremental: true,
  incrementalFile: "reports/stryker-incremental.json",
  reporters: ["clear-text", "json"],
  jsonReporter: { fileName: "reports/mutation.json" },
  clearTextReporter: { allowColor: false, logTests: false, reportMutants: false },
  thresholds: { high: 90, low: 85, break: null },
};
