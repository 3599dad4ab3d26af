import { Prisma } from "@admit/db";
import { createClub, createEvent, createShowing, createTickets } from "@admit/db/factories";
import { testBackends } from "@admit/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./harness.ts";
import { actorOf, clubWorld, orderState, refundKey, soldOrder } from "./refund-fixtures.ts";

const money = (value: string) => new Prisma.Decimal(value);

for (const backend of testBackends()) {
  describe(`officer refunds without REST keys: manual tasks (${backend.kind})`, () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer(backend);
    });
    afterAll(async () => server?.close());

    const refunds = () => server.runtime.services.refunds;

    it("refuses more than was paid, then refunds part and later the rest, and never a third time", async () => {
      const world = await clubWorld(server, { price: "15.00" });
      const order = await soldOrder(server, [{ showingId: world.showingId, count: 2 }]);
      const [first] = order.ticketIds;
      const before = await orderState(server, order.orderId);

      const tooMuch = refunds().refundOrder(world.officer.actor, {
        orderId: order.orderId,
        ticketIds: [first!],
        amount: money("15.01"),
        reason: "Too much",
        returnToSale: true,
        idempotencyKey: refundKey(),
      });
      await expect(tooMuch).rejects.toMatchObject({ code: "REFUND_TOO_LARGE" });
      expect(await orderState(server, order.orderId)).toEqual(before);

      const part = await refunds().refundOrder(world.officer.actor, {
        orderId: order.orderId,
        ticketIds: [first!],
        amount: money("5.00"),
        reason: "Seat had a poor view",
        returnToSale: true,
        idempotencyKey: refundKey(),
      });
      expect(part.refund).toMatchObject({ status: "MANUAL", state: "manual" });
      expect(part.refund?.amount.toFixed(2)).toBe("5.00");
      expect(part.voidedTicketIds).toEqual([first]);

      // The rest of the same ticket: 10.00 is left, 10.01 is not.
      await expect(
        refunds().refundOrder(world.officer.actor, {
          orderId: order.orderId,
          ticketIds: [first!],
          amount: money("10.01"),
          reason: "The rest",
          returnToSale: true,
          idempotencyKey: refundKey(),
        }),
      ).rejects.toMatchObject({ code: "REFUND_TOO_LARGE" });
      const rest = await refunds().refundOrder(world.officer.actor, {
        orderId: order.orderId,
        ticketIds: [first!],
        reason: "The rest",
        returnToSale: true,
        idempotencyKey: refundKey(),
      });
      expect(rest.refund?.amount.toFixed(2)).toBe("10.00");
      expect(rest.voidedTicketIds).toEqual([]);

      await expect(
        refunds().refundOrder(world.officer.actor, {
          orderId: order.orderId,
          ticketIds: [first!],
          reason: "Again",
          returnToSale: true,
          idempotencyKey: refundKey(),
        }),
      ).rejects.toMatchObject({ code: "ALREADY_REFUNDED" });

      const after = await orderState(server, order.orderId);
      expect(after.orderTickets.map((t) => [t.refundedAmount.toFixed(2), t.voidReason])).toEqual(
        order.ticketIds.map((id) => (id === first ? ["15.00", "refunded"] : ["0.00", null])),
      );
      expect(after.refunds.map((r) => r.amount.toFixed(2)).sort()).toEqual(["10.00", "5.00"]);
    });

    it("the same idempotency key returns the same refund and changes nothing", async () => {
      const world = await clubWorld(server);
      const order = await soldOrder(server, [{ showingId: world.showingId, count: 2 }]);
      const key = refundKey();
      const input = { orderId: order.orderId, reason: "Event moved", returnToSale: false, idempotencyKey: key };
      const first = await refunds().refundOrder(world.officer.actor, input);
      expect(first.replayed).toBe(false);
      expect(first.voidedTicketIds).toEqual(order.ticketIds);
      const state = await orderState(server, order.orderId);
      const mails = await server.db.prisma.outgoingEmail.count();

      const again = await refunds().refundOrder(world.officer.actor, input);
      expect(again.replayed).toBe(true);
      expect(again.refund?.id).toBe(first.refund?.id);
      expect(again.refund?.amount.toFixed(2)).toBe("30.00");
      expect(await orderState(server, order.orderId)).toEqual(state);
      expect(await server.db.prisma.outgoingEmail.count()).toBe(mails);
    });

    it("refuses a ticket already used at the door, and another club's tickets", async () => {
      const world = await clubWorld(server);
      const otherOfficer = await server.createAccount();
      const otherClub = await createClub(server.db.prisma, { officers: [otherOfficer.id] });
      const otherEvent = await createEvent(server.db.prisma, otherClub.id);
      const otherShowing = await createShowing(server.db.prisma, otherEvent.id);
      await createTickets(server.db.prisma, otherShowing.id, { type: "General", count: 2, price: "8.00" });
      const order = await soldOrder(server, [
        { showingId: world.showingId, count: 2 },
        { showingId: otherShowing.id, count: 1 },
      ]);
      const ours = await server.db.prisma.ticket.findMany({ where: { id: { in: order.ticketIds }, showingId: world.showingId }, orderBy: { id: "asc" } });
      const theirs = order.ticketIds.find((id) => !ours.some((t) => t.id === id))!;
      await server.db.prisma.ticket.update({ where: { id: ours[0]!.id }, data: { attended: true, attendedAt: server.clock.now() } });
      const before = await orderState(server, order.orderId);

      await expect(
        refunds().refundOrder(world.officer.actor, { orderId: order.orderId, reason: "x", returnToSale: true, idempotencyKey: refundKey() }),
      ).rejects.toMatchObject({ code: "TICKET_CHECKED_IN" });
      await expect(
        refunds().refundOrder(world.officer.actor, {
          orderId: order.orderId,
          clubId: world.clubId,
          ticketIds: [ours[1]!.id, theirs],
          reason: "x",
          returnToSale: true,
          idempotencyKey: refundKey(),
        }),
      ).rejects.toMatchObject({ code: "FORBIDDEN" });
      // A student (the buyer) manages no club: the order is not found for them.
      await expect(
        refunds().refundOrder(await actorOf(server, order.buyer.id), { orderId: order.orderId, reason: "x", returnToSale: true, idempotencyKey: refundKey() }),
      ).rejects.toMatchObject({ code: "NOT_FOUND" });
      expect(await orderState(server, order.orderId)).toEqual(before);

      // "All" for the other club's officer is only that club's ticket.
      const theirsRefund = await refunds().refundOrder(await actorOf(server, otherOfficer.id), {
        orderId: order.orderId,
        reason: "Their event",
        returnToSale: true,
        idempotencyKey: refundKey(),
      });
      expect(theirsRefund.voidedTicketIds).toEqual([theirs]);
      expect(theirsRefund.refund?.amount.toFixed(2)).toBe("8.00");
      expect(theirsRefund.refund?.clubId).toBe(otherClub.id);
    });

    it("voids tickets: back on sale or out of circulation, old QR generation, buyer and holder told the truth", async () => {
      const world = await clubWorld(server, { price: "12.00" });
      const order = await soldOrder(server, [{ showingId: world.showingId, count: 2 }]);
      const [kept, gone] = order.ticketIds;
      const holder = await server.createAccount({ fullName: "Hal Holder" });
      await server.db.prisma.ticket.update({ where: { id: gone! }, data: { ownerId: holder.id } });

      await refunds().refundOrder(world.officer.actor, {
        orderId: order.orderId,
        ticketIds: [kept!],
        reason: "Wrong date",
        returnToSale: true,
        idempotencyKey: refundKey(),
      });
      const result = await refunds().refundOrder(world.officer.actor, {
        orderId: order.orderId,
        ticketIds: [gone!],
        reason: "Seat removed",
        returnToSale: false,
        idempotencyKey: refundKey(),
      });
      const state = await orderState(server, order.orderId);
      expect(state.tickets.map((t) => ({ owner: t.ownerId, payment: t.paymentId, paid: t.amountPaid, generation: t.qrGeneration }))).toEqual([
        { owner: null, payment: null, paid: null, generation: 1 },
        { owner: null, payment: null, paid: null, generation: 1 },
      ]);
      expect(state.tickets.find((t) => t.id === kept)?.voidedAt).toBeNull();
      expect(state.tickets.find((t) => t.id === gone)?.voidedAt).toEqual(server.clock.now());

      // The seat that went back on sale can be bought again; the other cannot.
      const catalog = await server.db.prisma.ticket.count({ where: { id: { in: [kept!, gone!] }, voidedAt: null, ownerId: null } });
      expect(catalog).toBe(1);

      const mails = await server.db.prisma.outgoingEmail.findMany({ where: { dedupeKey: { contains: result.refund!.id } } });
      const buyerMail = mails.find((m) => m.toAddress === order.buyer.email);
      expect(buyerMail?.text).toContain("$12.00");
      expect(buyerMail?.text).toContain("by hand");
      expect(buyerMail?.text).toContain("another e-mail when it is done");
      expect(buyerMail?.text).not.toContain("automatically");
      const holderMail = mails.find((m) => m.toAddress === `${holder.username}@example.edu`);
      expect(holderMail?.text).toContain("no longer valid");
    });

    it("a manual refund is a task on the dashboard until an officer marks it done", async () => {
      const world = await clubWorld(server, { price: "20.00" });
      const order = await soldOrder(server, [{ showingId: world.showingId, count: 1 }]);
      const { refund } = await refunds().refundOrder(world.officer.actor, {
        orderId: order.orderId,
        reason: "Club cancelled the seat",
        returnToSale: true,
        idempotencyKey: refundKey(),
      });
      const attention = await refunds().attention(world.officer.actor, world.clubId);
      expect(attention.mode).toBe("manual");
      const task = attention.tasks.find((t) => t.id === refund?.id);
      expect(task?.instruction).toContain("Refund $20.00 to Bea Buyer");
      expect(task?.instruction).toContain(`transaction ${order.transactionId}`);
      expect(task?.instruction).toContain(`reference ${order.reference}`);

      const student = await actorOf(server, order.buyer.id);
      await expect(refunds().markDone(student, refund!.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
      await expect(refunds().attention(student, world.clubId)).rejects.toMatchObject({ code: "NOT_FOUND" });

      const done = await refunds().markDone(world.officer.actor, refund!.id);
      expect(done).toMatchObject({ status: "SUCCEEDED", state: "refunded", completedBy: "Olive Officer" });
      expect(done.completedAt).toEqual(server.clock.now());
      const again = await refunds().markDone(world.officer.actor, refund!.id);
      expect(again.completedAt).toEqual(done.completedAt);
      expect((await refunds().attention(world.officer.actor, world.clubId)).tasks.map((t) => t.id)).not.toContain(refund?.id);
      const doneMail = await server.db.prisma.outgoingEmail.findMany({ where: { dedupeKey: `refund-done:${refund!.id}` } });
      expect(doneMail).toHaveLength(1);
      expect(doneMail[0]?.text).toContain("has been sent");
    });

    it("a free order's tickets are voided with no refund row", async () => {
      const world = await clubWorld(server, { price: "0" });
      const order = await soldOrder(server, [{ showingId: world.showingId, count: 2 }]);
      const result = await refunds().refundOrder(world.officer.actor, {
        orderId: order.orderId,
        reason: "Room changed",
        returnToSale: true,
        idempotencyKey: refundKey(),
      });
      expect(result.refund).toBeNull();
      expect(result.voidedTicketIds).toEqual(order.ticketIds);
      const state = await orderState(server, order.orderId);
      expect(state.refunds).toHaveLength(0);
      expect(state.orderTickets.every((t) => t.voidedAt !== null)).toBe(true);
      await expect(
        refunds().refundOrder(world.officer.actor, { orderId: order.orderId, reason: "again", returnToSale: true, idempotencyKey: refundKey() }),
      ).rejects.toMatchObject({ code: "ALREADY_REFUNDED" });
    });
  });
}
