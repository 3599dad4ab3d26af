import { createHash, createHmac } from "node:crypto";
import { testBackends } from "@admit/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addPath, api, quickStudents, showingWith } from "./cart-helpers.ts";
import { startTestServer, trpc, type TestServer } from "./harness.ts";
import { lobbyDrop, type LobbyDrop as Drop } from "./lobby-fixtures.ts";

const MINUTE = 60_000;

type Student = Awaited<ReturnType<typeof quickStudents>>[number];

interface Status {
  showingId: number;
  phase: string;
  opensAt: string | null;
  dropAt: string | null;
  admitMinutes: number;
  seedCommitment: string;
  drawnAt: string | null;
  waiting: number;
  you: {
    state: string;
    position: number | null;
    ahead: number | null;
    estimatedWaitSeconds: number | null;
    admitUntil: string | null;
    drawKey: string | null;
    joinedAt: string;
  } | null;
  pollAfterMs: number;
  version: number;
}

interface DrawRecord {
  seedCommitment: string;
  seed: string | null;
  drawnEntries: number | null;
  entries: Array<{ position: number; drawKey: string; joinedAt: string; inDraw: boolean }>;
}

const hmac = (seed: string, userId: string) => createHmac("sha256", seed).update(userId).digest("hex");

for (const backend of testBackends()) {
  describe(`drop lobby over HTTP (${backend.kind})`, () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer(backend);
    });
    afterAll(async () => server?.close());


    async function request(method: "GET" | "POST", path: string, opts: { token?: string; etag?: string } = {}) {
      const headers: Record<string, string> = {};
      if (opts.token) headers.authorization = `Bearer ${opts.token}`;
      if (opts.etag) headers["if-none-match"] = opts.etag;
      const res = await fetch(`${server.url}${path}`, { method, headers });
      const text = await res.text();
      return { status: res.status, etag: res.headers.get("etag"), body: (text ? JSON.parse(text) : null) as never, text };
    }
    const status = async (drop: Drop, student: Student) => {
      const res = await request("GET", `/api/showings/${drop.id}/lobby/`, { token: student.token });
      expect(res.status, res.text).toBe(200);
      return res.body as Status;
    };
    const join = async (drop: Drop, student: Student) => {
      const res = await request("POST", `/api/showings/${drop.id}/lobby/join/`, { token: student.token });
      expect(res.status, res.text).toBe(200);
      return res.body as Status;
    };
    const drawRecord = async (drop: Drop) => {
      const res = await request("GET", `/api/showings/${drop.id}/lobby/draw/`);
      expect(res.status, res.text).toBe(200);
      return res.body as DrawRecord;
    };
    /** Past the last advance's second, so the next status read advances the lobby. */
    const nextSecond = () => server.clock.advance(1_500);
    const toDrop = (drop: Drop) => server.clock.set(drop.drop);
    const entries = (drop: Drop) =>
      server.db.prisma.lobbyEntry.findMany({ where: { showingId: drop.id }, orderBy: { position: "asc" } });
    const states = async (drop: Drop, students: Student[]) => {
      const rows = await server.db.prisma.lobbyEntry.findMany({ where: { showingId: drop.id } });
      return students.map((s) => rows.find((r) => r.userId === s.id)?.state);
    };

    /** Joins each student a second apart while the lobby is open. */
    async function joinAll(drop: Drop, students: Student[]) {
      for (const student of students) {
        await join(drop, student);
        server.clock.advance(1_000);
      }
    }

    /** `count` students join before the drop; at the drop the first advance draws them. Returns them in place order. */
    async function drawnStudents(drop: Drop, count: number) {
      const students = await quickStudents(server, count);
      server.clock.set(drop.drop.getTime() - 10 * MINUTE);
      await joinAll(drop, students);
      toDrop(drop);
      nextSecond();
      await status(drop, students[0]!);
      return (await entries(drop)).map((r) => students.find((s) => s.id === r.userId)!);
    }

    it("refuses joining before the lobby opens (409), unknown showings and showings without a lobby (404), and strangers joining (401)", async () => {
      const drop = await lobbyDrop(server);
      const [student] = await quickStudents(server, 1);
      const early = await request("POST", `/api/showings/${drop.id}/lobby/join/`, { token: student!.token });
      expect(early.status).toBe(409);
      expect((early.body as { error: { code: string; message: string } }).error.code).toBe("LOBBY_NOT_OPEN");
      // In the club's time zone (the site's, America/New_York, for a club without one), the exact instant in details.
      const opensAt = new Date(drop.drop.getTime() - 15 * MINUTE);
      const local = new Intl.DateTimeFormat("en-US", {
        timeZone: "America/New_York",
        year: "numeric",
        month: "short",
        day: "numeric",
        hour: "numeric",
        minute: "2-digit",
        timeZoneName: "short",
      }).format(opensAt);
      expect(early.body).toMatchObject({ detail: `The lobby opens at ${local}; join then.`, error: { details: { opensAt: opensAt.toISOString() } } });
      expect(await server.db.prisma.lobbyEntry.count({ where: { showingId: drop.id } })).toBe(0);

      const plain = await showingWith(server, [{ type: "general", count: 2 }]);
      for (const path of [`/api/showings/${plain.showing.id}/lobby/`, `/api/showings/${plain.showing.id}/lobby/join/`]) {
        const res = await request(path.endsWith("join/") ? "POST" : "GET", path, { token: student!.token });
        expect(res.status, path).toBe(404);
        expect((res.body as { detail: string }).detail).toBe(
          "This showing has no lobby: its tickets go on sale to everyone at the drop time.",
        );
      }
      expect((await request("GET", `/api/showings/2147483000/lobby/`, { token: student!.token })).status).toBe(404);
      // Anyone may look at a lobby (as over tRPC); only a signed-in student has a place in it.
      expect(await request("GET", `/api/showings/${drop.id}/lobby/`)).toMatchObject({ status: 200, body: { phase: "NOT_OPEN", you: null } });
      expect((await request("POST", `/api/showings/${drop.id}/lobby/join/`)).status).toBe(401);

      // The status before opening says when it opens, and the commitment is public from the start.
      const before = await status(drop, student!);
      expect(before).toMatchObject({ phase: "NOT_OPEN", you: null, opensAt: new Date(drop.drop.getTime() - 15 * MINUTE).toISOString() });
      expect(before.seedCommitment).toMatch(/^[0-9a-f]{64}$/);
      expect((await drawRecord(drop)).seed).toBeNull();
      // The storefront may show the lobby to visitors who have not signed in: no place, same phase.
      const visitor = await trpc(server, "lobby.status", { input: { showingId: drop.id } });
      expect(visitor.status).toBe(200);
      expect(visitor.data).toMatchObject({ phase: "NOT_OPEN", you: null });
    });

    it("gives one place per account: joining again returns the same place", async () => {
      const drop = await lobbyDrop(server);
      const [a, b] = await quickStudents(server, 2);
      server.clock.set(drop.drop.getTime() - 10 * MINUTE);
      const first = await join(drop, a!);
      server.clock.advance(5_000);
      const again = await join(drop, a!);
      await join(drop, b!);
      expect(first.phase).toBe("OPEN");
      expect(first.you).toMatchObject({ state: "WAITING", position: null, ahead: null });
      expect(again.you).toEqual(first.you);
      expect(await server.db.prisma.lobbyEntry.count({ where: { showingId: drop.id, userId: a!.id } })).toBe(1);
      expect((await status(drop, a!)).waiting).toBe(2);
    });

    it("draws random places for those who joined before the drop, checkable from the revealed seed; later arrivals queue after them in arrival order", async () => {
      const drop = await lobbyDrop(server, { count: 0 });
      const early = await quickStudents(server, 24);
      const late = await quickStudents(server, 3);
      server.clock.set(drop.drop.getTime() - 14 * MINUTE);
      await joinAll(drop, early);
      const commitment = (await status(drop, early[0]!)).seedCommitment;

      toDrop(drop);
      await joinAll(drop, late);
      nextSecond();
      const first = await status(drop, early[0]!);
      expect(first.drawnAt).not.toBeNull();

      const record = await drawRecord(drop);
      expect(record.seed).toMatch(/^[0-9a-f]{64}$/);
      expect(createHash("sha256").update(record.seed!).digest("hex")).toBe(commitment);
      expect(record.drawnEntries).toBe(early.length);
      expect(record.entries.map((e) => e.position)).toEqual(Array.from({ length: early.length + late.length }, (_, n) => n + 1));

      // Anyone with the seed recomputes each early joiner's draw key, and the places follow the keys.
      const keys = early.map((s) => ({ id: s.id, key: hmac(record.seed!, s.id) }));
      const expected = [...keys].sort((x, y) => (x.key < y.key ? -1 : 1));
      expect(record.entries.slice(0, early.length).map((e) => e.drawKey)).toEqual(expected.map((k) => k.key));
      expect(record.entries.slice(0, early.length).every((e) => e.inDraw)).toBe(true);
      const rows = await entries(drop);
      expect(rows.slice(0, early.length).map((r) => r.userId)).toEqual(expected.map((k) => k.id));
      // ...which is not the order they joined in.
      expect(rows.slice(0, early.length).map((r) => r.userId)).not.toEqual(early.map((s) => s.id));
      // A student finds their own key in the record.
      const mine = await status(drop, early[5]!);
      expect(mine.you?.drawKey).toBe(hmac(record.seed!, early[5]!.id));
      expect(record.entries[mine.you!.position! - 1]?.drawKey).toBe(mine.you?.drawKey);

      // Late arrivals follow everyone drawn, in the order they came, and one more after the draw goes last.
      expect(rows.slice(early.length).map((r) => r.userId)).toEqual(late.map((s) => s.id));
      expect(record.entries.slice(early.length).every((e) => !e.inDraw)).toBe(true);
      const [latest] = await quickStudents(server, 1);
      await join(drop, latest!);
      nextSecond();
      expect((await status(drop, latest!)).you?.position).toBe(early.length + late.length + 1);
    });

    it("admits in batches sized to what is left (10 tickets, limit 2: five students); buying or leaving passes room on", async () => {
      const drop = await lobbyDrop(server, { count: 10, orderLimit: 2 });
      const byPlace = await drawnStudents(drop, 8);
      expect(await states(drop, byPlace)).toEqual(["ADMITTED", "ADMITTED", "ADMITTED", "ADMITTED", "ADMITTED", "WAITING", "WAITING", "WAITING"]);

      const admitted = await status(drop, byPlace[0]!);
      expect(admitted.phase).toBe("RUNNING");
      expect(admitted.you).toMatchObject({ state: "ADMITTED", position: 1, ahead: null });
      expect(admitted.you?.admitUntil).toBe(new Date(server.clock.now().getTime() + 5 * MINUTE).toISOString());
      const waiting = await status(drop, byPlace[7]!);
      expect(waiting.you).toMatchObject({ state: "WAITING", position: 8, ahead: 2 });
      expect(waiting.waiting).toBe(3);
      expect(waiting.you?.estimatedWaitSeconds).toBeGreaterThan(0);

      // Nothing more fits until someone is done: the next advance admits nobody.
      nextSecond();
      await status(drop, byPlace[5]!);
      expect((await entries(drop)).filter((r) => r.state === "ADMITTED")).toHaveLength(5);

      // The first buys both of their tickets (a real cart and a free checkout): their turn ends, and the 8 tickets
      // left are what the 4 students still admitted may take, so still nobody comes in.
      const add = await api(server, "POST", addPath(drop.event.id, drop.id), {
        token: byPlace[0]!.token,
        body: { quantities: [{ type: "general", count: 2 }] },
      });
      expect(add.status, JSON.stringify(add.body)).toBe(200);
      const checkout = await api(server, "POST", "/api/tickets/initiate_checkout/", { token: byPlace[0]!.token, body: {} });
      expect(checkout.status, JSON.stringify(checkout.body)).toBe(200);
      expect(await states(drop, [byPlace[0]!])).toEqual(["DONE"]);
      nextSecond();
      await status(drop, byPlace[5]!);
      expect(await states(drop, byPlace)).toEqual(["DONE", "ADMITTED", "ADMITTED", "ADMITTED", "ADMITTED", "WAITING", "WAITING", "WAITING"]);

      // An admitted student who leaves gives the room back: the next in line comes in.
      const left = await request("POST", `/api/showings/${drop.id}/lobby/leave/`, { token: byPlace[1]!.token });
      expect(left.status).toBe(200);
      expect((left.body as Status).you?.state).toBe("LEFT");
      nextSecond();
      await status(drop, byPlace[5]!);
      expect(await states(drop, byPlace)).toEqual(["DONE", "LEFT", "ADMITTED", "ADMITTED", "ADMITTED", "ADMITTED", "WAITING", "WAITING"]);
    });

    it("counts tickets a student bought in an earlier order: they claim only what the limit leaves them", async () => {
      const drop = await lobbyDrop(server, { count: 4, orderLimit: 2 });
      const [earlier, second, third] = await quickStudents(server, 3);
      const bought = await server.db.prisma.ticket.findMany({ where: { showingId: drop.id }, take: 2 });
      await server.db.prisma.ticket.updateMany({ where: { id: { in: bought.map((t) => t.id) } }, data: { ownerId: earlier!.id, amountPaid: "0" } });
      server.clock.set(drop.drop.getTime() - 10 * MINUTE);
      await join(drop, earlier!);
      toDrop(drop);
      await joinAll(drop, [second!, third!]);
      nextSecond();
      await status(drop, third!);
      // 2 tickets left: none for the student who has their 2 already (their turn costs no room), both for the next;
      // the third waits.
      expect(await states(drop, [earlier!, second!, third!])).toEqual(["ADMITTED", "ADMITTED", "WAITING"]);
    });

    it("takes someone who left back at their place while it has not come up, else behind everyone", async () => {
      const drop = await lobbyDrop(server, { count: 2, orderLimit: 2 });
      const byPlace = await drawnStudents(drop, 4);
      const leave = (student: Student) => request("POST", `/api/showings/${drop.id}/lobby/leave/`, { token: student.token });

      // The third leaves and comes back before their place comes up: the same place.
      expect((await leave(byPlace[2]!)).status).toBe(200);
      expect((await join(drop, byPlace[2]!)).you).toMatchObject({ state: "WAITING", position: 3, ahead: 1 });

      // The admitted first leaves, so the second comes in; coming back, the first queues behind everyone.
      expect((await leave(byPlace[0]!)).status).toBe(200);
      nextSecond();
      expect((await status(drop, byPlace[1]!)).you?.state).toBe("ADMITTED");
      nextSecond();
      expect((await join(drop, byPlace[0]!)).you).toMatchObject({ state: "WAITING", position: 5 });
      // Leaving twice changes nothing.
      expect(((await leave(byPlace[3]!)).body as Status).you?.state).toBe("LEFT");
      expect(((await leave(byPlace[3]!)).body as Status).you?.state).toBe("LEFT");
    });

    it("passes the place on when an admission window runs out", async () => {
      const drop = await lobbyDrop(server, { count: 4, orderLimit: 2 });
      const byPlace = await drawnStudents(drop, 5);
      expect(await states(drop, byPlace)).toEqual(["ADMITTED", "ADMITTED", "WAITING", "WAITING", "WAITING"]);

      // One second before the window ends nothing moves; at its end the two turns are over and the next two come in.
      server.clock.set(drop.drop.getTime() + 1_500 + 5 * MINUTE - 1_000);
      await status(drop, byPlace[2]!);
      expect(await states(drop, byPlace)).toEqual(["ADMITTED", "ADMITTED", "WAITING", "WAITING", "WAITING"]);
      server.clock.set(drop.drop.getTime() + 1_500 + 5 * MINUTE);
      const next = await status(drop, byPlace[2]!);
      expect(next.you).toMatchObject({ state: "ADMITTED", position: 3 });
      expect(await states(drop, byPlace)).toEqual(["EXPIRED", "EXPIRED", "ADMITTED", "ADMITTED", "WAITING"]);
      const expired = await status(drop, byPlace[0]!);
      expect(expired.you).toMatchObject({ state: "EXPIRED", admitUntil: null });
      // Their turn is over: the cart refuses them now.
      const add = await api(server, "POST", addPath(drop.event.id, drop.id), {
        token: byPlace[0]!.token,
        body: { quantities: [{ type: "general", count: 1 }] },
      });
      expect(add.status).toBe(409);
    });

    it("answers 304 to a poll while nothing it shows changed, and a new ETag once it does", async () => {
      const drop = await lobbyDrop(server, { count: 2, orderLimit: 2 });
      const students = await quickStudents(server, 3);
      server.clock.set(drop.drop.getTime() - 10 * MINUTE);
      await joinAll(drop, students);
      const path = `/api/showings/${drop.id}/lobby/`;
      const first = await request("GET", path, { token: students[0]!.token });
      expect(first.status).toBe(200);
      expect(first.etag).toMatch(/^".+"$/);

      server.clock.advance(30_000);
      const same = await request("GET", path, { token: students[0]!.token, etag: first.etag! });
      expect(same.status).toBe(304);
      expect(same.text).toBe("");
      // Another student's answer differs (their draw key), so one student's ETag never stands for another's.
      expect((await request("GET", path, { token: students[1]!.token, etag: first.etag! })).status).toBe(200);
      // One more joins: the crowd grew, so the poll answers afresh.
      const [another] = await quickStudents(server, 1);
      await join(drop, another!);
      students.push(another!);
      const grown = await request("GET", path, { token: students[0]!.token, etag: first.etag! });
      expect(grown.status).toBe(200);
      expect((grown.body as Status).waiting).toBe(4);

      // The drop: the first place is admitted (both tickets are theirs to take); the third waits with one ahead.
      toDrop(drop);
      nextSecond();
      await status(drop, students[0]!);
      const last = (await entries(drop)).map((r) => students.find((s) => s.id === r.userId)!)[2]!;
      const waiting = await request("GET", path, { token: last.token, etag: first.etag! });
      expect(waiting.status).toBe(200);
      expect((waiting.body as Status).you).toMatchObject({ state: "WAITING", position: 3, ahead: 1 });
      nextSecond();
      expect((await request("GET", path, { token: last.token, etag: waiting.etag! })).status).toBe(304);

      // The first window runs out and the second place comes up: one fewer is ahead of the third.
      server.clock.advance(5 * MINUTE);
      const moved = await request("GET", path, { token: last.token, etag: waiting.etag! });
      expect(moved.status).toBe(200);
      expect((moved.body as Status).you).toMatchObject({ state: "WAITING", position: 3, ahead: 0 });
      expect(moved.etag).not.toBe(waiting.etag);
      expect((await request("GET", path, { token: last.token, etag: moved.etag! })).status).toBe(304);

      // An officer gives turns more time: only the lobby's version tells the waiting student, whose place, the
      // phase and the crowd stay the same.
      const configured = await trpc(server, "lobby.configure", {
        token: drop.officer.token,
        mutation: true,
        input: { showingId: drop.id, enabled: true, opensMinutesBefore: 15, admitMinutes: 8 },
      });
      expect(configured.status).toBe(200);
      const longer = await request("GET", path, { token: last.token, etag: moved.etag! });
      expect(longer.status).toBe(200);
      expect((longer.body as Status).admitMinutes).toBe(8);
    });

    it("shows SOLD_OUT once nothing is left to sell, and runs again when tickets come back", async () => {
      const drop = await lobbyDrop(server, { count: 2, orderLimit: 2 });
      const [a, b] = await quickStudents(server, 2);
      server.clock.set(drop.drop.getTime() - 10 * MINUTE);
      await joinAll(drop, [a!, b!]);
      toDrop(drop);
      nextSecond();
      await status(drop, a!);
      const [firstPlace] = await entries(drop);
      const buyer = [a!, b!].find((s) => s.id === firstPlace!.userId)!;
      const other = buyer === a ? b! : a!;
      expect(await api(server, "POST", addPath(drop.event.id, drop.id), { token: buyer.token, body: { quantities: [{ type: "general", count: 2 }] } }))
        .toMatchObject({ status: 200 });
      expect((await api(server, "POST", "/api/tickets/initiate_checkout/", { token: buyer.token, body: {} })).status).toBe(200);

      nextSecond();
      const soldOut = await status(drop, other);
      expect(soldOut.phase).toBe("SOLD_OUT");
      expect(soldOut.you?.state).toBe("WAITING");
      expect((await server.db.prisma.lobby.findUniqueOrThrow({ where: { showingId: drop.id } })).soldOutAt).not.toBeNull();

      // A ticket comes back (e.g. refunded to sale): the lobby runs again and the next student is let in.
      const ticket = await server.db.prisma.ticket.findFirstOrThrow({ where: { showingId: drop.id, ownerId: buyer.id } });
      await server.db.prisma.ticket.update({ where: { id: ticket.id }, data: { ownerId: null } });
      nextSecond();
      const back = await status(drop, other);
      expect(back.phase).toBe("RUNNING");
      expect(back.you?.state).toBe("ADMITTED");
    });

    it("lets officers set the lobby up and see its counts; students cannot", async () => {
      const drop = await lobbyDrop(server);
      const [student] = await quickStudents(server, 1);
      const refused = await trpc(server, "lobby.overview", { token: student!.token, input: { showingId: drop.id } });
      expect(refused.status).toBe(404);
      const bad = await trpc(server, "lobby.configure", {
        token: drop.officer.token,
        mutation: true,
        input: { showingId: drop.id, enabled: true, opensMinutesBefore: 2000, admitMinutes: 0 },
      });
      expect(bad.status).toBe(400);
      server.clock.set(drop.drop.getTime() - 5 * MINUTE);
      await join(drop, student!);
      const overview = await trpc(server, "lobby.overview", { token: drop.officer.token, input: { showingId: drop.id } });
      expect(overview.status).toBe(200);
      expect(overview.data).toMatchObject({ enabled: true, phase: "OPEN", opensMinutesBefore: 15, admitMinutes: 5, counts: { waiting: 1 } });
      const seedBefore = (await server.db.prisma.lobby.findUniqueOrThrow({ where: { showingId: drop.id } })).seed;
      const changed = await trpc(server, "lobby.configure", {
        token: drop.officer.token,
        mutation: true,
        input: { showingId: drop.id, enabled: true, opensMinutesBefore: 30, admitMinutes: 8 },
      });
      expect(changed.data).toMatchObject({ opensMinutesBefore: 30, admitMinutes: 8 });
      // The seed is fixed with the lobby: changing settings never re-draws it.
      expect((await server.db.prisma.lobby.findUniqueOrThrow({ where: { showingId: drop.id } })).seed).toBe(seedBefore);
    });
  });
}
