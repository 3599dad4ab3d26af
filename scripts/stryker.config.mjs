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
};

/**
 * packages/domain's money and door rules against the database tests, in parts that each finish in well under an hour
 * on two cores and keep their own incremental file and report (scripts/mutation.mjs, "domain:<part>"), so a run cut
 * short keeps every part it finished.
 */
const notTests = ["!src/**/*.test.ts", "!src/**/index.ts"];
const domainParts = {
  core: ["src/pricing.ts", "src/money.ts", "src/order-limit.ts", "src/availability.ts"],
  cart: ["src/cart/**/*.ts"],
  checkout: ["src/checkout/**/*.ts"],
  payments: ["src/payments/**/*.ts"],
  door: ["src/door/**/*.ts"],
};

/**
 * packages/domain's rules that are plain functions, each with unit tests (scripts/mutation.mjs, "domain:rules"):
 * money, the door's replay, the drop lobby (phase, draw, admission, gate, status) and the exchange's rules.
 */
const domainRules = [
  "src/pricing.ts",
  "src/money.ts",
  "src/order-limit.ts",
  "src/payments/delivery.ts",
  "src/payments/outcome.ts",
  "src/door/replay.ts",
  "src/lobby/phase.ts",
  "src/lobby/draw.ts",
  "src/lobby/admission.ts",
  "src/lobby/gate.ts",
  "src/lobby/status.ts",
  "src/exchange/rules.ts",
];

const dir = relative(root, process.cwd()).split("\\").join("/");
const scope = process.env.MUTATION_SCOPE ?? "";
const inDomain = dir === "packages/domain";
const rulesOnly = inDomain && scope === "rules";
const part = inDomain && !rulesOnly ? scope : "";
const mutate = rulesOnly ? domainRules : inDomain ? domainParts[part] && [...domainParts[part], ...notTests] : mutateByPackage[dir];
if (!mutate) throw new Error(`No mutation targets for ${dir}${scope ? `:${scope}` : ""}; run npm run test:mutation from the project root.`);
const reportSuffix = scope ? `-${scope}` : "";

/**
 * packages/domain's rules are exercised by the API and server tests, which import it through the workspace link:
 * Stryker's sandbox copy of one package would leave that link pointing at the unmutated sources, so the domain is
 * mutated in place (Stryker restores the files afterwards) and its tests come from a config spanning the packages.
 */
const inPlace = inDomain;
const spansPackages = inDomain && !rulesOnly;
const vitestConfig = spansPackages ? "../vitest.mutation.domain.ts" : "../vitest.mutation.ts";

export default {
  testRunner: "vitest",
  // For the domain, every test the coverage run saw reach a mutant runs against it, not only those vitest finds
  // importing the file (the API and server tests reach the domain through the workspace link).
  vitest: { configFile: fileURLToPath(new URL(vitestConfig, import.meta.url)), related: !spansPackages },
  mutate,
  inPlace,
  // Database tests on a busy two-core machine vary in speed: a mutant is a timeout only well past its tests' time.
  timeoutMS: spansPackages ? 30_000 : 5_000,
  timeoutFactor: spansPackages ? 2 : 1.5,
  // The domain's first run (every test, recording which tests reach which mutant) takes minutes.
  dryRunTimeoutMinutes: spansPackages ? 40 : 5,
  coverageAnalysis: "perTest",
  // Two cores: one test process each.
  concurrency: 2,
  // Only mutants whose code or tests changed since the last run are tested again.
  incremental: true,
  incrementalFile: `reports/stryker-incremental${reportSuffix}.json`,
  reporters: ["progress", "clear-text", "json"],
  jsonReporter: { fileName: `reports/mutation${reportSuffix}.json` },
  clearTextReporter: { allowColor: false, logTests: false, reportMutants: false },
  thresholds: { high: 90, low: 85, break: null },
};
