import { randomBytes } from "node:crypto";
import { testBackends } from "@admit/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addPath, api, quickStudents, showingWith } from "./cart-helpers.ts";
import { startTestServer, trpc, type TestServer } from "./harness.ts";
import { ACCEPT, browserPost, replyFor, resultOf, type Attempt } from "./payment-fixtures.ts";

const MINUTE = 60_000;

type Student = Awaited<ReturnType<typeof quickStudents>>[number];

for (const backend of testBackends()) {
  describe(`the lobby gate at cart and checkout (${backend.kind})`, () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer(backend);
    });
    afterAll(async () => server?.close());

    /** A showing whose drop is 30 minutes ahead, with its lobby on: opens 15 minutes before, 5-minute turns. */
    async function lobbyDrop(opts: { price?: string; count?: number; orderLimit?: number } = {}) {
      const drop = new Date(server.clock.now().getTime() + 30 * MINUTE);
      const made = await showingWith(server, [{ type: "general", count: opts.count ?? 10, price: opts.price ?? "0" }], {
        dropTime: drop,
        orderLimit: opts.orderLimit ?? 2,
      });
      const seed = randomBytes(32).toString("hex");
      await server.db.prisma.lobby.create({
        data: { showingId: made.showing.id, enabled: true, opensMinutesBefore: 15, admitMinutes: 5, seed, seedCommitment: seed },
      });
      return { ...made, drop };
    }

    /** The student's place in the lobby, as the lobby's join and advance leave it. */
    async function place(showingId: number, student: Student, state: "WAITING" | "ADMITTED", admitMinutes = 5) {
      const now = server.clock.now();
      const admitted = state === "ADMITTED" ? { admittedAt: now, admitUntil: new Date(now.getTime() + admitMinutes * MINUTE) } : {};
      await server.db.prisma.lobbyEntry.upsert({
        where: { showingId_userId: { showingId, userId: student.id } },
        create: { showingId, userId: student.id, joinedAt: now, state, ...admitted },
        update: { state, ...admitted },
      });
    }

    type Drop = Awaited<ReturnType<typeof lobbyDrop>>;
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
      const drop = await lobbyDrop();
      const [outsider, waiting] = await quickStudents(server, 2);

      const early = await addRest(drop, outsider!);
      expect(early).toMatchObject({ status: 403, body: { error: { code: "NOT_ON_SALE" } } });

      // The lobby is open (15 minutes before the drop): joining is how to get tickets.
      server.clock.advance(20 * MINUTE);
      const open = await addRest(drop, outsider!);
      expect(open).toMatchObject({ status: 403, body: { error: { code: "LOBBY_REQUIRED" } } });
      expect(open.body.detail).toBe(
        `This drop has a lobby: join it at /events/${drop.event.id}/showings/${drop.showing.id}/lobby, and you can pick tickets when your turn comes.`,
      );

      // The drop has passed and the lobby admits in turn.
      server.clock.advance(11 * MINUTE);
      await place(drop.showing.id, waiting!, "WAITING");
      for (const student of [outsider!, waiting!]) {
        expect(await addRest(drop, student)).toMatchObject({ status: 403, body: { error: { code: "LOBBY_REQUIRED" } } });
        const viaTrpc = await addTrpc(drop, student);
        expect(viaTrpc.status).toBe(403);
        expect(viaTrpc.error).toMatchObject({ data: { appCode: "LOBBY_REQUIRED" }, message: expect.stringContaining("/lobby") });
      }
      expect((await addRest(drop, waiting!)).body.detail).toMatch(/You're in this drop's lobby/);
      expect(await server.db.prisma.cartTicket.count({ where: { ticket: { showingId: drop.showing.id } } })).toBe(0);
    });

    it("an admitted student adds and buys free tickets; once the window runs out, adds and checkouts are refused", async () => {
      const drop = await lobbyDrop();
      const [first, second] = await quickStudents(server, 2);
      server.clock.set(drop.drop.getTime() + MINUTE);
      await place(drop.showing.id, first!, "ADMITTED");
      await place(drop.showing.id, second!, "ADMITTED");

      expect(await addRest(drop, first!, 2)).toMatchObject({ status: 200, body: { count: 2 } });
      const sold = await checkoutTrpc(first!);
      expect(sold.status).toBe(200);
      expect(sold.data).toMatchObject({ sold_free_tickets: true });
      expect(await owned(drop, first!)).toBe(2);
      expect(await entryState(drop, first!)).toBe("DONE");

      expect((await addTrpc(drop, second!, 1)).status).toBe(200);
      server.clock.advance(5 * MINUTE);
      // Both transports, for the add and for the checkout of what is already in the cart.
      const restAdd = await addRest(drop, second!);
      expect(restAdd).toMatchObject({ status: 409, body: { error: { code: "LOBBY_WINDOW_ENDED" } } });
      expect(restAdd.body.detail).toMatch(/Your turn in this drop's lobby has ended/);
      expect((await addTrpc(drop, second!)).error).toMatchObject({ data: { appCode: "LOBBY_WINDOW_ENDED" } });
      expect(await checkoutRest(second!)).toMatchObject({ status: 409, body: { error: { code: "LOBBY_WINDOW_ENDED" } } });
      const trpcCheckout = await checkoutTrpc(second!);
      expect(trpcCheckout.status).toBe(409);
      expect(trpcCheckout.error).toMatchObject({ data: { appCode: "LOBBY_WINDOW_ENDED" } });
      expect(await owned(drop, second!)).toBe(0);
      expect(await inCart(second!)).toBe(1);
    });

    it("a paid checkout started during the turn completes after the window ends; a new checkout after it does not", async () => {
      const drop = await lobbyDrop({ price: "12.50" });
      const [buyer, late] = await quickStudents(server, 2);
      server.clock.set(drop.drop.getTime() + MINUTE);
      await place(drop.showing.id, buyer!, "ADMITTED");
      await place(drop.showing.id, late!, "ADMITTED");

      expect((await addTrpc(drop, buyer!, 2)).status).toBe(200);
      const started = await checkoutRest(buyer!);
      expect(started.status).toBe(200);
      expect(started.body.sold_free_tickets).toBe(false);
      expect((await addRest(drop, late!, 1)).status).toBe(200);

      // The 5-minute turn ends; the 10-minute hold does not.
      server.clock.advance(6 * MINUTE);
      const resumed = await checkoutTrpc(buyer!);
      expect(resumed.status).toBe(200);
      expect((resumed.data as { payment_params: Record<string, string> }).payment_params.transaction_uuid).toBe(
        started.body.payment_params.transaction_uuid,
      );
      const payment = await server.db.prisma.payment.findUniqueOrThrow({
        where: { transactionUuid: started.body.payment_params.transaction_uuid },
        select: { id: true, referenceNumber: true },
      });
      const attempt = { params: started.body.payment_params, paymentId: payment.id } as Attempt;
      expect(resultOf(server, await browserPost(server, replyFor(server, attempt, ACCEPT))).outcome).toBe("paid");
      expect(await owned(drop, buyer!)).toBe(2);
      expect(await entryState(drop, buyer!)).toBe("DONE");

      // The other student never started paying during the turn, so it is over for them.
      expect(await checkoutRest(late!)).toMatchObject({ status: 409, body: { error: { code: "LOBBY_WINDOW_ENDED" } } });
      expect(await server.db.prisma.ticket.count({ where: { holderId: late!.id } })).toBe(0);
    });

    it("a student holding an unexpired waitlist offer for the showing gets through the running lobby; an expired offer does not", async () => {
      const drop = await lobbyDrop();
      const [offered, lapsed] = await quickStudents(server, 2);
      server.clock.set(drop.drop.getTime() + MINUTE);
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
      expect((await addRest(drop, offered!)).status).toBe(200);
      expect((await checkoutTrpc(offered!)).data).toMatchObject({ sold_free_tickets: true });
      expect(await addRest(drop, lapsed!)).toMatchObject({ status: 403, body: { error: { code: "LOBBY_REQUIRED" } } });
    });

    it("a showing without a lobby, or with its lobby off, sells as before", async () => {
      const drop = await lobbyDrop();
      const [student] = await quickStudents(server, 1);
      server.clock.set(drop.drop.getTime() + MINUTE);
      await server.db.prisma.lobby.update({ where: { showingId: drop.showing.id }, data: { enabled: false } });
      expect((await addRest(drop, student!)).status).toBe(200);
      expect((await checkoutRest(student!)).body.sold_free_tickets).toBe(true);
    });
  });
}
