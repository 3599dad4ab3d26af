// `npm test`: typecheck, lint, then every package's tests (one package at a time: the embedded database and the
// browser tests share two cores), and a closing line with the totals.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";

const resultFiles = () =>
  ["apps", "packages"]
    .flatMap((dir) => readdirSync(dir).map((name) => `${dir}/${name}/test-results/vitest.json`))
    .filter((file) => existsSync(file));
for (const file of resultFiles()) rmSync(file);

const run = (cmd, args) => spawnSync(cmd, args, { stdio: "inherit", shell: false }).status ?? 1;
let status = run("npx", ["turbo", "run", "typecheck", "--output-logs=errors-only"]);
if (status === 0) status = run("npx", ["eslint", ".", "--max-warnings=0"]);
if (status === 0) status = run("npx", ["turbo", "run", "test", "--concurrency=1"]);

let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of resultFiles()) {
  if (!existsSync(file)) continue;
  const report = JSON.parse(readFileSync(file, "utf8"));
  passed += report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
}
if (status !== 0 && failed === 0) failed = 1; // typecheck, lint or a crashed runner counts as a failure
console.log(`\nTests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(status);
