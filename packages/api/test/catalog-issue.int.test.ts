import { racesRunOn, testBackends } from "@admit/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { failure, HOUR, openCatalog, PUBLIC_URL, type CatalogFixture } from "./catalog-fixture.ts";

for (const backend of testBackends()) {
  describe(`complimentary tickets (${backend.kind})`, () => {
    let f: CatalogFixture;
    beforeAll(async () => {
      f = await openCatalog(backend);
    });
    afterAll(async () => f?.close());

    async function showingWithTickets(opts: { dropTime?: Date; normal?: number; premium?: number; buyable?: boolean } = {}) {
      const { event, showing } = await f.newShowing({ dropTime: opts.dropTime ?? null });
      await f.createTickets(showing.id, { type: "normal", count: opts.normal ?? 20, price: "15.00", buyable: opts.buyable ?? true });
      await f.createTickets(showing.id, { type: "premium", count: opts.premium ?? 10, price: "30.00", buyable: opts.buyable ?? true });
      return { event, showing };
    }

    const emailsTo = (address: string) => f.prisma.outgoingEmail.findMany({ where: { toAddress: address } });

    it("issues tickets to named people: owner set, complimentary, nothing paid, one e-mail each with QR codes (reference scenario 7)", async () => {
      const { event, showing } = await showingWithTickets();
      const { student, student2 } = f.users;
      const result = await f.call(f.users.officer).showing.issueTickets({
        showingId: showing.id,
        tickets: [
          { username: student.username, type: "normal" },
          { username: student.username.toUpperCase(), type: "premium" },
          { username: student2.username, type: "normal" },
          { username: student2.username, type: "premium" },
        ],
      });
      expect(result.issued).toHaveLength(4);
      for (const user of [student, student2]) {
        const owned = await f.prisma.ticket.findMany({ where: { showingId: showing.id, ownerId: user.id }, orderBy: { type: "asc" } });
        expect(owned.map((t) => t.type)).toEqual(["normal", "premium"]);
        for (const ticket of owned) {
          expect(ticket.complimentary).toBe(true);
          expect(ticket.amountPaid?.toFixed(2)).toBe("0.00");
          expect(ticket.holderId).toBeNull();
        }
        const mails = await emailsTo(user.email);
        expect(mails).toHaveLength(1);
        const mail = mails[0]!;
        expect(mail.subject).toContain(event.name);
        const byTicket = (a: { qrTicketId: string }, b: { qrTicketId: string }) => a.qrTicketId.localeCompare(b.qrTicketId);
        expect([...(mail.attachments as Array<{ qrTicketId: string }>)].sort(byTicket)).toEqual(
          owned.map((t) => ({ filename: `ticket-${t.id}.png`, qrTicketId: t.id, cid: `qr-${t.id}` })).sort(byTicket),
        );
        for (const ticket of owned) {
          expect(mail.text).toContain(`${PUBLIC_URL}/tickets/${ticket.id}`);
          expect(mail.html).toContain(`cid:qr-${ticket.id}`);
        }
      }
    });

    it("lists unknown usernames and unknown types (sorted) and issues nothing (reference scenario 9)", async () => {
      const { showing } = await showingWithTickets();
      const officer = f.call(f.users.officer);
      const mailsBefore = await f.mailCount();
      const unknownUsers = await failure(
        officer.showing.issueTickets({
          showingId: showing.id,
          tickets: [
            { username: f.users.student.username, type: "normal" },
            { username: "zed_nobody", type: "normal" },
            { username: "amy_nobody", type: "premium" },
          ],
        }),
      );
      expect(unknownUsers).toMatchObject({ status: 400, code: "VALIDATION_FAILED" });
      expect(unknownUsers.details).toEqual({ unknownUsernames: ["amy_nobody", "zed_nobody"], unknownTypes: [] });
      expect(unknownUsers.message).toContain("amy_nobody");

      const unknownTypes = await failure(
        officer.showing.issueTickets({
          showingId: showing.id,
          tickets: [
            { username: f.users.student.username, type: "vip" },
            { username: f.users.student.username, type: "balcony" },
            { username: f.users.student.username, type: "normal" },
          ],
        }),
      );
      expect(unknownTypes).toMatchObject({ status: 400, code: "VALIDATION_FAILED" });
      expect(unknownTypes.details).toEqual({ unknownUsernames: [], unknownTypes: ["balcony", "vip"] });
      expect(await f.prisma.ticket.count({ where: { showingId: showing.id, ownerId: { not: null } } })).toBe(0);
      expect(await f.mailCount()).toBe(mailsBefore);
    });

    it("refuses more tickets than are left with 403 naming the type, and issues nothing (reference scenario 10)", async () => {
      const { showing } = await showingWithTickets();
      const before = await f.mailCount();
      const error = await failure(
        f.call(f.users.officer).showing.issueTickets({
          showingId: showing.id,
          tickets: [
            { username: f.users.student.username, type: "premium", count: 1 },
            { username: f.users.student2.username, type: "normal", count: 100 },
          ],
        }),
      );
      expect(error).toMatchObject({ status: 403, code: "NOT_ENOUGH_TICKETS" });
      expect(error.message).toContain("normal");
      expect(error.details).toMatchObject({ type: "normal", requested: 100, available: 20 });
      const touched = await f.prisma.ticket.count({
        where: { showingId: showing.id, OR: [{ ownerId: { not: null } }, { holderId: { not: null } }] },
      });
      expect(touched).toBe(0);
      expect(await f.mailCount()).toBe(before);
    });

    it("ignores the drop time and `buyable`, but never takes a ticket someone holds", async () => {
      const { showing } = await showingWithTickets({ dropTime: new Date(f.clock.now().getTime() + 5 * HOUR), normal: 3, premium: 1, buyable: false });
      const [held] = await f.prisma.ticket.findMany({ where: { showingId: showing.id, type: "normal" }, take: 1 });
      await f.prisma.ticket.update({
        where: { id: held!.id },
        data: { holderId: f.users.student2.id, holdExpiresAt: new Date(f.clock.now().getTime() + 600_000) },
      });
      const officer = f.call(f.users.officer);
      const tooMany = await failure(
        officer.showing.issueTickets({ showingId: showing.id, tickets: [{ username: f.users.student.username, type: "normal", count: 3 }] }),
      );
      expect(tooMany).toMatchObject({ status: 403, code: "NOT_ENOUGH_TICKETS" });

      const { issued } = await officer.showing.issueTickets({
        showingId: showing.id,
        tickets: [
          { username: f.users.student.username, type: "normal", count: 2 },
          { username: f.users.student.username, type: "premium" },
        ],
      });
      expect(issued).toHaveLength(3);
      expect(issued.map((t) => t.ticketId)).not.toContain(held!.id);
      expect(await f.prisma.ticket.findUniqueOrThrow({ where: { id: held!.id } })).toMatchObject({ ownerId: null, holderId: f.users.student2.id });

      // Once the hold lapses, that ticket is free to issue too.
      f.clock.advance(11 * 60_000);
      const { issued: late } = await officer.showing.issueTickets({
        showingId: showing.id,
        tickets: [{ username: f.users.student.username, type: "normal" }],
      });
      expect(late.map((t) => t.ticketId)).toEqual([held!.id]);
      expect(await f.prisma.ticket.findUniqueOrThrow({ where: { id: held!.id } })).toMatchObject({
        ownerId: f.users.student.id,
        holderId: null,
        holdExpiresAt: null,
      });
    });

    it.skipIf(!racesRunOn(backend))("race on PostgreSQL: never issues the same ticket twice when officers issue the last tickets at the same moment", async () => {
      const { showing } = await showingWithTickets({ normal: 5, premium: 1 });
      const officer = f.call(f.users.officer);
      const admin = f.call(f.users.admin);
      const results = await Promise.allSettled([
        officer.showing.issueTickets({ showingId: showing.id, tickets: [{ username: f.users.student.username, type: "normal", count: 3 }] }),
        admin.showing.issueTickets({ showingId: showing.id, tickets: [{ username: f.users.student2.username, type: "normal", count: 3 }] }),
        officer.showing.issueTickets({ showingId: showing.id, tickets: [{ username: f.users.owner.username, type: "normal", count: 2 }] }),
      ]);
      const issued = results.flatMap((r) => (r.status === "fulfilled" ? r.value.issued.map((t) => t.ticketId) : []));
      expect(new Set(issued).size).toBe(issued.length);
      // All or nothing: each request that went through got exactly what it asked for, owned by the person it named.
      const asked = [
        [f.users.student, 3],
        [f.users.student2, 3],
        [f.users.owner, 2],
      ] as const;
      for (const [index, r] of results.entries()) {
        const request = asked[index];
        if (r.status !== "fulfilled" || !request) continue;
        const [user, count] = request;
        expect(r.value.issued).toHaveLength(count);
        const ids = r.value.issued.map((t) => t.ticketId);
        expect(await f.prisma.ticket.count({ where: { id: { in: ids }, ownerId: user.id } })).toBe(count);
      }
      expect(issued.length).toBeLessThanOrEqual(5);
      const owned = await f.prisma.ticket.count({ where: { showingId: showing.id, type: "normal", ownerId: { not: null } } });
      expect(owned).toBe(issued.length);
      for (const r of results) {
        if (r.status === "rejected") expect((await failure(Promise.reject(r.reason))).code).toBe("NOT_ENOUGH_TICKETS");
      }
      expect(results.some((r) => r.status === "fulfilled")).toBe(true);
    });

    it.skipIf(!racesRunOn(backend))("race on PostgreSQL: never deletes an issued ticket when officers replace offerings or delete the showing at the same moment", async () => {
      for (let round = 0; round < 6; round++) {
        const { showing } = await showingWithTickets({ normal: 6, premium: 2 });
        const officer = f.call(f.users.officer);
        const [issue, replace, remove] = await Promise.allSettled([
          f.call(f.users.admin).showing.issueTickets({
            showingId: showing.id,
            tickets: [{ username: f.users.student.username, type: "normal", count: 2 }],
          }),
          officer.showing.setOfferings({ showingId: showing.id, offerings: [{ type: "normal", count: 3, price: "9.00" }] }),
          round % 2 ? officer.showing.delete({ showingId: showing.id }) : Promise.resolve(null),
        ]);
        const issued = issue.status === "fulfilled" ? issue.value.issued.map((t) => t.ticketId) : [];
        const stillThere = await f.prisma.ticket.findMany({ where: { id: { in: issued } }, select: { ownerId: true, price: true } });
        expect(stillThere).toHaveLength(issued.length);
        expect(stillThere.every((t) => t.ownerId === f.users.student.id)).toBe(true);
        // Both may succeed only in the order "replace, then issue from the new set".
        if (replace.status === "fulfilled") expect(stillThere.every((t) => t.price.toFixed(2) === "9.00")).toBe(true);
        for (const outcome of [issue, replace, remove]) {
          if (outcome.status === "rejected") {
            expect(["VALIDATION_FAILED", "NOT_ENOUGH_TICKETS", "HAS_TICKETS", "NOT_FOUND"]).toContain((await failure(Promise.reject(outcome.reason))).code);
          }
        }
      }
    });
  });
}
