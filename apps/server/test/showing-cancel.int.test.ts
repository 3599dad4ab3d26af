import { createTickets } from "@admit/db/factories";
import { racesRunOn, testBackends } from "@admit/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addPath, api, quickStudents } from "./cart-helpers.ts";
import { closeServers, startTestServer, startTwoServers, trpc, type TestServer } from "./harness.ts";
import { clubWorld, soldOrder, type ClubWorld, type SoldOrder } from "./refund-fixtures.ts";

const cancelPath = (showingId: number) => `/api/showings/${showingId}/cancel/`;

/** Every refund of the showing's orders, and for each ticket what was refunded for it in all. */
async function refundFacts(server: TestServer, showingId: number) {
  const prisma = server.db.prisma;
  const refunds = await prisma.refund.findMany({
    where: { tickets: { some: { ticket: { showingId } } } },
    select: { orderId: true, amount: true, idempotencyKey: true },
  });
  const perTicket = await prisma.$queryRaw<Array<{ ticketId: string; refunded: string; paid: string }>>`
    SELECT rt."ticketId"::text AS "ticketId", sum(rt.amount)::text AS refunded, max(ot."amountPaid")::text AS paid
    FROM "RefundTicket" rt JOIN "Refund" r ON r.id = rt."refundId"
    JOIN "OrderTicket" ot ON ot."orderId" = r."orderId" AND ot."ticketId" = rt."ticketId"
    JOIN "Ticket" t ON t.id = rt."ticketId"
    WHERE t."showingId" = ${showingId}
    GROUP BY rt."ticketId"`;
  return { refunds, perTicket };
}

async function showingOf(server: TestServer, showingId: number) {
  return server.db.prisma.showing.findUniqueOrThrow({ where: { id: showingId } });
}

for (const backend of testBackends()) {
  describe(`officers cancel a showing (${backend.kind})`, () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer(backend);
    });
    afterAll(async () => server?.close());

    it("stops sales, refunds every order, voids free, used and complimentary tickets, e-mails every holder, releases holds", async () => {
      const prisma = server.db.prisma;
      const world = await clubWorld(server, { count: 8, price: "15.00" });
      const paid = await soldOrder(server, [{ showingId: world.showingId, count: 2 }]);
      const single = await soldOrder(server, [{ showingId: world.showingId, count: 1 }]);
      await createTickets(prisma, world.showingId, { type: "Free", count: 4, price: "0.00" });
      const free = await soldOrder(server, [{ showingId: world.showingId, count: 0 }]);
      const freeTicket = await prisma.ticket.findFirstOrThrow({ where: { showingId: world.showingId, type: "Free", ownerId: null } });
      await prisma.ticket.update({ where: { id: freeTicket.id }, data: { ownerId: free.buyer.id, amountPaid: "0" } });
      await prisma.orderTicket.create({ data: { orderId: free.orderId, ticketId: freeTicket.id, amountPaid: "0" } });
      // One of the paid tickets was used at the door, one was given to a friend.
      await prisma.ticket.update({ where: { id: paid.ticketIds[0]! }, data: { attended: true, attendedAt: server.clock.now() } });
      const friend = await server.createAccount();
      const buyerToken = await server.tokenFor(paid.buyer.username);
      expect((await api(server, "POST", `/api/tickets/${paid.ticketIds[1]!}/transfer/`, { token: buyerToken, body: { username: friend.username } })).status).toBe(200);
      // A complimentary ticket, and a student in the middle of paying.
      const guest = await server.createAccount();
      expect(
        (await trpc(server, "showing.issueTickets", {
          token: world.officer.token,
          mutation: true,
          input: { showingId: world.showingId, tickets: [{ username: guest.username, type: "Free", count: 1 }] },
        })).status,
      ).toBe(200);
      const [payer] = await quickStudents(server, 1);
      const showing = await showingOf(server, world.showingId);
      expect((await api(server, "POST", addPath(showing.eventId, world.showingId), { token: payer!.token, body: { quantities: [{ type: "General", count: 1 }] } })).status).toBe(200);
      expect((await api(server, "POST", "/api/tickets/initiate_checkout/", { token: payer!.token, body: {} })).status).toBe(200);
      const generations = new Map((await prisma.ticket.findMany({ where: { showingId: world.showingId } })).map((t) => [t.id, t.qrGeneration]));

      const res = await api(server, "POST", cancelPath(world.showingId), { token: world.officer.token, body: { reason: "The hall flooded" } });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ showingId: world.showingId, reason: "The hall flooded", ordersRefunded: 3, refunds: 2, complimentaryVoided: 1 });

      expect(await showingOf(server, world.showingId)).toMatchObject({ cancelReason: "The hall flooded", cancelledAt: expect.any(Date) });
      const tickets = await prisma.ticket.findMany({ where: { showingId: world.showingId } });
      expect(tickets.every((t) => t.ownerId === null && t.voidedAt !== null && t.holderId === null)).toBe(true);
      for (const t of tickets) if (generations.get(t.id) !== undefined && [...paid.ticketIds, ...single.ticketIds, freeTicket.id].includes(t.id)) {
        expect(t.qrGeneration).toBe(generations.get(t.id)! + 1);
      }
      const orderTickets = await prisma.orderTicket.findMany({ where: { ticket: { showingId: world.showingId } } });
      expect(orderTickets).toHaveLength(4);
      expect(orderTickets.every((ot) => ot.voidReason === "cancelled" && ot.refundedAmount.equals(ot.amountPaid))).toBe(true);
      const { refunds } = await refundFacts(server, world.showingId);
      expect(refunds.map((r) => [r.orderId, r.amount.toFixed(2), r.idempotencyKey]).sort()).toEqual(
        [
          [paid.orderId, "30.00", `cancel:${world.showingId}:${paid.orderId}`],
          [single.orderId, "15.00", `cancel:${world.showingId}:${single.orderId}`],
        ].sort(),
      );
      expect(await prisma.payment.findFirst({ where: { userId: payer!.id } })).toMatchObject({ status: "SUPERSEDED" });
      expect(await prisma.cartTicket.count({ where: { ticket: { showingId: world.showingId } } })).toBe(0);

      const mailTo = async (address: string) => prisma.outgoingEmail.findMany({ where: { toAddress: address }, select: { subject: true, text: true, dedupeKey: true } });
      for (const buyer of [paid.buyer, single.buyer, free.buyer]) {
        const mails = (await mailTo(buyer.email)).filter((m) => m.dedupeKey?.startsWith("refund-requested:"));
        expect(mails, buyer.username).toHaveLength(1);
        expect(mails[0]!.text).toContain("The hall flooded");
      }
      expect((await mailTo(`${friend.username}@example.edu`)).filter((m) => m.dedupeKey?.startsWith("refund-holder:"))).toHaveLength(1);
      const guestMail = (await mailTo(`${guest.username}@example.edu`)).filter((m) => m.dedupeKey?.startsWith("showing-cancelled:"));
      expect(guestMail).toHaveLength(1);
      expect(guestMail[0]!.text).toContain("The hall flooded");

      // The storefront sees it cancelled; asking again finishes nothing new and refunds nothing twice.
      const event = (await trpc(server, "event.get", { input: { eventId: showing.eventId } })).data as { showings: Array<{ saleStatus: string }> };
      expect(event.showings[0]!.saleStatus).toBe("CANCELLED");
      const again = await trpc(server, "showing.cancel", { token: world.officer.token, mutation: true, input: { showingId: world.showingId, reason: "Other words" } });
      expect(again.data).toMatchObject({ reason: "The hall flooded", ordersRefunded: 0, refunds: 0, complimentaryVoided: 0 });
      expect((await refundFacts(server, world.showingId)).refunds).toHaveLength(2);
    });

    it("a cancellation that fails part-way finishes on the next call without refunding anyone twice", async () => {
      const prisma = server.db.prisma;
      const world = await clubWorld(server, { count: 12, price: "9.50" });
      const orders: SoldOrder[] = [];
      for (let i = 0; i < 11; i++) orders.push(await soldOrder(server, [{ showingId: world.showingId, count: 1 }]));
      // Orders are refunded ten to a transaction in id order: make the last one fail, as a crash there would.
      const last = orders.map((o) => o.orderId).sort().at(-1)!;
      await prisma.$executeRawUnsafe(`
        CREATE OR REPLACE FUNCTION test_refuse_refund() RETURNS trigger AS $$
        BEGIN
          IF NEW."orderId" = '${last}'::uuid THEN RAISE EXCEPTION 'the payment processor connection dropped'; END IF;
          RETURN NEW;
        END $$ LANGUAGE plpgsql`);
      await prisma.$executeRawUnsafe(`CREATE TRIGGER test_refuse_refund BEFORE INSERT ON "Refund" FOR EACH ROW EXECUTE FUNCTION test_refuse_refund()`);
      try {
        const failed = await api(server, "POST", cancelPath(world.showingId), { token: world.officer.token, body: { reason: "Band stuck abroad" } });
        expect(failed.status).toBe(500);
      } finally {
        await prisma.$executeRawUnsafe(`DROP TRIGGER test_refuse_refund ON "Refund"`);
        await prisma.$executeRawUnsafe(`DROP FUNCTION test_refuse_refund()`);
      }
      expect((await showingOf(server, world.showingId)).cancelledAt).not.toBeNull();
      expect((await refundFacts(server, world.showingId)).refunds).toHaveLength(10);
      expect(await prisma.ticket.count({ where: { showingId: world.showingId, ownerId: { not: null } } })).toBe(1);

      const resumed = await api(server, "POST", cancelPath(world.showingId), { token: world.officer.token, body: { reason: "Band stuck abroad" } });
      expect(resumed).toMatchObject({ status: 200, body: { ordersRefunded: 1, refunds: 1 } });
      const { refunds, perTicket } = await refundFacts(server, world.showingId);
      expect(refunds).toHaveLength(11);
      expect(new Set(refunds.map((r) => r.orderId)).size).toBe(11);
      expect(perTicket.every((t) => t.refunded === t.paid && t.paid === "9.50")).toBe(true);
      expect(await prisma.ticket.count({ where: { showingId: world.showingId, ownerId: { not: null } } })).toBe(0);
    });

    it("only the club's officers cancel; a short reason is a 400; nothing changes", async () => {
      const world = await clubWorld(server, { count: 2 });
      const order = await soldOrder(server, [{ showingId: world.showingId, count: 1 }]);
      const buyerToken = await server.tokenFor(order.buyer.username);
      expect(await api(server, "POST", cancelPath(world.showingId), { token: buyerToken, body: { reason: "I cannot come" } })).toMatchObject({
        status: 404,
      });
      expect(await api(server, "POST", cancelPath(world.showingId), { token: world.officer.token, body: { reason: "" } })).toMatchObject({
        status: 400,
      });
      expect(await api(server, "POST", cancelPath(world.showingId), { token: world.officer.token, body: {} })).toMatchObject({ status: 400 });
      expect(await api(server, "POST", cancelPath(world.showingId), { body: { reason: "No token here" } })).toMatchObject({ status: 401 });
      expect((await showingOf(server, world.showingId)).cancelledAt).toBeNull();
      expect(await server.db.prisma.refund.count({ where: { orderId: order.orderId } })).toBe(0);
    });
  });
}

const postgres = testBackends().find(racesRunOn);
describe.skipIf(!postgres)("race on PostgreSQL: a cancellation and students' returns on two server processes", () => {
  let first: TestServer;
  let second: TestServer;
  beforeAll(async () => {
    if (!postgres) return;
    [first, second] = await startTwoServers(postgres);
  });
  afterAll(() => closeServers(first, second));

  it("every ticket is refunded exactly once, by the return or by the cancellation, never both", async () => {
    const world: ClubWorld = await clubWorld(first, { count: 40, price: "12.00" });
    await trpc(first, "showing.updateType", {
      token: world.officer.token,
      mutation: true,
      input: { showingId: world.showingId, type: "General", returnHoursBefore: 1 },
    });
    const orders: Array<SoldOrder & { token: string }> = [];
    for (let i = 0; i < 20; i++) {
      const order = await soldOrder(first, [{ showingId: world.showingId, count: 2 }]);
      orders.push({ ...order, token: await first.tokenFor(order.buyer.username) });
    }
    // Returns stay open a moment after voiding and refunding (a slow card processor would do the same), so the
    // cancellation reaches their orders while they are still in flight.
    await first.db.prisma.$executeRawUnsafe(`
      CREATE OR REPLACE FUNCTION test_slow_return() RETURNS trigger AS $$
      BEGIN
        IF NEW.reason = 'Returned by the buyer.' THEN PERFORM pg_sleep(2); END IF;
        RETURN NEW;
      END $$ LANGUAGE plpgsql`);
    await first.db.prisma.$executeRawUnsafe(`CREATE TRIGGER test_slow_return AFTER INSERT ON "Refund" FOR EACH ROW EXECUTE FUNCTION test_slow_return()`);
    let cancelled: Awaited<ReturnType<typeof api>>;
    let returned: Array<Awaited<ReturnType<typeof api>>>;
    try {
      const returns = orders.flatMap((o) =>
        o.ticketIds.map((id) => api(second, "POST", `/api/tickets/${id}/return/`, { token: o.token, body: {} })),
      );
      // The cancellation starts once some returns are inside their transactions (past their checks, refund written).
      const inFlight = async () =>
        Number((await first.db.prisma.$queryRaw<Array<{ n: number }>>`
          SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event = 'PgSleep' AND datname = current_database()`)[0]!.n);
      for (let waited = 0; (await inFlight()) < 3 && waited < 30_000; waited += 20) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const cancel = api(first, "POST", cancelPath(world.showingId), { token: world.officer.token, body: { reason: "Power cut" } });
      [cancelled, ...returned] = await Promise.all([cancel, ...returns]);
    } finally {
      await first.db.prisma.$executeRawUnsafe(`DROP TRIGGER test_slow_return ON "Refund"`);
      await first.db.prisma.$executeRawUnsafe(`DROP FUNCTION test_slow_return()`);
    }
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    // Both sides won some: the race really happened.
    expect(returned.filter((r) => r.status === 200).length, JSON.stringify(returned.map((r) => r.body.error?.code ?? r.status))).toBeGreaterThan(0);
    expect(returned.filter((r) => r.status === 409).length).toBeGreaterThan(0);
    for (const r of returned) {
      expect([200, 409], JSON.stringify(r.body)).toContain(r.status);
      if (r.status === 409) expect(["SHOWING_CANCELLED", "ALREADY_REFUNDED"]).toContain(r.body.error.code);
    }
    const { perTicket } = await refundFacts(first, world.showingId);
    expect(perTicket).toHaveLength(40);
    expect(perTicket.filter((t) => t.refunded !== "12.00")).toEqual([]);
    const refundTickets = await first.db.prisma.refundTicket.groupBy({
      by: ["ticketId"],
      where: { ticket: { showingId: world.showingId } },
      _count: { _all: true },
    });
    expect(refundTickets.filter((t) => t._count._all !== 1)).toEqual([]);
    expect(await first.db.prisma.ticket.count({ where: { showingId: world.showingId, voidedAt: null } })).toBe(0);
  }, 240_000);
});
