import { createServices } from "@admit/domain";
import { testBackends } from "@admit/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callerFor } from "./catalog-fixture.ts";
import { failure, openCartFixture, PUBLIC_URL, type CartFixture } from "./cart-fixture.ts";

/** A call's answer, or its error's status and code, so calls made together can be checked one by one. */
const settle = <T>(call: Promise<T>) =>
  call.then(
    (value) => ({ ok: true as const, value }),
    async (error: unknown) => ({ ok: false as const, ...(await failure(Promise.reject(error))) }),
  );

/*
 * Adds, views and checkouts that arrive together are group-committed: several people's requests share one
 * transaction. Calls started in the same tick make such a batch (the first call starts alone; the rest wait for it
 * and go together), so these tests check that each person still gets exactly their own answer.
 */
for (const backend of testBackends()) {
  describe(`requests that share a transaction (${backend.kind})`, () => {
    let f: CartFixture;
    /** Transactions the services have opened; a batch is one, however many requests it answers. */
    let transactions = 0;
    beforeAll(async () => {
      f = await openCartFixture(backend);
      const open = f.prisma.$transaction.bind(f.prisma) as (...args: unknown[]) => unknown;
      Object.assign(f.prisma, { $transaction: (...args: unknown[]) => (transactions++, open(...args)) });
    });
    afterAll(async () => f?.close());

    it("adds: each is all or nothing on its own; refusals leave no trace and never spill over to the others", async () => {
      const { event, showing } = await f.newShowing({ orderLimit: 2 });
      await f.tickets(showing.id, { type: "general", count: 11 });
      const ended = await f.newShowing();
      await f.tickets(ended.showing.id, { type: "general", count: 2 });
      await f.prisma.showing.update({ where: { id: ended.showing.id }, data: { endTime: new Date(f.clock.now().getTime() - 1000) } });
      const students = await Promise.all(Array.from({ length: 9 }, () => f.student()));
      const add = (i: number, quantities: Array<{ type: string; count: number }>, showingId = showing.id, eventId = event.id) =>
        settle(f.call(students[i]!).cart.add({ showingId, eventId, quantities }));
      const before = transactions;
      const answers = await Promise.all([
        add(0, [{ type: "general", count: 2 }]),
        add(1, [{ type: "general", count: 2 }]),
        add(2, [{ type: "general", count: 3 }]),
        add(3, [{ type: "nonexistent", count: 1 }]),
        add(4, [{ type: "general", count: 1 }], showing.id, ended.event.id),
        add(5, [{ type: "general", count: 1 }], ended.showing.id, ended.event.id),
        add(6, [{ type: "general", count: 2 }]),
        add(7, [{ type: "general", count: 2 }]),
        add(8, [{ type: "general", count: 2 }]),
        // The same person twice: their cart is locked, so the second waits for the first and meets the limit.
        add(0, [{ type: "general", count: 1 }]),
      ]);
      // The first add runs alone; the nine that arrive while it runs share the next transaction.
      expect(transactions - before).toBe(2);
      expect(answers.map((a) => (a.ok ? a.value.count : a.code))).toEqual([
        2,
        2,
        "ORDER_LIMIT_EXCEEDED",
        "NOT_FOUND",
        "NOT_FOUND",
        "SHOWING_ENDED",
        2,
        2,
        2,
        "ORDER_LIMIT_EXCEEDED",
      ]);
      const carts = await Promise.all(students.map((s) => f.cartIds(s)));
      expect(carts.map((c) => c.length)).toEqual([2, 2, 0, 0, 0, 0, 2, 2, 2]);
      // 11 tickets for 10 wanted, handed out in turn within a batch and tickets in nobody's cart first: no two carts
      // aim at the same ticket. (On PostgreSQL a batch may run beside another, say another server process's, and
      // not see its carts, so carts of different batches may share a ticket, as a soft reservation allows.)
      if (backend.kind === "pglite") expect(new Set(carts.flat()).size).toBe(10);
      // One ticket is in nobody's cart; two asking together both get one, the second a ticket already in someone's
      // cart (a cart is a soft reservation: checkout decides who buys it).
      const late = await Promise.all([f.student(), f.student()]);
      const lateAnswers = await Promise.all(late.map((s) => settle(f.call(s).cart.add({ showingId: showing.id, quantities: [{ type: "general", count: 1 }] }))));
      expect(lateAnswers.map((a) => (a.ok ? a.value.count : a.code)).sort()).toEqual([1, 1]);
      const lateCarts = await Promise.all(late.map((s) => f.cartIds(s)));
      expect(lateCarts.flat()).toHaveLength(2);
    });

    it("checkouts: one ticket in two carts is sold once; empty and stale carts are refused; the rest are sold", async () => {
      const { showing } = await f.newShowing();
      await f.tickets(showing.id, { type: "free", count: 1 });
      const [a, b] = [await f.student(), await f.student()];
      // Both carts hold the showing's only ticket: a cart is a soft reservation.
      await f.call(a).cart.add({ showingId: showing.id, quantities: [{ type: "free", count: 1 }] });
      await f.call(b).cart.add({ showingId: showing.id, quantities: [{ type: "free", count: 1 }] });
      expect(await f.cartIds(a)).toEqual(await f.cartIds(b));

      const plenty = await f.newShowing();
      await f.tickets(plenty.showing.id, { type: "free", count: 10 });
      await f.tickets(plenty.showing.id, { type: "paid", count: 2, price: "12.50" });
      const buyers = await Promise.all(Array.from({ length: 4 }, () => f.student()));
      for (const buyer of buyers) await f.call(buyer).cart.add({ showingId: plenty.showing.id, quantities: [{ type: "free", count: 2 }] });
      const payer = await f.student();
      await f.call(payer).cart.add({ showingId: plenty.showing.id, quantities: [{ type: "paid", count: 2 }] });
      const empty = await f.student();

      const first = await f.student();
      await f.call(first).cart.add({ showingId: plenty.showing.id, quantities: [{ type: "free", count: 1 }] });
      const answers = await Promise.all([first, a, b, ...buyers, payer, empty].map((s) => settle(f.call(s).checkout.start())));
      const [firstAnswer, aAnswer, bAnswer, ...rest] = answers;
      expect(firstAnswer).toMatchObject({ ok: true, value: { sold_free_tickets: true } });
      expect([aAnswer, bAnswer].map((x) => (x!.ok ? "sold" : x!.code)).sort()).toEqual(["CART_STALE", "sold"]);
      expect(rest.slice(0, 4).every((x) => x.ok && x.value.sold_free_tickets)).toBe(true);
      expect(rest[4]).toMatchObject({ ok: true, value: { sold_free_tickets: false, total: "25.00" } });
      expect(rest[5]).toMatchObject({ ok: false, status: 400, code: "CART_EMPTY" });

      const shared = await f.prisma.ticket.findMany({ where: { showingId: showing.id } });
      expect(shared).toHaveLength(1);
      expect([a.id, b.id]).toContain(shared[0]!.ownerId);
      for (const buyer of buyers) {
        expect(await f.prisma.ticket.count({ where: { ownerId: buyer.id } })).toBe(2);
        expect(await f.cartIds(buyer)).toEqual([]);
        // One order each, and one receipt for it.
        expect(await f.prisma.order.count({ where: { userId: buyer.id } })).toBe(1);
        expect(await f.prisma.outgoingEmail.count({ where: { toAddress: buyer.email } })).toBe(1);
      }
      expect(await f.prisma.ticket.count({ where: { holderId: payer.id } })).toBe(2);
      expect(await f.prisma.payment.count({ where: { userId: payer.id, status: "PENDING" } })).toBe(1);
      // The one who lost the shared ticket sees it sold out and may buy nothing else.
      const loser = shared[0]!.ownerId === a.id ? b : a;
      expect((await f.call(loser).cart.get()).sold_out).toMatchObject([{ type: "free", count: 1 }]);
    });

    /**
     * Calls made together after one call of the same kind (an add, or a checkout) on another showing, which starts
     * alone and makes the rest wait and go as one batch.
     */
    async function together<T>(kind: "add" | "checkout", calls: Array<() => Promise<T>>) {
      const elsewhere = await f.newShowing();
      await f.tickets(elsewhere.showing.id, { type: "general", count: 1 });
      const first = await f.student();
      const addElsewhere = () => f.call(first).cart.add({ showingId: elsewhere.showing.id, quantities: [{ type: "general", count: 1 }] });
      if (kind === "checkout") await addElsewhere();
      const starter: Promise<unknown> = kind === "add" ? addElsewhere() : f.call(first).checkout.start();
      const [, ...answers] = await Promise.all([settle(starter), ...calls.map((call) => settle(call()))]);
      return answers as Array<Awaited<ReturnType<typeof settle<T>>>>;
    }
    const counts = (answers: Array<{ ok: boolean; value?: { count: number }; code?: string }>) =>
      answers.map((a) => (a.ok ? a.value!.count : a.code));

    it("adds: a request refused for a shortage takes nothing from the requests after it", async () => {
      const { showing } = await f.newShowing({ orderLimit: 10 });
      await f.tickets(showing.id, { type: "general", count: 2 });
      await f.tickets(showing.id, { type: "vip", count: 1 });
      const [x, y, z] = [await f.student(), await f.student(), await f.student()];
      const add = (user: typeof x, quantities: Array<{ type: string; count: number }>) => () =>
        f.call(user).cart.add({ showingId: showing.id, quantities });
      expect(
        counts(
          await together("add", [
            add(x, [{ type: "general", count: 3 }]),
            add(y, [{ type: "general", count: 2 }, { type: "vip", count: 2 }]),
            add(z, [{ type: "general", count: 2 }]),
          ]),
        ),
      ).toEqual(["NOT_ENOUGH_TICKETS", "NOT_ENOUGH_TICKETS", 2]);
      expect([(await f.cartIds(x)).length, (await f.cartIds(y)).length, (await f.cartIds(z)).length]).toEqual([0, 0, 2]);
    });

    it("adds: a ticket in a batch-mate's cart can still go into another cart, as it could one at a time", async () => {
      const { showing } = await f.newShowing({ orderLimit: 10 });
      await f.tickets(showing.id, { type: "general", count: 1 });
      const [x, y] = [await f.student(), await f.student()];
      await f.call(x).cart.add({ showingId: showing.id, quantities: [{ type: "general", count: 1 }] });
      const add = (user: typeof x) => () => f.call(user).cart.add({ showingId: showing.id, quantities: [{ type: "general", count: 1 }] });
      expect(counts(await together("add", [add(x), add(y)]))).toEqual(["NOT_ENOUGH_TICKETS", 1]);
      expect(await f.cartIds(y)).toEqual(await f.cartIds(x));
    });

    it("checkouts: a refused checkout does not keep a ticket it shares with a batch-mate", async () => {
      const { showing } = await f.newShowing();
      await f.tickets(showing.id, { type: "free", count: 2 });
      const [x, y, someone] = [await f.student(), await f.student(), await f.student()];
      const sharedOnly = async () => {
        await f.call(x).cart.add({ showingId: showing.id, quantities: [{ type: "free", count: 1 }] });
        await f.call(y).cart.add({ showingId: showing.id, quantities: [{ type: "free", count: 1 }] });
      };
      // x's cart: the shared ticket and one sold meanwhile (x is stale); y's cart: the shared ticket alone.
      await f.call(x).cart.add({ showingId: showing.id, quantities: [{ type: "free", count: 1 }] });
      const [sold] = await f.cartIds(x);
      await f.prisma.ticket.update({ where: { id: sold! }, data: { ownerId: someone.id } });
      await sharedOnly();
      const [shared] = await f.cartIds(y);
      expect(await f.cartIds(x)).toContain(shared);
      const answers = await together("checkout", [() => f.call(x).checkout.start(), () => f.call(y).checkout.start()]);
      expect(answers.map((a) => (a.ok ? "sold" : a.code))).toEqual(["CART_STALE", "sold"]);
      expect((await f.prisma.ticket.findUniqueOrThrow({ where: { id: shared! } })).ownerId).toBe(y.id);
    });

    it("a batch that fails as a whole is run again one request at a time, so only the failing request fails", async () => {
      // A server without a payment page refuses paid checkouts; in a batch, that refusal comes after the batch
      // has written, so it fails the whole batch, and every checkout in it is then answered on its own.
      const withoutPayments = createServices({ prisma: f.prisma, clock: f.clock }, { publicUrl: PUBLIC_URL });
      const call = (user: Awaited<ReturnType<CartFixture["student"]>>) => callerFor(withoutPayments, user);
      const { showing } = await f.newShowing();
      await f.tickets(showing.id, { type: "free", count: 8 });
      await f.tickets(showing.id, { type: "paid", count: 2, price: "5.00" });
      const students = await Promise.all(Array.from({ length: 5 }, () => f.student()));
      for (const [i, s] of students.entries()) {
        await call(s).cart.add({ showingId: showing.id, quantities: [{ type: i === 2 ? "paid" : "free", count: 2 }] });
      }
      const before = transactions;
      const answers = await Promise.all(students.map((s) => settle(call(s).checkout.start())));
      expect(answers.map((x) => (x.ok ? x.value.sold_free_tickets : x.code))).toEqual([true, true, "UNAVAILABLE", true, true]);
      expect(answers[2]).toMatchObject({ status: 503, message: "Card payments are not set up on this server yet. Please try again later." });
      // The first alone, the batch of the other four (rolled back), then each of those four in its own.
      expect(transactions - before).toBe(6);
      expect(await f.prisma.ticket.count({ where: { showingId: showing.id, ownerId: { not: null } } })).toBe(8);
      expect(await f.prisma.ticket.count({ where: { showingId: showing.id, holderId: { not: null } } })).toBe(0);
      expect(await f.prisma.payment.count({ where: { userId: students[2]!.id } })).toBe(0);
    });

    it("views: each cart is repaired and priced on its own", async () => {
      const { showing } = await f.newShowing();
      await f.tickets(showing.id, { type: "free", count: 3 });
      await f.tickets(showing.id, { type: "paid", count: 4, price: "10.00" });
      const students = await Promise.all(Array.from({ length: 4 }, () => f.student()));
      await f.call(students[0]!).cart.add({ showingId: showing.id, quantities: [{ type: "free", count: 3 }] });
      await f.call(students[1]!).cart.add({ showingId: showing.id, quantities: [{ type: "free", count: 2 }] });
      await f.call(students[2]!).cart.add({ showingId: showing.id, quantities: [{ type: "paid", count: 3 }] });
      // Student 0 buys all 3 free tickets: student 1's two are stale, and none is left to swap in.
      await f.call(students[0]!).checkout.start();
      const views = await Promise.all(students.map((s) => f.call(s).cart.get()));
      expect(views.map((v) => [v.tickets.length, v.total, v.sold_out.map((s) => s.count)])).toEqual([
        [0, "0.00", []],
        [0, "0.00", [2]],
        [3, "30.00", []],
        [0, "0.00", []],
      ]);
    });
  });
}
