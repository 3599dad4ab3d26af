import { testBackends } from "@admit/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { failure, HOUR, MINUTE, openCartFixture, PAYMENT_PAGE, PUBLIC_URL, type CartFixture } from "./cart-fixture.ts";

for (const backend of testBackends()) {
  describe(`checkout and holds (${backend.kind})`, () => {
    let f: CartFixture;
    beforeAll(async () => {
      f = await openCartFixture(backend);
    });
    afterAll(async () => f?.close());

    async function cartWith(quantities: Array<{ type: string; count: number; price: string; groupDiscount?: string; groupSize?: number }>) {
      const { event, showing } = await f.newShowing();
      for (const q of quantities) {
        await f.tickets(showing.id, { type: q.type, count: q.count + 5, price: q.price, groupDiscount: q.groupDiscount ?? 0, groupSize: q.groupSize ?? null });
      }
      const student = await f.student();
      await f.call(student).cart.add({ showingId: showing.id, quantities: quantities.map((q) => ({ type: q.type, count: q.count })) });
      return { event, showing, student, cart: await f.cartIds(student) };
    }

    const heldBy = (userId: string) =>
      f.prisma.ticket.findMany({ where: { holderId: userId }, orderBy: { id: "asc" } });

    it("refuses an empty cart with 400 CART_EMPTY and holds nothing", async () => {
      const student = await f.student();
      expect(await failure(f.call(student).checkout.start())).toMatchObject({ status: 400, code: "CART_EMPTY" });
      await f.call(student).cart.get();
      expect(await failure(f.call(student).checkout.start())).toMatchObject({
        status: 400,
        code: "CART_EMPTY",
        message: "No tickets selected for checkout.",
      });
      expect(await heldBy(student.id)).toEqual([]);
    });

    it("sells a free cart at once: owned, out of the cart, no holds, one order and its receipt with every QR code", async () => {
      const { event, showing } = await f.newShowing();
      await f.tickets(showing.id, { type: "free", count: 6, price: "0" });
      const other = await f.student();
      await f.call(other).cart.add({ showingId: showing.id, quantities: [{ type: "free", count: 5 }] });
      const student = await f.student();
      await f.call(student).cart.add({ showingId: showing.id, quantities: [{ type: "free", count: 3 }] });
      const cart = await f.cartIds(student);
      const otherBefore = await f.cartIds(other);
      const result = await f.call(student).checkout.start();
      expect(result).toMatchObject({ success: true, sold_free_tickets: true, detail: "Free tickets sold.", total: "0.00" });
      expect(result.payment_params).toBeUndefined();
      const owned = await f.prisma.ticket.findMany({ where: { ownerId: student.id } });
      expect(owned.map((t) => t.id).sort()).toEqual([...cart].sort());
      expect(owned.every((t) => t.holderId === null && t.paymentId === null && t.amountPaid?.toFixed(2) === "0.00")).toBe(true);
      expect(await f.cartIds(student)).toEqual([]);
      // In the other student's cart the 2 tickets sold meanwhile are stale; none is left to swap in, so they are
      // reported sold out rather than silently dropped.
      expect(otherBefore.filter((id) => cart.includes(id))).toHaveLength(2);
      const otherCart = await f.call(other).cart.get();
      expect(otherCart.tickets).toHaveLength(3);
      expect(otherCart.sold_out).toEqual([{ type: "free", showing: { id: showing.id }, event: { id: event.id, name: event.name }, count: 2 }]);
      const order = await f.prisma.order.findFirstOrThrow({ where: { userId: student.id }, include: { lines: true, tickets: true } });
      expect(result.order_id).toBe(order.id);
      expect(order.paymentId).toBeNull();
      expect(order.reference).toMatch(/^A[0-9A-HJKMNP-TV-Z]{10}$/);
      expect(order.total.toFixed(2)).toBe("0.00");
      expect(order.lines.map((l) => [l.showingId, l.type, l.count, l.unitPrice.toFixed(2), l.amount.toFixed(2)])).toEqual([
        [showing.id, "free", 3, "0.00", "0.00"],
      ]);
      expect(order.tickets.map((t) => t.ticketId).sort()).toEqual([...cart].sort());
      const mails = await f.prisma.outgoingEmail.findMany({ where: { toAddress: student.email } });
      expect(mails).toHaveLength(1);
      const mail = mails[0]!;
      expect(mail.dedupeKey).toBe(`receipt:${order.id}`);
      expect(mail.subject).toBe(`Your receipt for ${event.name}`);
      expect(mail.text).toContain(`${PUBLIC_URL}/orders/${order.id}`);
      expect(mail.text).toContain("Main Hall");
      expect(mail.text).toContain("3 × free at $0.00 = $0.00");
      expect(mail.text).toContain(`Order reference: ${order.reference}`);
      const attachments = mail.attachments as Array<{ qrTicketId: string }>;
      expect([...attachments].sort((a, b) => a.qrTicketId.localeCompare(b.qrTicketId))).toEqual(
        [...cart].sort().map((id) => ({ filename: `ticket-${id}.png`, qrTicketId: id, cid: `qr-${id}` })),
      );
      for (const id of cart) expect(mail.html).toContain(`cid:qr-${id}`);
      expect(await f.prisma.payment.count({ where: { userId: student.id } })).toBe(0);
    });

    it("starts a paid attempt: a PENDING payment with its items, exactly the cart held for 10 minutes, signed fields", async () => {
      const { student, cart, showing } = await cartWith([
        { type: "normal", count: 2, price: "15.00" },
        { type: "premium", count: 1, price: "30.00" },
      ]);
      const now = f.clock.now();
      const result = await f.call(student).checkout.start();
      expect(result).toMatchObject({
        success: true,
        detail: "Your tickets are held while you pay. Complete the payment before the hold ends.",
        sold_free_tickets: false,
        cybersource_url: PAYMENT_PAGE,
        total: "60.00",
      });
      const payment = await f.prisma.payment.findUniqueOrThrow({
        where: { transactionUuid: result.payment_params!.transaction_uuid! },
        include: { items: { orderBy: { type: "asc" } } },
      });
      expect(payment).toMatchObject({ status: "PENDING", currency: "USD", userId: student.id, buyerName: "Ada Lovelace", buyerEmail: student.email });
      expect(payment.amount.toFixed(2)).toBe("60.00");
      expect(payment.referenceNumber).toMatch(/^[0-9a-f-]{36}$/);
      expect(payment.referenceNumber).not.toBe(payment.transactionUuid);
      expect(payment.holdExpiresAt!.getTime()).toBe(now.getTime() + 10 * MINUTE);
      expect(payment.items.map((i) => ({ showingId: i.showingId, type: i.type, count: i.count, amount: i.amount.toFixed(2) }))).toEqual([
        { showingId: showing.id, type: "normal", count: 2, amount: "30.00" },
        { showingId: showing.id, type: "premium", count: 1, amount: "30.00" },
      ]);
      const held = await heldBy(student.id);
      expect(held.map((t) => t.id)).toEqual([...cart].sort());
      expect(held.every((t) => t.heldForPaymentId === payment.id && t.holdExpiresAt!.getTime() === now.getTime() + 10 * MINUTE && t.ownerId === null)).toBe(true);
      expect(result.hold_expires_at).toBe(new Date(now.getTime() + 10 * MINUTE).toISOString());
      expect(result.payment_params).toMatchObject({
        amount: "60.00",
        currency: "USD",
        reference_number: payment.referenceNumber,
        override_custom_receipt_page: `${PUBLIC_URL}/api/tickets/payment_complete/`,
        bill_to_forename: "Ada",
        bill_to_surname: "Lovelace",
      });
      expect((await f.call(student).cart.get()).hold_expires_at).toBe(result.hold_expires_at);
    });

    it("sends a cart of free and paid tickets through payment as a whole, holding all of them", async () => {
      const { student, cart } = await cartWith([
        { type: "free", count: 1, price: "0" },
        { type: "paid", count: 2, price: "12.50" },
      ]);
      const result = await f.call(student).checkout.start();
      expect(result.sold_free_tickets).toBe(false);
      expect(result.total).toBe("25.00");
      expect((await heldBy(student.id)).map((t) => t.id)).toEqual([...cart].sort());
      expect(await f.prisma.ticket.count({ where: { ownerId: student.id } })).toBe(0);
    });

    it("records the order's lines in the order the tickets went into the cart, not in the tickets' id order or its reverse", async () => {
      const { showing } = await f.newShowing();
      const byId = [];
      for (const type of ["balcony", "stalls", "box"]) byId.push(...(await f.tickets(showing.id, { type, count: 1, price: "0" })));
      byId.sort((x, y) => (x.id < y.id ? -1 : 1));
      // Into the cart: the middle id first, then the smallest, then the greatest; neither the ids' order nor its reverse.
      const added = [byId[1]!.type, byId[0]!.type, byId[2]!.type];
      const student = await f.student();
      for (const type of added) {
        await f.call(student).cart.add({ showingId: showing.id, quantities: [{ type, count: 1 }] });
        f.clock.advance(MINUTE);
      }
      const result = await f.call(student).checkout.start();
      expect(result.sold_free_tickets).toBe(true);
      const order = await f.prisma.order.findFirstOrThrow({ where: { userId: student.id }, include: { lines: { orderBy: { id: "asc" } } } });
      expect(order.lines.map((l) => l.type)).toEqual(added);
    });

    it("records the lines of one add with two types in the cart view's order", async () => {
      const { showing } = await f.newShowing();
      await f.tickets(showing.id, { type: "balcony", count: 1, price: "0" });
      await f.tickets(showing.id, { type: "stalls", count: 1, price: "0" });
      const student = await f.student();
      await f.call(student).cart.add({ showingId: showing.id, quantities: [{ type: "balcony", count: 1 }, { type: "stalls", count: 1 }] });
      const viewed = (await f.call(student).cart.get()).lines.map((l) => l.type);
      expect([...viewed].sort()).toEqual(["balcony", "stalls"]);
      expect((await f.call(student).checkout.start()).sold_free_tickets).toBe(true);
      const order = await f.prisma.order.findFirstOrThrow({ where: { userId: student.id }, include: { lines: { orderBy: { id: "asc" } } } });
      expect(order.lines.map((l) => l.type)).toEqual(viewed);
    });

    it("charges the list price for a type with a discount but no group size", async () => {
      const { showing } = await f.newShowing();
      await f.tickets(showing.id, { type: "normal", count: 3, price: "10.00", groupDiscount: "0.5", groupSize: null });
      const student = await f.student();
      await f.call(student).cart.add({ showingId: showing.id, quantities: [{ type: "normal", count: 3 }] });
      expect(await f.call(student).cart.get()).toMatchObject({ total: "30.00", discount: "0.00" });
      expect(await f.call(student).checkout.start()).toMatchObject({ sold_free_tickets: false, total: "30.00" });
    });

    it("charges the discounted total and records each line after discount", async () => {
      const { student } = await cartWith([{ type: "group", count: 4, price: "15.00", groupDiscount: "0.2", groupSize: 4 }]);
      const result = await f.call(student).checkout.start();
      expect(result.total).toBe("48.00");
      const payment = await f.prisma.payment.findUniqueOrThrow({
        where: { transactionUuid: result.payment_params!.transaction_uuid! },
        include: { items: true },
      });
      expect(payment.items.map((i) => [i.count, i.amount.toFixed(2)])).toEqual([[4, "48.00"]]);
    });

    it("sells a cart whose group discount is 100% as free", async () => {
      const { student } = await cartWith([{ type: "comp", count: 2, price: "20.00", groupDiscount: "1", groupSize: 2 }]);
      expect(await f.call(student).checkout.start()).toMatchObject({ sold_free_tickets: true, total: "0.00" });
      expect(await f.prisma.ticket.count({ where: { ownerId: student.id } })).toBe(2);
    });

    it("returns the same attempt when started again, without extending the hold", async () => {
      const { student } = await cartWith([{ type: "normal", count: 2, price: "15.00" }]);
      const first = await f.call(student).checkout.start();
      f.clock.advance(4 * MINUTE);
      const second = await f.call(student).checkout.start();
      expect(second.payment_params).toEqual(first.payment_params);
      expect(second.hold_expires_at).toBe(first.hold_expires_at);
      const held = await heldBy(student.id);
      expect(held.every((t) => t.holdExpiresAt!.toISOString() === first.hold_expires_at)).toBe(true);
      expect(await f.prisma.payment.count({ where: { userId: student.id } })).toBe(1);
    });

    it("supersedes the pending attempt when the cart changed, releasing holds that are no longer in the cart", async () => {
      const { student, showing } = await cartWith([{ type: "normal", count: 2, price: "15.00" }]);
      const first = await f.call(student).checkout.start();
      await f.call(student).cart.add({ showingId: showing.id, quantities: [{ type: "normal", count: 1 }] });
      const second = await f.call(student).checkout.start();
      expect(second.payment_params!.transaction_uuid).not.toBe(first.payment_params!.transaction_uuid);
      expect(second.total).toBe("45.00");
      const old = await f.prisma.payment.findUniqueOrThrow({ where: { transactionUuid: first.payment_params!.transaction_uuid! } });
      const current = await f.prisma.payment.findUniqueOrThrow({ where: { transactionUuid: second.payment_params!.transaction_uuid! } });
      expect(old.status).toBe("SUPERSEDED");
      expect(current.status).toBe("PENDING");
      const held = await heldBy(student.id);
      expect(held).toHaveLength(3);
      expect(held.every((t) => t.heldForPaymentId === current.id)).toBe(true);
      expect(await f.prisma.ticket.count({ where: { heldForPaymentId: old.id } })).toBe(0);
    });

    it("releases the hold on removed tickets and ends the attempt that held them", async () => {
      const { student, showing } = await cartWith([{ type: "normal", count: 3, price: "15.00" }]);
      const first = await f.call(student).checkout.start();
      await f.call(student).cart.remove({ showingId: showing.id, quantities: [{ type: "normal", count: 1 }] });
      const payment = await f.prisma.payment.findUniqueOrThrow({ where: { transactionUuid: first.payment_params!.transaction_uuid! } });
      expect(payment.status).toBe("SUPERSEDED");
      expect(await heldBy(student.id)).toEqual([]);
      expect((await f.call(student).cart.get()).hold_expires_at).toBeNull();
      const again = await f.call(student).checkout.start();
      expect(again.total).toBe("30.00");
      expect(await heldBy(student.id)).toHaveLength(2);
    });

    it("lets expired holds go: others can buy them, the sweeper marks the attempt EXPIRED, a new start makes a new attempt", async () => {
      const { student, showing, cart } = await cartWith([{ type: "normal", count: 2, price: "15.00" }]);
      const first = await f.call(student).checkout.start();
      f.clock.advance(10 * MINUTE);
      expect((await f.call(student).cart.get()).hold_expires_at).toBeNull();

      // Before any sweep, the lapsed hold no longer blocks another buyer's add.
      const rival = await f.student();
      const total = await f.prisma.ticket.count({ where: { showingId: showing.id, type: "normal" } });
      await f.call(rival).cart.add({ showingId: showing.id, quantities: [{ type: "normal", count: total }] });
      expect(await f.cartIds(rival)).toEqual(expect.arrayContaining(cart));

      // Someone else's checkout started since keeps its hold through the sweep.
      const live = await cartWith([{ type: "normal", count: 1, price: "15.00" }]);
      const liveAttempt = await f.call(live.student).checkout.start();

      const swept = await f.services.checkout.releaseExpiredHolds();
      expect(swept.expiredAttempts).toBeGreaterThanOrEqual(1);
      const old = await f.prisma.payment.findUniqueOrThrow({ where: { transactionUuid: first.payment_params!.transaction_uuid! } });
      expect(old.status).toBe("EXPIRED");
      expect(await heldBy(student.id)).toEqual([]);
      const kept = await f.prisma.payment.findUniqueOrThrow({ where: { transactionUuid: liveAttempt.payment_params!.transaction_uuid! } });
      expect(kept.status).toBe("PENDING");
      expect(await heldBy(live.student.id)).toHaveLength(1);

      const second = await f.call(student).checkout.start();
      expect(second.payment_params!.transaction_uuid).not.toBe(first.payment_params!.transaction_uuid);
      expect(second.hold_expires_at).toBe(new Date(f.clock.now().getTime() + 10 * MINUTE).toISOString());
    });

    it("marks a lapsed attempt EXPIRED (not SUPERSEDED) when checkout starts again before the sweeper ran", async () => {
      const { student } = await cartWith([{ type: "normal", count: 1, price: "15.00" }]);
      const first = await f.call(student).checkout.start();
      f.clock.advance(11 * MINUTE);
      const second = await f.call(student).checkout.start();
      expect(second.payment_params!.transaction_uuid).not.toBe(first.payment_params!.transaction_uuid);
      const old = await f.prisma.payment.findUniqueOrThrow({ where: { transactionUuid: first.payment_params!.transaction_uuid! } });
      expect(old.status).toBe("EXPIRED");
    });

    it("marks an attempt EXPIRED when checkout starts again at the very moment its hold ends", async () => {
      const { student } = await cartWith([{ type: "normal", count: 1, price: "15.00" }]);
      const first = await f.call(student).checkout.start();
      f.clock.advance(10 * MINUTE);
      const second = await f.call(student).checkout.start();
      expect(second.payment_params!.transaction_uuid).not.toBe(first.payment_params!.transaction_uuid);
      const old = await f.prisma.payment.findUniqueOrThrow({ where: { transactionUuid: first.payment_params!.transaction_uuid! } });
      expect(old.status).toBe("EXPIRED");
    });

    // The cart's own changes end the attempt; these change the cart's rows behind its back, so only the check that
    // the hold covers exactly the cart (nothing more, nothing less) tells the attempt no longer fits.
    const cartOf = async (userId: string) => (await f.prisma.cart.findFirstOrThrow({ where: { userId } })).id;

    it("starts a new attempt when the cart holds fewer tickets than the pending attempt, freeing the one left out", async () => {
      const { student, cart } = await cartWith([{ type: "normal", count: 3, price: "15.00" }]);
      const first = await f.call(student).checkout.start();
      const [dropped, ...kept] = [...cart].sort();
      await f.prisma.cartTicket.deleteMany({ where: { cartId: await cartOf(student.id), ticketId: dropped! } });
      const second = await f.call(student).checkout.start();
      expect(second.payment_params!.transaction_uuid).not.toBe(first.payment_params!.transaction_uuid);
      expect(second.total).toBe("30.00");
      const old = await f.prisma.payment.findUniqueOrThrow({ where: { transactionUuid: first.payment_params!.transaction_uuid! } });
      expect(old.status).toBe("SUPERSEDED");
      expect((await heldBy(student.id)).map((t) => t.id)).toEqual(kept);
    });

    it("starts a new attempt when one of the cart's tickets is not among those the pending attempt holds", async () => {
      const { student, cart, showing } = await cartWith([{ type: "normal", count: 3, price: "15.00" }]);
      const first = await f.call(student).checkout.start();
      const cartId = await cartOf(student.id);
      const spare = await f.prisma.ticket.findFirstOrThrow({
        where: { showingId: showing.id, ownerId: null, holderId: null, carts: { none: {} } },
      });
      const [dropped, ...kept] = [...cart].sort();
      await f.prisma.cartTicket.deleteMany({ where: { cartId, ticketId: dropped! } });
      await f.prisma.cartTicket.create({ data: { cartId, ticketId: spare.id } });
      const second = await f.call(student).checkout.start();
      expect(second.payment_params!.transaction_uuid).not.toBe(first.payment_params!.transaction_uuid);
      const old = await f.prisma.payment.findUniqueOrThrow({ where: { transactionUuid: first.payment_params!.transaction_uuid! } });
      const current = await f.prisma.payment.findUniqueOrThrow({ where: { transactionUuid: second.payment_params!.transaction_uuid! } });
      expect(old.status).toBe("SUPERSEDED");
      const held = await heldBy(student.id);
      expect(held.map((t) => t.id)).toEqual([...kept, spare.id].sort());
      expect(held.every((t) => t.heldForPaymentId === current.id)).toBe(true);
    });

    it("the sweeper clears only expired holds (5 cleared, 5 still held)", async () => {
      const { showing } = await f.newShowing();
      const tickets = await f.tickets(showing.id, { type: "normal", count: 10, price: 1 });
      const holder = await f.student();
      const now = f.clock.now().getTime();
      await f.prisma.ticket.updateMany({ where: { id: { in: tickets.slice(0, 5).map((t) => t.id) } }, data: { holderId: holder.id, holdExpiresAt: new Date(now - 1) } });
      await f.prisma.ticket.updateMany({ where: { id: { in: tickets.slice(5).map((t) => t.id) } }, data: { holderId: holder.id, holdExpiresAt: new Date(now + MINUTE) } });
      await f.services.checkout.releaseExpiredHolds();
      expect(await f.prisma.ticket.count({ where: { showingId: showing.id, holderId: holder.id } })).toBe(5);
      expect(await f.prisma.ticket.count({ where: { showingId: showing.id, holderId: null, holdExpiresAt: null } })).toBe(5);
    });

    it("refuses a cart with a ticket someone else holds (CART_STALE); after viewing the cart it goes through without it", async () => {
      const { student, cart } = await cartWith([{ type: "normal", count: 5, price: "15.00" }]);
      const sniper = await f.student();
      await f.prisma.ticket.update({
        where: { id: cart[0]! },
        data: { holderId: sniper.id, holdExpiresAt: new Date(f.clock.now().getTime() + 10 * MINUTE) },
      });
      const stale = await failure(f.call(student).checkout.start());
      expect(stale).toMatchObject({ status: 403, code: "CART_STALE" });
      expect(stale.message).toMatch(/refresh your cart/i);
      expect(await heldBy(student.id)).toEqual([]);
      await f.call(student).cart.get();
      await f.call(student).checkout.start();
      const held = await heldBy(student.id);
      expect(held).toHaveLength(5);
      expect(held.map((t) => t.id)).not.toContain(cart[0]);
    });

    it("refuses checkout when the drop time moved into the future or the showing ended after the tickets were carted", async () => {
      const { student, showing } = await cartWith([{ type: "normal", count: 1, price: "15.00" }]);
      await f.prisma.showing.update({ where: { id: showing.id }, data: { ticketDropTime: new Date(f.clock.now().getTime() + HOUR) } });
      expect(await failure(f.call(student).checkout.start())).toMatchObject({ status: 403, code: "CART_STALE" });
      await f.prisma.showing.update({ where: { id: showing.id }, data: { ticketDropTime: null, endTime: f.clock.now() } });
      expect(await failure(f.call(student).checkout.start())).toMatchObject({ status: 403, code: "CART_STALE" });
      expect(await heldBy(student.id)).toEqual([]);
    });

    it("refuses a cart whose showing was cancelled after the tickets were carted with the reason, not as merely stale", async () => {
      const { student, showing } = await cartWith([{ type: "normal", count: 2, price: "15.00" }]);
      await f.prisma.showing.update({ where: { id: showing.id }, data: { cancelledAt: f.clock.now(), cancelReason: "Projector broke" } });
      expect(await failure(f.call(student).checkout.start())).toMatchObject({
        code: "SHOWING_CANCELLED",
        message: "This showing has been cancelled, so it sells no tickets.",
      });
      expect(await heldBy(student.id)).toEqual([]);
    });

    it("re-checks the order limit at checkout against tickets received since they were carted", async () => {
      const { student, showing } = await cartWith([{ type: "normal", count: 3, price: "0" }]);
      await f.prisma.showing.update({ where: { id: showing.id }, data: { ticketOrderLimit: 4 } });
      const spare = await f.prisma.ticket.findFirstOrThrow({ where: { showingId: showing.id, ownerId: null, carts: { none: {} } } });
      await f.prisma.ticket.updateMany({ where: { id: { in: [spare.id] } }, data: { ownerId: student.id } });
      expect(await f.call(student).checkout.start()).toMatchObject({ sold_free_tickets: true });
      const { student: second, showing: other } = await cartWith([{ type: "normal", count: 3, price: "0" }]);
      await f.prisma.showing.update({ where: { id: other.id }, data: { ticketOrderLimit: 4 } });
      const more = await f.prisma.ticket.findMany({ where: { showingId: other.id, ownerId: null, carts: { none: {} } }, take: 2 });
      await f.prisma.ticket.updateMany({ where: { id: { in: more.map((t) => t.id) } }, data: { ownerId: second.id } });
      expect(await failure(f.call(second).checkout.start())).toMatchObject({ status: 403, code: "ORDER_LIMIT_EXCEEDED" });
    });

    it("holds for the configured number of minutes", async () => {
      const short = await openCartFixture(backend, { holdMinutes: 3 });
      try {
        const { showing } = await short.newShowing();
        await short.tickets(showing.id, { type: "normal", count: 1, price: 5 });
        const student = await short.student();
        await short.call(student).cart.add({ showingId: showing.id, quantities: [{ type: "normal", count: 1 }] });
        const result = await short.call(student).checkout.start();
        expect(result.hold_expires_at).toBe(new Date(short.clock.now().getTime() + 3 * MINUTE).toISOString());
      } finally {
        await short.close();
      }
    });
  });
}
