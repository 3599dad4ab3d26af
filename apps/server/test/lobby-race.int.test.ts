import { racesRunOn, testBackends } from "@admit/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addPath, api, quickStudents } from "./cart-helpers.ts";
import { closeServers, startTwoServers, type TestServer } from "./harness.ts";
import { lobbyDrop } from "./lobby-fixtures.ts";

const MINUTE = 60_000;
const LIMIT = 2;
const TICKETS = 40;

const postgres = testBackends().find(racesRunOn);

type Student = Awaited<ReturnType<typeof quickStudents>>[number];

describe.skipIf(!postgres)("race on PostgreSQL: two server processes join and advance one lobby at once", () => {
  let first: TestServer;
  let second: TestServer;
  beforeAll(async () => {
    if (!postgres) return;
    [first, second] = await startTwoServers(postgres);
    // Every write that admits a place, with the state it left: a place admitted twice would show up here.
    const prisma = first.db.prisma;
    await prisma.$executeRawUnsafe(`CREATE TABLE lobby_race_admissions (entry uuid NOT NULL, showing int NOT NULL, old_state text NOT NULL)`);
    await prisma.$executeRawUnsafe(`CREATE FUNCTION lobby_race_admitted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN INSERT INTO lobby_race_admissions VALUES (NEW.id, NEW."showingId", OLD.state::text); RETURN NEW; END $$`);
    await prisma.$executeRawUnsafe(`CREATE TRIGGER lobby_race_admitted AFTER UPDATE ON "LobbyEntry" FOR EACH ROW
      WHEN (NEW.state = 'ADMITTED') EXECUTE FUNCTION lobby_race_admitted()`);
  });
  afterAll(async () => {
    if (first) {
      await first.db.prisma.$executeRawUnsafe(`DROP TRIGGER IF EXISTS lobby_race_admitted ON "LobbyEntry"`);
      await first.db.prisma.$executeRawUnsafe(`DROP FUNCTION IF EXISTS lobby_race_admitted()`);
      await first.db.prisma.$executeRawUnsafe(`DROP TABLE IF EXISTS lobby_race_admissions`);
    }
    await closeServers(first, second);
  });

  /** Both processes' clocks at the same instant (each server has its own). */
  const setClocks = (at: number) => {
    first.clock.set(at);
    second.clock.set(at);
  };
  const either = (n: number) => (n % 2 === 0 ? first : second);

  /** The rules that must hold whatever the interleaving. */
  async function checkInvariants(showingId: number) {
    const prisma = first.db.prisma;
    const now = first.clock.now();
    const entries = await prisma.lobbyEntry.findMany({ where: { showingId } });
    const lobby = await prisma.lobby.findUniqueOrThrow({ where: { showingId } });
    // Places are unique and gapless: 1..n with n the places handed out.
    const positions = entries.flatMap((e) => (e.position === null ? [] : [e.position])).sort((a, b) => a - b);
    expect(positions).toEqual(Array.from({ length: positions.length }, (_, n) => n + 1));
    expect(lobby.nextPosition).toBe(positions.length + 1);
    // No place was admitted twice, and only waiting places were admitted.
    const admissions = await prisma.$queryRaw<Array<{ entry: string; old_state: string }>>`
      SELECT entry::text AS entry, old_state FROM lobby_race_admissions WHERE showing = ${showingId}`;
    expect(admissions.filter((a) => a.old_state !== "WAITING")).toEqual([]);
    expect(new Set(admissions.map((a) => a.entry)).size).toBe(admissions.length);
    expect(admissions.length).toBe(entries.filter((e) => e.admittedAt !== null).length);
    // What admitted students may still take never exceeds what is left to sell.
    const sellable = await prisma.ticket.count({
      where: { showingId, ownerId: null, voidedAt: null, OR: [{ holderId: null }, { holdExpiresAt: { lte: now } }] },
    });
    const admitted = entries.filter((e) => e.state === "ADMITTED" && e.admitUntil !== null && e.admitUntil > now);
    let claims = 0;
    for (const entry of admitted) {
      const owned = await prisma.ticket.count({ where: { showingId, ownerId: entry.userId } });
      claims += Math.max(0, LIMIT - owned);
    }
    expect(claims, `${admitted.length} admitted students may take ${claims} of ${sellable} tickets`).toBeLessThanOrEqual(sellable);
    // Nobody waits at or before the admitted frontier while someone behind them was let in.
    const frontier = Math.max(0, ...entries.filter((e) => e.admittedAt !== null).map((e) => e.position ?? 0));
    expect(lobby.admittedThrough).toBe(frontier);
    expect(entries.filter((e) => e.state === "WAITING" && e.position !== null && e.position < frontier)).toEqual([]);
    return { entries, lobby, admitted };
  }

  it("numbers every place once, admits no place twice and never more than what is left, while both join, poll, advance and buy", async () => {
    const made = await lobbyDrop(first, { count: TICKETS, orderLimit: LIMIT });
    const { drop, id: showingId } = made;
    const early = await quickStudents(first, 50);
    const late = await quickStudents(first, 20);
    const byId = new Map<string, Student>([...early, ...late].map((s) => [s.id, s]));

    const join = (server: TestServer, student: Student) =>
      fetch(`${server.url}/api/showings/${showingId}/lobby/join/`, { method: "POST", headers: { authorization: `Bearer ${student.token}` } });
    const poll = (server: TestServer, student: Student) =>
      fetch(`${server.url}/api/showings/${showingId}/lobby/`, { headers: { authorization: `Bearer ${student.token}` } });

    // Everyone joins before the drop, each through both processes at once: one place each.
    setClocks(drop.getTime() - 10 * MINUTE);
    const joined = await Promise.all(early.flatMap((s) => [join(first, s), join(second, s)]));
    expect(joined.map((r) => r.status).every((s) => s === 200)).toBe(true);
    expect(await first.db.prisma.lobbyEntry.count({ where: { showingId } })).toBe(early.length);

    // The drop: late arrivals join, students poll and the periodic job runs, in both processes at once.
    setClocks(drop.getTime() + 1_000);
    await Promise.all([
      ...late.map((s, n) => join(either(n), s)),
      ...early.slice(0, 20).map((s, n) => poll(either(n + 1), s)),
      ...Array.from({ length: 6 }, (_, n) => either(n).runtime.services.lobbies.advanceRunning()),
    ]);
    const drawn = await checkInvariants(showingId);
    expect(drawn.lobby.drawnEntries).toBe(early.length);

    // Rounds: time moves on (now and then past the admission windows), admitted students buy, both advance and poll.
    for (let round = 1; round <= 8; round++) {
      setClocks(first.clock.now().getTime() + (round % 3 === 0 ? 5 * MINUTE : 1_500));
      const { admitted } = await checkInvariants(showingId);
      const buyers = admitted.slice(0, 3).map((e) => byId.get(e.userId)!);
      await Promise.all([
        ...buyers.map(async (student, n) => {
          const server = either(n);
          const add = await api(server, "POST", addPath(made.event.id, showingId), {
            token: student.token,
            body: { quantities: [{ type: "general", count: LIMIT }] },
          });
          if (add.status === 200) await api(server, "POST", "/api/tickets/initiate_checkout/", { token: student.token, body: {} });
        }),
        ...Array.from({ length: 4 }, (_, n) => either(n).runtime.services.lobbies.advance(showingId)),
        ...[...byId.values()].slice(round * 5, round * 5 + 10).map((s, n) => poll(either(n), s)),
      ]);
      await checkInvariants(showingId);
    }

    const final = await checkInvariants(showingId);
    // The lobby really moved: places were taken, some bought, and nothing was sold twice.
    expect(final.entries.filter((e) => e.state === "DONE").length).toBeGreaterThan(3);
    expect(final.lobby.admittedThrough).toBeGreaterThan(TICKETS / LIMIT);
    expect(final.entries.every((e) => e.position !== null)).toBe(true);
    const owned = await first.db.prisma.ticket.count({ where: { showingId, ownerId: { not: null } } });
    expect(owned).toBeLessThanOrEqual(TICKETS);
  }, 240_000);
});
