/**
 * Door kiosk benchmark (`npm run bench:kiosk`): the built kiosk in headless Chromium against the real server on a
 * fresh PostgreSQL database (BENCH_DATABASE_URL, default the local server; dropped afterwards).
 *
 * 1. Download and store a manifest of 50,000 sold tickets (pairing link to "ready to scan").
 * 2. Decide 10,000 scans offline, one after another: signature check, look-up and the outbox write, as timed by the
 *    kiosk itself (performance.measure "admit:decide"); p50 and p99.
 * 3. Go online and time until all 10,000 queued scans are uploaded (the kiosk's pending count reaches 0).
 * 4. Push: a second kiosk paired to the same showing; for each of BENCH_PUSH_SAMPLES tickets not scanned yet, the time
 *    from an admit on the first kiosk until the second one's own data shows it checked in (when it would answer
 *    ALREADY IN); p50 and p90.
 */
import { randomUUID } from "node:crypto";
import { applyMigrations, openDatabase } from "@admit/db";
import { createClub, createEvent, createShowing } from "@admit/db/factories";
import { launchBrowser } from "../test/e2e/browser.ts";
import { createDoor, recordedAdmitAt, requireBuiltKiosk, whenStoredAsAttended, type DoorWorld } from "../test/e2e/kiosk-fixtures.ts";
import { startTestServer } from "../test/harness.ts";
import { createScratchDatabase, percentile } from "./support.ts";

const TICKETS = Number(process.env.BENCH_TICKETS ?? 50_000);
const SCANS = Math.min(TICKETS, Number(process.env.BENCH_SCANS ?? 10_000));
const PUSH_SAMPLES = Number(process.env.BENCH_PUSH_SAMPLES ?? 20);
const TARGET = { decideP99Ms: 15, manifestMs: 10_000, uploadMs: 6_000, pushP90Ms: 1_000 };
const FIRST = ["Ana", "José", "Mei", "Olu", "Priya", "Sam", "Zoë", "Liam", "Noor", "Kai", "Ines", "Tomás"];
const LAST = ["Lee", "Núñez", "Okafor", "Smith", "Åberg", "Kowalski", "Haddad", "Nguyen", "Garcia", "Ivanova"];

function log(message: string) {
  process.stderr.write(`[bench:kiosk] ${message}\n`);
}

async function main() {
  requireBuiltKiosk();
  const scratch = await createScratchDatabase("admit_bench_kiosk");
  const cleanups: Array<() => Promise<unknown>> = [() => scratch.drop()];
  try {
    const migrator = await openDatabase({ url: scratch.url, poolSize: 2 });
    await applyMigrations(migrator);
    await migrator.close();
    const server = await startTestServer({ kind: "postgresql", open: () => openDatabase({ url: scratch.url, poolSize: 20 }) }, { LOG_LEVEL: "warn" });
    cleanups.unshift(() => server.close());
    const { prisma } = server.db;

    log(`seeding ${TICKETS} sold tickets`);
    const officer = await server.createAccount({ fullName: "Bench Officer" });
    const club = await createClub(prisma, { officers: [officer.id], name: "Bench Club" });
    const event = await createEvent(prisma, club.id, { name: "Bench Night" });
    const showing = await createShowing(prisma, event.id);
    for (let start = 0; start < TICKETS; start += 5000) {
      const users = Array.from({ length: Math.min(5000, TICKETS - start) }, (_, k) => {
        const i = start + k;
        return { id: randomUUID(), username: `bench${i}`, email: `bench${i}@example.edu`, fullName: `${FIRST[i % FIRST.length]} ${LAST[(i * 7) % LAST.length]} ${i}` };
      });
      await prisma.user.createMany({ data: users });
      await prisma.ticket.createMany({
        data: users.map((u, k) => ({ showingId: showing.id, type: (start + k) % 10 ? "General" : "Front Row", price: "15.00", ownerId: u.id, amountPaid: "15.00" })),
      });
    }
    const world: DoorWorld = {
      officer: { id: officer.id, username: officer.username, token: await server.tokenFor(officer.username) },
      clubId: club.id,
      showingId: showing.id,
      ticket: () => Promise.reject(new Error("not used")),
    };
    const door = await createDoor(server, world, "Bench door");
    const browser = await launchBrowser({ profilePrefix: "admit-bench-kiosk-", timeoutMs: 300_000 });
    cleanups.unshift(() => browser.close());
    const { page, context } = browser;

    log("pairing and downloading the manifest");
    const pairedAt = Date.now();
    await page.goto(`${server.url}/kiosk/#pair=${door.code}`);
    // Ready to scan, or the server's answer to the manifest was an error (shown under the status bar).
    await page.locator('.door[data-ready="true"], [data-testid="sync-error"]').first().waitFor();
    if (!(await page.locator('.door[data-ready="true"]').count())) {
      throw new Error(`The kiosk could not download its manifest: ${await page.getByTestId("sync-error").innerText()}`);
    }
    const readyMs = Date.now() - pairedAt;
    const manifest = await page.evaluate(() => {
      const entry = performance.getEntriesByName("admit:manifest")[0] as PerformanceMeasure | undefined;
      return { ms: entry?.duration ?? NaN, fetchMs: (entry?.detail as { fetchMs?: number } | undefined)?.fetchMs ?? NaN };
    });
    const manifestMs = manifest.ms;

    const scanned = await prisma.ticket.findMany({ where: { showingId: showing.id }, select: { id: true }, take: SCANS, orderBy: { id: "asc" } });
    log(`signing ${scanned.length} QR codes`);
    const codes: string[] = [];
    for (const t of scanned) codes.push(await server.runtime.services.qrKeys.sign({ ticketId: t.id, showingId: showing.id, generation: 0 }));

    await context.setOffline(true);
    await page.locator('[data-testid="connection"][data-online="false"]').waitFor();
    log(`deciding ${codes.length} scans offline`);
    const verdicts: Record<string, number> = {};
    for (let i = 0; i < codes.length; i += 1000) {
      const chunk = await page.evaluate(async (batch) => {
        const seen: string[] = [];
        for (const code of batch) {
          const shown = await new Promise<{ verdict: string } | null>((done) => {
            window.dispatchEvent(new CustomEvent("admit:scan", { detail: { code, done } }));
          });
          seen.push(shown?.verdict ?? "none");
        }
        return seen;
      }, codes.slice(i, i + 1000));
      for (const v of chunk) verdicts[v] = (verdicts[v] ?? 0) + 1;
      log(`  ${Math.min(i + 1000, codes.length)} decided`);
    }
    const measured = await page.evaluate(() =>
      (performance.getEntriesByName("admit:decide") as PerformanceMeasure[]).map((e) => [e.duration, (e.detail as { verifyMs: number }).verifyMs] as const),
    );
    const decide = measured.map(([total]) => total).sort((a, b) => a - b);
    const verify = measured.map(([, v]) => v).sort((a, b) => a - b);
    await page.locator(`[data-testid="pending"][data-count="${codes.length}"]`).waitFor();

    log(`uploading ${codes.length} queued scans`);
    const onlineAt = Date.now();
    await context.setOffline(false);
    await page.locator('[data-testid="pending"][data-count="0"]').waitFor();
    const uploadMs = Date.now() - onlineAt;
    const recorded = await prisma.checkInEntry.count({ where: { showingId: showing.id } });

    log(`pairing a second door and timing the push over ${PUSH_SAMPLES} admits`);
    const second = await launchBrowser({ profilePrefix: "admit-bench-kiosk-2-", timeoutMs: 300_000 });
    cleanups.unshift(() => second.close());
    await second.page.goto(`${server.url}/kiosk/#pair=${(await createDoor(server, world, "Bench door 2")).code}`);
    await second.page.locator('.door[data-ready="true"]').waitFor();
    const spare = await prisma.ticket.findMany({
      where: { showingId: showing.id, attended: false },
      select: { id: true },
      take: PUSH_SAMPLES,
      orderBy: { id: "desc" },
    });
    const push: number[] = [];
    for (const { id } of spare) {
      const code = await server.runtime.services.qrKeys.sign({ ticketId: id, showingId: showing.id, generation: 0 });
      const attended = whenStoredAsAttended(second.page, id);
      // Closing the browsers after a failure below must not end the run as an unhandled rejection that hides it.
      attended.catch(() => undefined);
      const verdict = await page.evaluate(async (text) => {
        const shown = await new Promise<{ verdict: string } | null>((done) => {
          window.dispatchEvent(new CustomEvent("admit:scan", { detail: { code: text, done } }));
        });
        return shown?.verdict ?? "none";
      }, code);
      if (verdict !== "ADMIT") throw new Error(`Push sample: expected ADMIT, got ${verdict}`);
      // From the moment the first door recorded its admit (both pages run on this machine's clock).
      push.push((await attended) - (await recordedAdmitAt(page, id)));
    }
    push.sort((a, b) => a - b);

    const rows = [
      ["manifest download + store", `${TICKETS} tickets`, `${Math.round(manifestMs)} ms`, `< ${TARGET.manifestMs} ms`, manifestMs < TARGET.manifestMs],
      ["  of which the server's answer", "", `${Math.round(manifest.fetchMs)} ms`, "", true],
      ["  pairing link to ready to scan", "", `${readyMs} ms`, "", true],
      ["decide a scan, p50", `${decide.length} scans`, `${percentile(decide, 50).toFixed(1)} ms`, "", true],
      ["decide a scan, p99", "", `${percentile(decide, 99).toFixed(1)} ms`, `< ${TARGET.decideP99Ms} ms`, percentile(decide, 99) < TARGET.decideP99Ms],
      ["decide a scan, max", "", `${decide.at(-1)!.toFixed(1)} ms`, "", true],
      ["  of which signature check, p50", "", `${percentile(verify, 50).toFixed(1)} ms`, "", true],
      ["  of which signature check, p99", "", `${percentile(verify, 99).toFixed(1)} ms`, "", true],
      ["upload queued scans", `${codes.length} scans`, `${uploadMs} ms`, `< ${TARGET.uploadMs} ms`, uploadMs < TARGET.uploadMs],
      ["push: admit to other door, p50", `${push.length} admits`, `${percentile(push, 50)} ms`, "", true],
      ["push: admit to other door, p90", "", `${percentile(push, 90)} ms`, `< ${TARGET.pushP90Ms} ms`, percentile(push, 90) < TARGET.pushP90Ms],
      ["push: admit to other door, max", "", `${push.at(-1) ?? NaN} ms`, "", true],
    ] as const;
    console.log("\nDoor kiosk benchmark (headless Chromium, PostgreSQL)\n");
    for (const [what, size, value, target, ok] of rows) {
      console.log(`${what.padEnd(32)} ${size.padEnd(14)} ${value.padStart(10)}  ${target.padEnd(10)} ${target ? (ok ? "ok" : "MISSED") : ""}`);
    }
    console.log(`\nverdicts: ${JSON.stringify(verdicts)}; check-ins recorded by the server: ${recorded}`);
    if (verdicts.ADMIT !== codes.length || recorded !== codes.length) {
      throw new Error(`Expected ${codes.length} admits recorded, got verdicts ${JSON.stringify(verdicts)} and ${recorded} check-ins.`);
    }
  } finally {
    for (const cleanup of cleanups) await cleanup().catch((error: unknown) => log(`cleanup: ${String(error)}`));
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
