/**
 * On-sale benchmark (`npm run bench:onsale`): the real server, over HTTP, on a fresh PostgreSQL database.
 *
 * 1,000 students each add 2 tickets of a free showing of 1,500 and check out, 100 at a time. Accounts are made
 * and signed in before the clock starts, and 200 others first buy from a separate showing so the sale meets a warm
 * server (as a real on-sale does: the process has been serving for a while). In the same run, 20 workers claim tickets of a separate set with the
 * one-statement SQL claim through `pg`: the floor the database itself allows. Prints throughput, latency
 * percentiles and the oversold count (which must be 0), then drops the database.
 */
import type { ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { applyMigrations, openDatabase, type Database } from "@admit/db";
import pg from "pg";
import { createScratchDatabase, freePort, log, percentile, processCpuSeconds, startServer } from "./support.ts";

const STUDENTS = Number(process.env.BENCH_STUDENTS ?? 1000);
const TICKETS = Number(process.env.BENCH_TICKETS ?? 1500);
const PER_STUDENT = 2;
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 100);
const FLOOR_WORKERS = 20;
const FLOOR_SECONDS = Number(process.env.BENCH_FLOOR_SECONDS ?? 5);
const FLOOR_TICKETS = 40_000;
/** Students who buy from a separate showing before the clock starts, so the sale meets a warm process (open pool connections, compiled queries), as a real on-sale does. */
const WARMUP_STUDENTS = Number(process.env.BENCH_WARMUP ?? 200);
/** `api` signs every student in through POST /api/auth/token; `direct` writes their sessions (much faster setup). */
const TOKENS = process.env.BENCH_TOKENS ?? "api";
const PASSWORD = "bench-password-123";
const TARGET_RATIO = 0.2;
const TARGET_CHECKOUT_P99_MS = 500;

async function seedShowing(db: Database, tickets: number) {
  const prisma = db.prisma;
  const club = await prisma.club.create({ data: { code: `bench${randomUUID().slice(0, 8)}`, name: "Bench Club", approved: true } });
  const event = await prisma.event.create({ data: { clubId: club.id, name: "On-sale rush" } });
  const start = new Date(Date.now() + 7 * 86_400_000);
  const showing = await prisma.showing.create({
    data: { eventId: event.id, startTime: start, endTime: new Date(start.getTime() + 3 * 3_600_000), location: "Main Hall" },
  });
  for (let made = 0; made < tickets; made += 5000) {
    const count = Math.min(5000, tickets - made);
    await prisma.ticket.createMany({ data: Array.from({ length: count }, () => ({ showingId: showing.id, type: "general", price: "0" })) });
  }
  return { eventId: event.id, showingId: showing.id };
}

/** One real sign-up over HTTP; the other accounts reuse its password hash, so only sign-in costs a hash each. */
async function createStudents(db: Database, base: string, count: number): Promise<Array<{ id: string; username: string }>> {
  const template = `benchtemplate${randomBytes(3).toString("hex")}`;
  const signUp = await fetch(`${base}/api/auth/sign-up/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: base },
    body: JSON.stringify({ email: `${template}@bench.test`, password: PASSWORD, name: "Bench Template", username: template }),
  });
  if (!signUp.ok) throw new Error(`sign-up failed: ${signUp.status} ${await signUp.text()}`);
  const credential = await db.prisma.account.findFirstOrThrow({ where: { user: { username: template } }, select: { password: true } });
  const students = Array.from({ length: count }, (_, i) => ({ id: randomUUID(), username: `bench${i}_${randomBytes(3).toString("hex")}` }));
  for (let i = 0; i < students.length; i += 500) {
    const batch = students.slice(i, i + 500);
    await db.prisma.user.createMany({
      data: batch.map((s) => ({ id: s.id, username: s.username, email: `${s.username}@bench.test`, fullName: `Student ${s.username}` })),
    });
    await db.prisma.account.createMany({
      data: batch.map((s) => ({ id: randomUUID(), accountId: s.id, providerId: "credential", userId: s.id, password: credential.password })),
    });
  }
  return students;
}

async function tokensFor(db: Database, base: string, students: Array<{ id: string; username: string }>): Promise<string[]> {
  if (TOKENS === "direct") {
    const tokens = students.map(() => randomBytes(24).toString("base64url"));
    await db.prisma.session.createMany({
      data: students.map((s, i) => ({ id: randomUUID(), token: tokens[i]!, userId: s.id, expiresAt: new Date(Date.now() + 30 * 86_400_000) })),
    });
    return tokens;
  }
  const tokens: string[] = new Array(students.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < students.length) {
        const i = next++;
        const res = await fetch(`${base}/api/auth/token`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ username: students[i]!.username, password: PASSWORD }),
        });
        if (!res.ok) throw new Error(`token for ${students[i]!.username}: ${res.status} ${await res.text()}`);
        tokens[i] = ((await res.json()) as { token: string }).token;
        if ((i + 1) % 200 === 0) log(`signed in ${i + 1}/${students.length}`);
      }
    }),
  );
  return tokens;
}

interface Timings {
  add: number[];
  checkout: number[];
  successfulCheckouts: number;
  ticketsBought: number;
  soldOut: number;
  staleRetries: number;
}

async function timed(timings: number[], fn: () => Promise<Response>) {
  const started = performance.now();
  const res = await fn();
  const body = (await res.json()) as { error?: { code?: string }; sold_free_tickets?: boolean };
  timings.push(performance.now() - started);
  return { status: res.status, body };
}

/** One student: add 2, check out; on a stale cart refresh it and retry; stop when bought or sold out. */
async function student(base: string, token: string, eventId: number, showingId: number, t: Timings) {
  const headers = { "content-type": "application/json", authorization: `Bearer ${token}` };
  const post = (path: string, body: unknown) => fetch(`${base}${path}`, { method: "POST", headers, body: JSON.stringify(body) });
  for (let round = 0; round < 20; round++) {
    const add = await timed(t.add, () =>
      post(`/api/events/${eventId}/showings/${showingId}/add_to_cart/`, { quantities: [{ type: "general", count: PER_STUDENT }] }),
    );
    if (add.status === 403 && add.body.error?.code === "NOT_ENOUGH_TICKETS") {
      t.soldOut++;
      return;
    }
    if (add.status !== 200) throw new Error(`add_to_cart ${add.status}: ${JSON.stringify(add.body)}`);
    let inCart = PER_STUDENT;
    for (let attempt = 0; attempt < 10 && inCart > 0; attempt++) {
      const checkout = await timed(t.checkout, () => post("/api/tickets/initiate_checkout/", {}));
      if (checkout.status === 200 && checkout.body.sold_free_tickets === true) {
        t.successfulCheckouts++;
        t.ticketsBought += inCart;
        return;
      }
      if (checkout.status !== 403 || checkout.body.error?.code !== "CART_STALE") {
        throw new Error(`initiate_checkout ${checkout.status}: ${JSON.stringify(checkout.body)}`);
      }
      t.staleRetries++;
      const cart = await fetch(`${base}/api/tickets/cart/`, { headers });
      inCart = ((await cart.json()) as { tickets: unknown[] }).tickets.length;
    }
    // Whatever was left went stale and could not be replaced: clear it and try to add again.
    await post(`/api/events/${eventId}/showings/${showingId}/remove_from_cart/`, { quantities: [{ type: "general", count: PER_STUDENT }] });
  }
  throw new Error("a student neither bought nor saw the showing sell out");
}

/** Tickets claimed per second by the bare one-statement claim, 20 connections, on its own ticket set. */
async function claimFloor(url: string, showingId: number, ownerId: string): Promise<number> {
  const clients = await Promise.all(
    Array.from({ length: FLOOR_WORKERS }, async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      return client;
    }),
  );
  const claim = `UPDATE "Ticket" SET "ownerId" = $1, "updatedAt" = now()
    WHERE id = (SELECT id FROM "Ticket" WHERE "showingId" = $2 AND "ownerId" IS NULL AND "holderId" IS NULL
                LIMIT 1 FOR UPDATE SKIP LOCKED)
    RETURNING id`;
  let claimed = 0;
  const started = performance.now();
  const stopAt = started + FLOOR_SECONDS * 1000;
  await Promise.all(
    clients.map(async (client) => {
      while (performance.now() < stopAt) {
        const result = await client.query(claim, [ownerId, showingId]);
        if (result.rowCount === 0) break;
        claimed++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await Promise.all(clients.map((c) => c.end()));
  return claimed / seconds;
}

/** CPU seconds used so far by every PostgreSQL process on this machine (the database side of the sale). */
function postgresCpuSeconds(): number {
  let total = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, "utf8").trim() !== "postgres") continue;
      total += processCpuSeconds(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return total;
}

const ms = (v: number) => `${v.toFixed(1)} ms`;

async function main() {
  const scratch = await createScratchDatabase("admit_bench");
  const { url } = scratch;
  let server: ChildProcess | undefined;
  let db: Database | undefined;
  try {
    db = await openDatabase({ url, poolSize: 4 });
    await applyMigrations(db);
    const sale = await seedShowing(db, TICKETS);
    const floorSet = await seedShowing(db, FLOOR_TICKETS);
    const warmup = WARMUP_STUDENTS > 0 ? await seedShowing(db, WARMUP_STUDENTS * PER_STUDENT) : null;
    // A live database has statistics for its tables; a freshly seeded one gets them from autovacuum at some
    // unknown moment, which would flip query plans in the middle of the run.
    await db.prisma.$executeRawUnsafe("ANALYZE");
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    server = await startServer(url, port, { SIGNIN_RATE_LIMIT_MAX: "1000000" });
    log(`server up on ${base}; creating ${STUDENTS} students and ${WARMUP_STUDENTS} more for the warm-up`);
    const everyone = await createStudents(db, base, STUDENTS + WARMUP_STUDENTS);
    const setupStarted = performance.now();
    const allTokens = await tokensFor(db, base, everyone);
    const students = everyone.slice(0, STUDENTS);
    const tokens = allTokens.slice(0, STUDENTS);
    log(`tokens ready (${TOKENS}) in ${((performance.now() - setupStarted) / 1000).toFixed(1)} s`);
    if (warmup) {
      const ignored: Timings = { add: [], checkout: [], successfulCheckouts: 0, ticketsBought: 0, soldOut: 0, staleRetries: 0 };
      let nextWarm = STUDENTS;
      await Promise.all(
        Array.from({ length: Math.min(IN_FLIGHT, WARMUP_STUDENTS) }, async () => {
          while (nextWarm < allTokens.length) await student(base, allTokens[nextWarm++]!, warmup.eventId, warmup.showingId, ignored);
        }),
      );
      log(`warm-up: ${ignored.successfulCheckouts} checkouts on a separate showing`);
    }
    log("the clock starts");

    const t: Timings = { add: [], checkout: [], successfulCheckouts: 0, ticketsBought: 0, soldOut: 0, staleRetries: 0 };
    let next = 0;
    const cpuBefore = processCpuSeconds(server.pid);
    const postgresBefore = postgresCpuSeconds();
    const clientBefore = process.cpuUsage();
    const started = performance.now();
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < tokens.length) {
          const i = next++;
          await student(base, tokens[i]!, sale.eventId, sale.showingId, t);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const serverCpu = processCpuSeconds(server.pid) - cpuBefore;
    const postgresCpu = postgresCpuSeconds() - postgresBefore;
    const clientUsage = process.cpuUsage(clientBefore);
    const clientCpu = (clientUsage.user + clientUsage.system) / 1e6;

    const [row] = await db.prisma.$queryRaw<Array<{ sold: number; owners: number; held: number }>>`
      SELECT count(*) FILTER (WHERE "ownerId" IS NOT NULL)::int AS sold, count(DISTINCT "ownerId")::int AS owners,
             count(*) FILTER (WHERE "holderId" IS NOT NULL)::int AS held
      FROM "Ticket" WHERE "showingId" = ${sale.showingId}`;
    const [mail] = await db.prisma.$queryRaw<Array<{ queued: number; sent: number }>>`
      SELECT count(*)::int AS queued, count(*) FILTER (WHERE status = 'SENT')::int AS sent FROM "OutgoingEmail"`;
    const sold = row!.sold;
    const oversold = Math.max(0, t.ticketsBought - sold) + Math.max(0, sold - TICKETS);

    log(`on-sale done in ${seconds.toFixed(2)} s; measuring the SQL claim floor for ${FLOOR_SECONDS} s`);
    const floor = await claimFloor(url, floorSet.showingId, students[0]!.id);
    const soldPerSecond = sold / seconds;
    const ratio = soldPerSecond / floor;
    const checkoutP99 = percentile(t.checkout, 99);

    const lines = [
      `On-sale benchmark: ${STUDENTS} students x ${PER_STUDENT} tickets, ${TICKETS} free tickets, ${IN_FLIGHT} in flight, PostgreSQL, one server process over HTTP, after a warm-up of ${WARMUP_STUDENTS} checkouts on another showing`,
      `  elapsed                 ${seconds.toFixed(2)} s`,
      `  checkouts/s             ${(t.successfulCheckouts / seconds).toFixed(1)}  (${t.successfulCheckouts} successful, ${t.soldOut} saw sold out, ${t.staleRetries} stale-cart retries)`,
      `  tickets sold/s          ${soldPerSecond.toFixed(1)}`,
      `  add-to-cart latency     p50 ${ms(percentile(t.add, 50))}  p95 ${ms(percentile(t.add, 95))}  p99 ${ms(percentile(t.add, 99))}  (${t.add.length} calls)`,
      `  checkout latency        p50 ${ms(percentile(t.checkout, 50))}  p95 ${ms(percentile(t.checkout, 95))}  p99 ${ms(checkoutP99)}  (${t.checkout.length} calls)`,
      `  tickets sold            ${sold} of ${TICKETS} (${row!.owners} buyers, ${row!.held} left held)`,
      `  CPU during the sale     server ${serverCpu.toFixed(1)} s (${((serverCpu * 1000) / Math.max(1, t.add.length + t.checkout.length)).toFixed(1)} ms per add or checkout call) + PostgreSQL ${postgresCpu.toFixed(1)} s + this load generator ${clientCpu.toFixed(1)} s, of ${(seconds * availableParallelism()).toFixed(1)} s the cores had; load average ${loadavg()[0]!.toFixed(1)}`,
      `  confirmation e-mails    ${mail!.queued} queued, ${mail!.sent} sent by the end of the sale (the sender waits for a lull)`,
      `  tickets oversold        ${oversold}`,
      `  SQL claim floor         ${floor.toFixed(1)} tickets/s (one UPDATE ... FOR UPDATE SKIP LOCKED statement, ${FLOOR_WORKERS} pg connections)`,
      `  sold/s : floor          ${ratio.toFixed(3)}  (target >= ${TARGET_RATIO})`,
      `  targets                 ratio ${ratio >= TARGET_RATIO ? "met" : "MISSED"}; checkout p99 < ${TARGET_CHECKOUT_P99_MS} ms ${checkoutP99 < TARGET_CHECKOUT_P99_MS ? "met" : "MISSED"}; oversold 0 ${oversold === 0 ? "met" : "MISSED"}`,
    ];
    console.log(lines.join("\n"));
    if (oversold !== 0) process.exitCode = 1;
  } finally {
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server!.once("exit", r));
      server.kill("SIGTERM");
      await exited;
    }
    await db?.close();
    await scratch.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
