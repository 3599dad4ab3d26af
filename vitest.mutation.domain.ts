import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// The tests StrykerJS runs against packages/domain's money and door rules (scripts/mutation.mjs): the domain's own
// tests plus the API and server tests that drive cart, checkout (with its lobby gate, order cap and paused sales),
// payments (with the exchange's resales) and the door through a database. The root is the repository, so one run
// spans the packages; the PostgreSQL set-up is the suite's own (one database per runner).
// Left out: the race tests (each is shown to fail with its lock removed instead; here their hundreds of buyers would
// run again for every mutant of checkout) and the door's camera and push tests (no rule of the domain to decide).
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  test: {
    globalSetup: [fileURLToPath(new URL("./packages/db/test/global-setup.ts", import.meta.url))],
    include: [
      "packages/domain/src/**/*.test.ts",
      "packages/domain/test/door-replay.test.ts",
      "packages/api/test/cart*.int.test.ts",
      "packages/api/test/expired-holds.int.test.ts",
      "packages/api/test/catalog-issue.int.test.ts",
      "apps/server/test/payment-*.int.test.ts",
      "apps/server/test/door.int.test.ts",
      "apps/server/test/door-rules.int.test.ts",
      "apps/server/test/door-devices.int.test.ts",
      "apps/server/test/lobby-gate.int.test.ts",
      "apps/server/test/order-cap.int.test.ts",
      "apps/server/test/selling-controls.int.test.ts",
      "apps/server/test/exchange.int.test.ts",
    ],
    // One module graph per test process, kept across files and mutants: Stryker switches mutants at run time, so
    // nothing needs re-importing, and importing the server's graph again for every file was two thirds of a mutant's
    // time (a dry run: 60 s isolated, 37 s shared).
    isolate: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
