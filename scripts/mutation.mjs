// `npm run test:mutation`: StrykerJS over the packages that hold the money and door rules, one after another (two
// cores), then the score of each. Not part of `npm test`. Incremental: only mutants whose code or tests changed since
// the last run (reports/stryker-incremental.json in each package) are run again. `-- <package>...` runs some only;
// `-- --force` runs every mutant again.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";

// packages/domain twice: its pure rules (prices, order limit, reply caps, door replay, the lobby's and the exchange's
// rules) against its own unit tests, in minutes; and all its money and door rules against the database tests, in
// five parts (scripts/stryker.config.mjs) that together take hours on two cores and so run only when asked for by
// name (`-- domain` for all five, `-- domain:cart` for one).
const domainParts = ["core", "cart", "checkout", "payments", "door"].map((part) => `packages/domain:${part}`);
const targets = ["packages/cybersource", "packages/ticket-codes", "packages/door", "packages/domain:rules", ...domainParts];
const everyday = targets.filter((t) => !domainParts.includes(t));
// Package names choose packages; flags (e.g. --force, which re-runs every mutant instead of trusting the incremental
// file) go to Stryker.
const args = process.argv.slice(2);
const names = args.filter((a) => !a.startsWith("--"));
const strykerFlags = args.filter((a) => a.startsWith("--"));
const chosen = names.length ? targets.filter((t) => names.some((a) => t.endsWith(a) || (a === "domain" && domainParts.includes(t)))) : everyday;

const scores = [];
let status = 0;
for (const target of chosen) {
  const [dir, scope] = target.split(":");
  const onDatabase = domainParts.includes(target);
  console.log(`\n== mutation testing ${target}`);
  // The domain's database tests run on PostgreSQL only, so each mutant is tried once and the race tests count.
  const env = { ...process.env, MUTATION_SCOPE: scope ?? "", ...(onDatabase ? { ADMIT_TEST_ONLY_POSTGRES: "1" } : {}) };
  if (onDatabase && !process.env.TEST_DATABASE_URL) {
    console.error("packages/domain needs TEST_DATABASE_URL (a PostgreSQL server its tests may create databases on); skipped.");
    status = 1;
    continue;
  }
  const run = spawnSync("npx", ["stryker", "run", "../../scripts/stryker.config.mjs", ...strykerFlags], { cwd: dir, stdio: "inherit", env });
  if (run.status !== 0) status = run.status ?? 1;
  const report = `${dir}/reports/mutation${scope ? `-${scope}` : ""}.json`;
  if (!existsSync(report)) continue;
  const counts = { killed: 0, timeout: 0, survived: 0, noCoverage: 0 };
  for (const file of Object.values(JSON.parse(readFileSync(report, "utf8")).files)) {
    for (const mutant of file.mutants) {
      if (mutant.status === "Killed") counts.killed++;
      else if (mutant.status === "Timeout") counts.timeout++;
      else if (mutant.status === "Survived") counts.survived++;
      else if (mutant.status === "NoCoverage") counts.noCoverage++;
    }
  }
  const detected = counts.killed + counts.timeout;
  const valid = detected + counts.survived + counts.noCoverage;
  scores.push({ dir: target, score: valid ? (100 * detected) / valid : 0, ...counts });
}

console.log("\nMutation score (killed or timed out / all valid mutants):");
for (const s of scores) {
  console.log(`  ${s.dir.padEnd(24)} ${s.score.toFixed(1).padStart(5)}%  (killed ${s.killed}, timeout ${s.timeout}, survived ${s.survived}, no coverage ${s.noCoverage})`);
}
const parts = scores.filter((s) => domainParts.includes(s.dir));
if (parts.length > 1) {
  const sum = (key) => parts.reduce((n, s) => n + s[key], 0);
  const detected = sum("killed") + sum("timeout");
  const valid = detected + sum("survived") + sum("noCoverage");
  console.log(`  ${"packages/domain, parts".padEnd(24)} ${((100 * detected) / valid).toFixed(1).padStart(5)}%  (${parts.length} parts, ${valid} mutants)`);
}
process.exit(status);
