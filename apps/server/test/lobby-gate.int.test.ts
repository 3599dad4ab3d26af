import { testBackends } from "@admit/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addPath, api, quickStudents, removePath } from "./cart-helpers.ts";
import { startTestServer, trpc, type TestServer } from "./harness.ts";
import { lobbyDrop, type LobbyDrop as Drop } from "./lobby-fixtures.ts";
import { ACCEPT, browserPost, paidShowing, replyFor, resultOf, type Attempt } from "./payment-fixtures.ts";

const MINUTE = 60_000;

type Student = Awaited<ReturnType<typeof quickStudents>>[number];

for (const backend of testBackends()) {
  describe(`the lobby gate at cart and checkout (${backend.kind})`, () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer(backend);
    });
    afterAll(async () => server?.close());


    /** Students join through tRPC while the lobby is open (before the drop, so the draw places them). */
    async function join(drop: Drop, ...students: Student[]) {
      for (const student of students) {
        const joined = await trpc(server, "lobby.join", { token: student.token, mutation: true, input: { showingId: drop.showing.id } });
        expect(joined.status, JSON.stringify(joined.error)).toBe(200);
      }
    }

    /** The periodic job's advance, a little later than the last one (it runs at most once a second). */
    async function advance(drop: Drop) {
      server.clock.advance(2_000);
      return server.runtime.services.lobbies.advance(drop.showing.id);
    }

    /** The student's place as their lobby page reads it. */
    async function you(drop: Drop, student: Student) {
      const status = await trpc(server, "lobby.status", { token: student.token, input: { showingId: drop.showing.id } });
      expect(status.status, JSON.stringify(status.error)).toBe(200);
      return (status.data as { you: { state: string; position: number | null } | null }).you;
    }

    /** The gate's verdict as the student's lobby page receives it (`mayBuy`), which must match what adds meet. */
    async function mayBuy(drop: Drop, student: Student) {
      const status = await trpc(server, "lobby.status", { token: student.token, input: { showingId: drop.showing.id } });
      expect(status.status, JSON.stringify(status.error)).toBe(200);
      return (status.data as { mayBuy: boolean }).mayBuy;
    }

    /** Splits students into those the lobby admitted and those still waiting. */
    async function turns(drop: Drop, students: Student[]) {
      const admitted: Student[] = [];
      const waiting: Student[] = [];
      for (const student of students) ((await you(drop, student))?.state === "ADMITTED" ? admitted : waiting).push(student);
      return { admitted, waiting };
    }

    const addRest = (drop: Drop, student: Student, count = 1) =>
      api(server, "POST", addPath(drop.event.id, drop.showing.id), { token: student.token, body: { quantities: [{ type: "general", count }] } });
    const addTrpc = (drop: Drop, student: Student, count = 1) =>
      trpc(server, "cart.add", {
        token: student.token,
        mutation: true,
        input: { eventId: drop.event.id, showingId: drop.showing.id, quantities: [{ type: "general", count }] },
      });
    const checkoutRest = (student: Student) => api(server, "POST", "/api/tickets/initiate_checkout/", { token: student.token, body: {} });
    const checkoutTrpc = (student: Student) => trpc(server, "checkout.start", { token: student.token, mutation: true });
    const owned = (drop: Drop, student: Student) =>
      server.db.prisma.ticket.count({ where: { showingId: drop.showing.id, ownerId: student.id } });
    const entryState = async (drop: Drop, student: Student) =>
      (await server.db.prisma.lobbyEntry.findUnique({ where: { showingId_userId: { showingId: drop.showing.id, userId: student.id } } }))?.state;
    const inCart = (student: Student) => server.db.prisma.cartTicket.count({ where: { cart: { userId: student.id } } });

    it("before the lobby opens the sale window refuses as usual; while it runs nobody without a turn adds to a cart, over REST or tRPC", async () => {
      const drop = await lobbyDrop(server, { count: 2 });
      const [outsider, a, b] = await quickStudents(server, 3);

      const early = await addRest(drop, outsider!);
      expect(early).toMatchObject({ status: 403, body: { error: { code: "NOT_ON_SALE" } } });

      // The lobby is open (15 minutes before the drop): joining is how to get tickets.
      server.clock.advance(20 * MINUTE);
      await join(drop, a!, b!);
      const open = await addRest(drop, outsider!);
      expect(open).toMatchObject({ status: 403, body: { error: { code: "LOBBY_REQUIRED" } } });
      expect(open.body.detail).toBe(
        `This drop has a lobby: join it at /events/${drop.event.id}/showings/${drop.showing.id}/lobby, and you can pick tickets when your turn comes.`,
      );
      expect(await addRest(drop, a!)).toMatchObject({ status: 403, body: { error: { code: "LOBBY_REQUIRED" } } });

      // The drop passes; two tickets and a limit of 2 make room for one student's turn.
      server.clock.set(drop.drop);
      expect(await advance(drop)).toMatchObject({ drew: 2, admitted: 1 });
      const { admitted, waiting } = await turns(drop, [a!, b!]);
      expect([admitted.length, waiting.length]).toEqual([1, 1]);
      expect([await mayBuy(drop, admitted[0]!), await mayBuy(drop, waiting[0]!), await mayBuy(drop, outsider!)]).toEqual([true, false, false]);
      for (const student of [outsider!, waiting[0]!]) {
        expect(await addRest(drop, student)).toMatchObject({ status: 403, body: { error: { code: "LOBBY_REQUIRED" } } });
        const viaTrpc = await addTrpc(drop, student);
        expect(viaTrpc.status).toBe(403);
        expect(viaTrpc.error).toMatchObject({ data: { appCode: "LOBBY_REQUIRED" }, message: expect.stringContaining("/lobby") });
      }
      expect((await addRest(drop, waiting[0]!)).body.detail).toMatch(/You're in this drop's lobby/);
      expect(await server.db.prisma.cartTicket.count({ where: { ticket: { showingId: drop.showing.id } } })).toBe(0);

      expect(await addRest(drop, admitted[0]!, 2)).toMatchObject({ status: 200, body: { count: 2 } });
      expect((await checkoutTrpc(admitted[0]!)).data).toMatchObject({ sold_free_tickets: true });
      expect(await owned(drop, admitted[0]!)).toBe(2);
    });

    it("an admitted student buys free tickets; the order ends their turn and the next advance admits the next student in place order", async () => {
      // Three tickets, limit 2: room for one student's turn at a time until only one ticket is left.
      const drop = await lobbyDrop(server, { count: 3 });
      const students = await quickStudents(server, 3);
      server.clock.advance(20 * MINUTE);
      await join(drop, ...students);
      server.clock.set(drop.drop);
      expect(await advance(drop)).toMatchObject({ drew: 3, admitted: 1 });
      const places = new Map<string, number>();
      for (const student of students) places.set(student.id, (await you(drop, student))!.position!);
      const byPlace = [...students].sort((x, y) => places.get(x.id)! - places.get(y.id)!);
      const { admitted } = await turns(drop, students);
      expect(admitted.map((s) => s.id)).toEqual([byPlace[0]!.id]);

      expect((await addTrpc(drop, byPlace[0]!, 2)).status).toBe(200);
      expect((await checkoutRest(byPlace[0]!)).body.sold_free_tickets).toBe(true);
      expect(await entryState(drop, byPlace[0]!)).toBe("DONE");
      // Their turn is over: one order per turn.
      expect(await addRest(drop, byPlace[0]!)).toMatchObject({ status: 409, body: { error: { code: "LOBBY_WINDOW_ENDED" } } });
      expect((await addRest(drop, byPlace[1]!)).body.error.code).toBe("LOBBY_REQUIRED");

      expect(await advance(drop)).toMatchObject({ admitted: 1 });
      expect((await you(drop, byPlace[1]!))?.state).toBe("ADMITTED");
      expect((await you(drop, byPlace[2]!))?.state).toBe("WAITING");
      expect((await addRest(drop, byPlace[1]!, 1)).status).toBe(200);
      expect((await checkoutTrpc(byPlace[1]!)).data).toMatchObject({ sold_free_tickets: true });
      expect(await owned(drop, byPlace[1]!)).toBe(1);
      expect(await entryState(drop, byPlace[1]!)).toBe("DONE");
    });

    it("once an admitted student's window runs out, adds and checkouts are refused over REST and tRPC, before and after the advance expires the place", async () => {
      const drop = await lobbyDrop(server, { count: 4 });
      const [first, second] = await quickStudents(server, 2);
      server.clock.advance(20 * MINUTE);
      await join(drop, first!, second!);
      server.clock.set(drop.drop);
      expect(await advance(drop)).toMatchObject({ admitted: 2 });

      expect((await addTrpc(drop, first!, 1)).status).toBe(200);
      server.clock.advance(5 * MINUTE);
      for (const expiredByAdvance of [false, true]) {
        if (expiredByAdvance) expect(await advance(drop)).toMatchObject({ expired: 2 });
        const restAdd = await addRest(drop, first!);
        expect(restAdd).toMatchObject({ status: 409, body: { error: { code: "LOBBY_WINDOW_ENDED" } } });
        expect(restAdd.body.detail).toMatch(/Your turn in this drop's lobby has ended/);
        expect((await addTrpc(drop, second!)).error).toMatchObject({ data: { appCode: "LOBBY_WINDOW_ENDED" } });
        expect(await checkoutRest(first!)).toMatchObject({ status: 409, body: { error: { code: "LOBBY_WINDOW_ENDED" } } });
        const trpcCheckout = await checkoutTrpc(first!);
        expect(trpcCheckout.status).toBe(409);
        expect(trpcCheckout.error).toMatchObject({ data: { appCode: "LOBBY_WINDOW_ENDED" } });
      }
      // Read last: a status read advances the lobby when one is due, which would expire the places ahead of the test.
      expect(await mayBuy(drop, first!)).toBe(false);
      expect(await owned(drop, first!)).toBe(0);
      expect(await inCart(first!)).toBe(1);
      expect(await inCart(second!)).toBe(0);
    });

    it("a paid checkout started during the turn completes after the window ends; a checkout started after it does not", async () => {
      const drop = await lobbyDrop(server, { price: "12.50", count: 4 });
      const [buyer, late] = await quickStudents(server, 2);
      server.clock.advance(20 * MINUTE);
      await join(drop, buyer!, late!);
      server.clock.set(drop.drop);
      expect(await advance(drop)).toMatchObject({ admitted: 2 });

      expect((await addTrpc(drop, buyer!, 2)).status).toBe(200);
      const started = await checkoutRest(buyer!);
      expect(started.status).toBe(200);
      expect(started.body.sold_free_tickets).toBe(false);
      expect((await addRest(drop, late!, 1)).status).toBe(200);

      // The 5-minute turn ends; the 10-minute hold does not. Opening the payment page again is the same attempt.
      server.clock.advance(6 * MINUTE);
      const resumed = await checkoutTrpc(buyer!);
      expect(resumed.status).toBe(200);
      expect((resumed.data as { payment_params: Record<string, string> }).payment_params.transaction_uuid).toBe(
        started.body.payment_params.transaction_uuid,
      );
      const payment = await server.db.prisma.payment.findUniqueOrThrow({
        where: { transactionUuid: started.body.payment_params.transaction_uuid },
        select: { id: true },
      });
      const attempt = { params: started.body.payment_params, paymentId: payment.id } as Attempt;
      expect(resultOf(server, await browserPost(server, replyFor(server, attempt, ACCEPT))).outcome).toBe("paid");
      expect(await owned(drop, buyer!)).toBe(2);
      expect(await entryState(drop, buyer!)).toBe("DONE");

      // The other student never started paying during the turn, so it is over for them.
      expect(await checkoutRest(late!)).toMatchObject({ status: 409, body: { error: { code: "LOBBY_WINDOW_ENDED" } } });
      expect(await server.db.prisma.ticket.count({ where: { holderId: late!.id } })).toBe(0);
    });

    it("a checkout whose cart grew after the turn ended is a new purchase: refused, while the one started during the turn still resumes", async () => {
      const drop = await lobbyDrop(server, { price: "12.50", count: 4 });
      const elsewhere = await paidShowing(server, { count: 2 });
      const [buyer] = await quickStudents(server, 1);
      server.clock.advance(20 * MINUTE);
      await join(drop, buyer!);
      server.clock.set(drop.drop);
      expect(await advance(drop)).toMatchObject({ admitted: 1 });
      expect((await addTrpc(drop, buyer!, 2)).status).toBe(200);
      const started = await checkoutRest(buyer!);
      expect(started.status).toBe(200);

      // After the turn, a ticket of a showing without a lobby joins the cart: the cart is no longer what was held.
      server.clock.advance(6 * MINUTE);
      const other = { quantities: [{ type: elsewhere.type, count: 1 }] };
      expect((await api(server, "POST", addPath(elsewhere.eventId, elsewhere.showingId), { token: buyer!.token, body: other })).status).toBe(200);
      const grown = await checkoutRest(buyer!);
      expect(grown).toMatchObject({ status: 409, body: { error: { code: "LOBBY_WINDOW_ENDED" } } });
      expect(grown.body.detail).toContain(`/events/${drop.event.id}/showings/${drop.showing.id}/lobby`);
      const attempt = await server.db.prisma.payment.findUniqueOrThrow({ where: { transactionUuid: started.body.payment_params.transaction_uuid } });
      expect(attempt.status).toBe("PENDING");

      // Taken out again, the cart is the held one, and the checkout started during the turn goes on.
      const removed = await api(server, "POST", removePath(elsewhere.eventId, elsewhere.showingId), { token: buyer!.token, body: other });
      expect(removed.status).toBe(200);
      const resumed = await checkoutRest(buyer!);
      expect(resumed.status).toBe(200);
      expect(resumed.body.payment_params.transaction_uuid).toBe(started.body.payment_params.transaction_uuid);
    });

    it("a student holding an unexpired waitlist offer for the showing gets through the running lobby; an expired offer does not", async () => {
      const drop = await lobbyDrop(server);
      const [offered, lapsed] = await quickStudents(server, 2);
      server.clock.set(drop.drop);
      await advance(drop);
      const now = server.clock.now();
      const offer = (userId: string, offerExpiresAt: Date) => ({
        showingId: drop.showing.id,
        userId,
        count: 1,
        joinedAt: now,
        state: "OFFERED" as const,
        offeredAt: now,
        offerExpiresAt,
        offeredCount: 1,
      });
      await server.db.prisma.waitlistEntry.createMany({
        data: [offer(offered!.id, new Date(now.getTime() + 30 * MINUTE)), offer(lapsed!.id, now)],
      });
      expect([await mayBuy(drop, offered!), await mayBuy(drop, lapsed!)]).toEqual([true, false]);
      expect((await addRest(drop, offered!)).status).toBe(200);
      expect((await checkoutTrpc(offered!)).data).toMatchObject({ sold_free_tickets: true });
      expect(await addRest(drop, lapsed!)).toMatchObject({ status: 403, body: { error: { code: "LOBBY_REQUIRED" } } });
    });

    it("a showing whose lobby an officer turns off sells as before", async () => {
      const drop = await lobbyDrop(server);
      const [student] = await quickStudents(server, 1);
      server.clock.set(drop.drop.getTime() + MINUTE);
      expect(await addRest(drop, student!)).toMatchObject({ status: 403, body: { error: { code: "LOBBY_REQUIRED" } } });
      const off = await trpc(server, "lobby.configure", {
        token: drop.officer.token,
        mutation: true,
        input: { showingId: drop.showing.id, enabled: false, opensMinutesBefore: 15, admitMinutes: 5 },
      });
      expect(off.status).toBe(200);
      expect((await addRest(drop, student!)).status).toBe(200);
      expect((await checkoutRest(student!)).body.sold_free_tickets).toBe(true);
    });
  });
}
