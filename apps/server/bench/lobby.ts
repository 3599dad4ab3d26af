/**
 * Drop-lobby benchmark (`npm run bench:lobby`): the real server, over HTTP, on a fresh PostgreSQL database.
 *
 * 5,000 students join the lobby of a drop of 1,000 free tickets (limit 2 per student; a third of them want 1, the
 * rest 2). For a few seconds before the drop everyone polls the open lobby; at the drop they keep polling, as the
 * storefront does (waiting `pollAfterMs` between polls and sending the last ETag as If-None-Match), and each
 * student the lobby admits adds to the cart and checks out. The client keeps at most BENCH_IN_FLIGHT requests in
 * flight (students queue for a connection, as they would behind a busy network). Prints the time from the drop to
 * sold out, checkout latency, the polling cost, tickets oversold (must be 0) and the fairness of the order in which
 * students bought (Spearman rank correlation with the order they joined in: near 0), then drops the database.
 */
import type { ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { availableParallelism, loadavg } from "node:os";
import { applyMigrations, openDatabase, type Database } from "@admit/db";
import { createScratchDatabase, freePort, log, percentile, processCpuSeconds, startServer } from "./support.ts";

const STUDENTS = Number(process.env.BENCH_STUDENTS ?? 5000);
const TICKETS = Number(process.env.BENCH_TICKETS ?? 1000);
const LIMIT = 2;
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 32);
/** Everyone polls the open lobby this long before the drop: the cost of waiting, measured on its own. */
const BEFORE_DROP_SECONDS = Number(process.env.BENCH_BEFORE_DROP_SECONDS ?? 10);
const ADMIT_MINUTES = 10;
/** The run stops (and reports what it has) after this long, so a stuck lobby cannot hold the machine. */
const DEADLINE_MS = Number(process.env.BENCH_DEADLINE_SECONDS ?? 240) * 1000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * At most `limit` calls at once; the rest wait their turn in arrival order, except `urgent` ones, which go first:
 * each real student has a connection of their own, so a purchase never queues behind other students' polls.
 */
function limiter(limit: number) {
  let running = 0;
  const queue: Array<() => void> = [];
  return async <T>(run: () => Promise<T>, urgent = false): Promise<T> => {
    if (running >= limit) await new Promise<void>((resolve) => (urgent ? queue.unshift(resolve) : queue.push(resolve)));
    else running++;
    try {
      return await run();
    } finally {
      const next = queue.shift();
      if (next) next();
      else running--;
    }
  };
}

/** Pearson correlation of two rankings (1..n, no ties): Spearman's rho. */
function spearman(a: number[], b: number[]): number {
  const rank = (values: number[]) => {
    const order = values.map((v, i) => [v, i] as const).sort((x, y) => x[0] - y[0]);
    const ranks = new Array<number>(values.length);
    order.forEach(([, i], r) => (ranks[i] = r + 1));
    return ranks;
  };
  const ra = rank(a);
  const rb = rank(b);
  const n = a.length;
  const mean = (n + 1) / 2;
  let cov = 0;
  let va = 0;
  let vb = 0;
  for (let i = 0; i < n; i++) {
    cov += (ra[i]! - mean) * (rb[i]! - mean);
    va += (ra[i]! - mean) ** 2;
    vb += (rb[i]! - mean) ** 2;
  }
  return cov / Math.sqrt(va * vb);
}

interface Status {
  phase: string;
  pollAfterMs: number;
  you: { state: string; position: number | null } | null;
}

interface Student {
  id: string;
  token: string;
  wants: number;
  joinedAt: number;
  position: number | null;
  admittedAt: number | null;
  boughtAt: number | null;
  bought: number;
  /** Seconds spent waiting after the drop, and status requests made meanwhile. */
  waitingPolls: number;
  waitingSince: number | null;
  waitedMs: number;
}

async function seed(db: Database, dropAt: Date) {
  const prisma = db.prisma;
  const club = await prisma.club.create({ data: { code: `lobby${randomUUID().slice(0, 8)}`, name: "Bench Club", approved: true } });
  const event = await prisma.event.create({ data: { clubId: club.id, name: "Formal" } });
  const start = new Date(Date.now() + 7 * 86_400_000);
  const showing = await prisma.showing.create({
    data: {
      eventId: event.id,
      startTime: start,
      endTime: new Date(start.getTime() + 3 * 3_600_000),
      location: "Great Hall",
      ticketDropTime: dropAt,
      ticketOrderLimit: LIMIT,
    },
  });
  await prisma.ticket.createMany({ data: Array.from({ length: TICKETS }, () => ({ showingId: showing.id, type: "general", price: "0" })) });
  return { clubId: club.id, eventId: event.id, showingId: showing.id };
}

/** Accounts with sessions written straight to the database (signing 5,000 people in is not what is measured). */
async function accounts(db: Database, count: number): Promise<Array<{ id: string; token: string }>> {
  const people = Array.from({ length: count }, (_, i) => ({
    id: randomUUID(),
    username: `lobby${i}_${randomBytes(3).toString("hex")}`,
    token: randomBytes(24).toString("base64url"),
  }));
  for (let i = 0; i < people.length; i += 1000) {
    const batch = people.slice(i, i + 1000);
    await db.prisma.user.createMany({
      data: batch.map((p) => ({ id: p.id, username: p.username, email: `${p.username}@bench.test`, fullName: `Student ${p.username}` })),
    });
    await db.prisma.session.createMany({
      data: batch.map((p) => ({ id: randomUUID(), token: p.token, userId: p.id, expiresAt: new Date(Date.now() + 86_400_000) })),
    });
  }
  return people;
}

const ms = (v: number) => `${v.toFixed(1)} ms`;

async function main() {
  const scratch = await createScratchDatabase("admit_lobby_bench");
  let server: ChildProcess | undefined;
  let db: Database | undefined;
  try {
    db = await openDatabase({ url: scratch.url, poolSize: 4 });
    await applyMigrations(db);
    // The drop is set for real once everyone has joined; until then it is an hour away and the lobby open.
    const sale = await seed(db, new Date(Date.now() + 3_600_000));
    const [officer, ...people] = await accounts(db, STUDENTS + 1);
    await db.prisma.membership.create({ data: { clubId: sale.clubId, userId: officer!.id, role: "OFFICER" } });
    await db.prisma.$executeRawUnsafe("ANALYZE");
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    server = await startServer(scratch.url, port);
    const limited = limiter(IN_FLIGHT);
    /** One request; `elapsedMs` is its HTTP round trip, from the moment it had a connection. */
    const call = (token: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}, urgent = false) =>
      limited(async () => {
        const sent = performance.now();
        const res = await fetch(`${base}${path}`, {
          method,
          headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        const text = await res.text();
        return {
          status: res.status,
          etag: res.headers.get("etag"),
          body: text ? (JSON.parse(text) as Record<string, unknown>) : null,
          elapsedMs: performance.now() - sent,
        };
      }, urgent);

    const configured = await call(officer!.token, "POST", "/trpc/lobby.configure", {
      showingId: sale.showingId,
      enabled: true,
      opensMinutesBefore: 1440,
      admitMinutes: ADMIT_MINUTES,
    });
    if (configured.status !== 200) throw new Error(`lobby.configure ${configured.status}: ${JSON.stringify(configured.body)}`);

    log(`server up on ${base}; ${STUDENTS} students join the lobby`);
    const students: Student[] = people.map((p) => ({
      ...p,
      wants: Math.random() < 1 / 3 ? 1 : 2,
      joinedAt: 0,
      position: null,
      admittedAt: null,
      boughtAt: null,
      bought: 0,
      waitingPolls: 0,
      waitingSince: null,
      waitedMs: 0,
    }));
    const lobbyPath = `/api/showings/${sale.showingId}/lobby/`;
    const joinStarted = performance.now();
    await Promise.all(
      students.map(async (s) => {
        const joined = await call(s.token, "POST", `${lobbyPath}join/`, {});
        if (joined.status !== 200) throw new Error(`join ${joined.status}: ${JSON.stringify(joined.body)}`);
        s.joinedAt = performance.now();
      }),
    );
    const joinSeconds = (performance.now() - joinStarted) / 1000;
    log(`joined in ${joinSeconds.toFixed(1)} s; the drop is in ${BEFORE_DROP_SECONDS} s`);

    const dropAt = new Date(Date.now() + BEFORE_DROP_SECONDS * 1000);
    await db.prisma.showing.update({ where: { id: sale.showingId }, data: { ticketDropTime: dropAt } });
    const dropPerf = performance.now() + (dropAt.getTime() - Date.now());
    const deadline = performance.now() + DEADLINE_MS;

    const statusMs: number[] = [];
    const counts = { statusBeforeDrop: 0, status: 0, notModified: 0, adds: 0, checkouts: 0, stale: 0, soldOutAtAdd: 0, windowEnded: 0 };
    const checkoutMs: number[] = [];
    let purchases = 0;
    let cpuAtDrop = NaN;
    let statusAtDrop = 0;
    const cpuBefore = processCpuSeconds(server.pid);
    const pollStarted = performance.now();
    const dropTimer = setTimeout(() => {
      cpuAtDrop = processCpuSeconds(server?.pid);
      statusAtDrop = counts.statusBeforeDrop;
    }, dropPerf - performance.now());

    const buy = async (s: Student) => {
      let wants = s.wants;
      for (;;) {
        counts.adds++;
        const add = await call(
          s.token,
          "POST",
          `/api/events/${sale.eventId}/showings/${sale.showingId}/add_to_cart/`,
          { quantities: [{ type: "general", count: wants }] },
          {},
          true,
        );
        if (add.status === 200) break;
        const code = (add.body?.error as { code?: string } | undefined)?.code;
        if (code === "NOT_ENOUGH_TICKETS" && wants > 1) {
          wants = 1;
          continue;
        }
        if (code === "NOT_ENOUGH_TICKETS") return void counts.soldOutAtAdd++;
        if (code === "LOBBY_WINDOW_ENDED") return void counts.windowEnded++;
        throw new Error(`add_to_cart ${add.status}: ${JSON.stringify(add.body)}`);
      }
      for (let attempt = 0; attempt < 10; attempt++) {
        counts.checkouts++;
        const checkout = await call(s.token, "POST", "/api/tickets/initiate_checkout/", {}, {}, true);
        checkoutMs.push(checkout.elapsedMs);
        if (checkout.status === 200 && checkout.body?.sold_free_tickets === true) {
          s.bought = (checkout.body.lines as Array<{ count: number }>).reduce((sum, l) => sum + l.count, 0);
          s.boughtAt = performance.now();
          purchases++;
          return;
        }
        const code = (checkout.body?.error as { code?: string } | undefined)?.code;
        if (code === "LOBBY_WINDOW_ENDED") return void counts.windowEnded++;
        if (code !== "CART_STALE") throw new Error(`initiate_checkout ${checkout.status}: ${JSON.stringify(checkout.body)}`);
        counts.stale++;
        // The cart view swaps stale tickets for free ones, or drops them when none are left.
        const cart = await call(s.token, "GET", "/api/tickets/cart/", undefined, {}, true);
        if ((cart.body?.tickets as unknown[] | undefined)?.length === 0) return void counts.soldOutAtAdd++;
      }
    };

    const wait = async (s: Student) => {
      let etag: string | null = null;
      let last: Status | null = null;
      while (performance.now() < deadline) {
        const afterDrop = performance.now() >= dropPerf;
        const res = await call(s.token, "GET", lobbyPath, undefined, etag ? { "if-none-match": etag } : {});
        if (afterDrop) counts.status++;
        else counts.statusBeforeDrop++;
        statusMs.push(res.elapsedMs);
        if (res.status === 304) counts.notModified++;
        else if (res.status === 200) {
          last = res.body as unknown as Status;
          etag = res.etag;
        } else throw new Error(`lobby status ${res.status}: ${JSON.stringify(res.body)}`);
        const state = last?.you?.state;
        if (afterDrop && state === "WAITING") {
          s.waitingPolls++;
          s.waitingSince ??= performance.now();
        }
        if (state !== "WAITING" && s.waitingSince !== null) {
          s.waitedMs += performance.now() - s.waitingSince;
          s.waitingSince = null;
        }
        if (state === "ADMITTED") {
          s.admittedAt = performance.now();
          s.position = last?.you?.position ?? null;
          return buy(s);
        }
        if (state !== "WAITING" || last?.phase === "SOLD_OUT" || last?.phase === "ENDED") return;
        await sleep(last?.pollAfterMs ?? 2_000);
      }
    };
    await Promise.all(students.map((s) => wait(s)));
    clearTimeout(dropTimer);
    const endedPerf = performance.now();
    for (const s of students) if (s.waitingSince !== null) s.waitedMs += endedPerf - s.waitingSince;
    const serverCpu = processCpuSeconds(server.pid) - cpuBefore;
    const timedOut = endedPerf >= deadline;

    const [sold] = await db.prisma.$queryRaw<Array<{ sold: number; owners: number; overLimit: number; held: number }>>`
      SELECT count(*)::int AS sold, count(DISTINCT "ownerId")::int AS owners,
             (SELECT count(*)::int FROM (SELECT "ownerId" FROM "Ticket" WHERE "showingId" = ${sale.showingId} AND "ownerId" IS NOT NULL
                                          GROUP BY "ownerId" HAVING count(*) > ${LIMIT}) o) AS "overLimit",
             (SELECT count(*)::int FROM "Ticket" WHERE "showingId" = ${sale.showingId} AND "holderId" IS NOT NULL) AS held
      FROM "Ticket" WHERE "showingId" = ${sale.showingId} AND "ownerId" IS NOT NULL`;
    const lobby = await db.prisma.lobby.findUniqueOrThrow({ where: { showingId: sale.showingId } });
    const bought = students.reduce((sum, s) => sum + s.bought, 0);
    const oversold = Math.max(0, bought - sold!.sold) + Math.max(0, sold!.sold - TICKETS);

    const buyers = students.filter((s) => s.boughtAt !== null);
    const lastSale = Math.max(...buyers.map((s) => s.boughtAt!));
    const fairness = buyers.length > 2 ? spearman(buyers.map((s) => s.joinedAt), buyers.map((s) => s.boughtAt!)) : NaN;
    const placed = buyers.filter((s) => s.position !== null);
    const placeOrder = placed.length > 2 ? spearman(placed.map((s) => s.position!), placed.map((s) => s.boughtAt!)) : NaN;

    const beforeDropSeconds = (dropPerf - pollStarted) / 1000;
    const cpuBeforeDrop = cpuAtDrop - cpuBefore;
    const waitedSeconds = students.reduce((sum, s) => sum + s.waitedMs, 0) / 1000;
    const waitingPolls = students.reduce((sum, s) => sum + s.waitingPolls, 0);
    const runSeconds = (endedPerf - dropPerf) / 1000;

    const lines = [
      `Lobby benchmark: ${STUDENTS} students in the lobby of a drop of ${TICKETS} free tickets (limit ${LIMIT}; a third want 1, the rest 2), PostgreSQL, one server process over HTTP, ${IN_FLIGHT} requests in flight at most`,
      `  joining                 ${STUDENTS} joins in ${joinSeconds.toFixed(1)} s`,
      `  drop to sold out        ${((lastSale - dropPerf) / 1000).toFixed(1)} s to the last ticket sold (lobby marked sold out ${lobby.soldOutAt ? `${((lobby.soldOutAt.getTime() - dropAt.getTime()) / 1000).toFixed(1)} s` : "never"} after the drop); every student done ${runSeconds.toFixed(1)} s after it${timedOut ? " (STOPPED AT THE DEADLINE)" : ""}`,
      `  buyers                  ${buyers.length} bought ${bought} tickets (${purchases} checkouts); ${counts.soldOutAtAdd} admitted found none left, ${counts.windowEnded} let their window run out`,
      `  checkout latency        p50 ${ms(percentile(checkoutMs, 50))}  p99 ${ms(percentile(checkoutMs, 99))}  (${checkoutMs.length} calls, ${counts.stale} stale-cart retries; ${counts.adds} adds; HTTP round trips, purchases ahead of queued polls)`,
      `  status latency          p50 ${ms(percentile(statusMs, 50))}  p99 ${ms(percentile(statusMs, 99))}  (${statusMs.length} calls)`,
      `  waiting (before drop)   ${(statusAtDrop / beforeDropSeconds / STUDENTS).toFixed(3)} status requests/s per waiting student; server CPU ${((cpuBeforeDrop * 1000) / Math.max(1, statusAtDrop)).toFixed(2)} ms per status request (${statusAtDrop} requests in ${beforeDropSeconds.toFixed(1)} s)`,
      `  waiting (after drop)    ${(waitingPolls / Math.max(1, waitedSeconds)).toFixed(3)} status requests/s per waiting student (${waitingPolls} polls over ${waitedSeconds.toFixed(0)} student-seconds of waiting); ${counts.status} status requests after the drop, ${counts.notModified} of all answered 304`,
      `  server CPU              ${serverCpu.toFixed(1)} s over ${((endedPerf - pollStarted) / 1000).toFixed(1)} s of polling and buying, of ${(((endedPerf - pollStarted) / 1000) * availableParallelism()).toFixed(1)} s the cores had; load average ${loadavg()[0]!.toFixed(1)}`,
      `  tickets oversold        ${oversold} (${sold!.sold} sold to ${sold!.owners} students, ${sold!.overLimit} over the limit of ${LIMIT}, ${sold!.held} left held)`,
      `  fairness                Spearman rho(join order, purchase order) = ${fairness.toFixed(3)} over ${buyers.length} buyers who joined before the drop (near 0: joining early gave no edge); rho(lobby place, purchase order) = ${placeOrder.toFixed(3)}`,
    ];
    console.log(lines.join("\n"));
    if (oversold !== 0 || sold!.overLimit !== 0 || timedOut) process.exitCode = 1;
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
