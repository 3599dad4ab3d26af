import { buildReply } from "@admit/cybersource";
import { testBackends } from "@admit/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, trpc, type TestServer } from "./harness.ts";
import {
  ACCEPT,
  expireHolds,
  merchantPost,
  paidShowing,
  replyFor,
  startPaidCheckout,
  type Attempt,
  type Showcase,
} from "./payment-fixtures.ts";

interface AttentionRow {
  id: string;
  referenceNumber: string;
  status: string;
  statusReason: string | null;
  amount: string;
  currency: string;
  buyerName: string;
  decision: string | null;
  reasonCode: string | null;
  processedAt: string | null;
  createdAt: string;
}

/** An officer of the showing's club, signed in through the real token route. */
async function officerOf(server: TestServer, showcase: Showcase): Promise<string> {
  const showing = await server.db.prisma.showing.findUniqueOrThrow({ where: { id: showcase.showingId }, select: { event: { select: { clubId: true } } } });
  const officer = await server.createAccount();
  await server.db.prisma.membership.create({ data: { clubId: showing.event.clubId, userId: officer.id, role: "OFFICER" } });
  return server.tokenFor(officer.username);
}

const clubIdOf = async (server: TestServer, showcase: Showcase) =>
  (await server.db.prisma.event.findUniqueOrThrow({ where: { id: showcase.eventId }, select: { clubId: true } })).clubId;

for (const backend of testBackends()) {
  describe(`payments that need an officer (${backend.kind})`, () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer(backend);
    });
    afterAll(async () => server?.close());

    it("lists the club's payments held for review or owed back, oldest first, and nothing else", async () => {
      const start = server.clock.now();
      const at = (minutes: number) => server.clock.set(new Date(start.getTime() + minutes * 60_000));
      const ours = await paidShowing(server, { count: 12, price: "15.00" });
      const theirs = await paidShowing(server, { count: 4, price: "15.00" });
      const profile = server.runtime.config.cybersource.profile;

      // Written out of age order (the newest checkout first), so the list's order is its own.
      at(20);
      const review = await startPaidCheckout(server, ours, 2);
      expect((await merchantPost(server, replyFor(server, review, { decision: "REVIEW", reasonCode: "230" }))).status).toBe(200);
      at(0);
      const late = await startPaidCheckout(server, ours, 1);
      await expireHolds(server);
      at(12);
      const paid = await startPaidCheckout(server, ours, 1);
      expect((await merchantPost(server, replyFor(server, paid, ACCEPT))).status).toBe(200);
      const mismatched = await startPaidCheckout(server, ours, 2);
      const inEuros = buildReply(profile, { ...mismatched.params, currency: "EUR" }, ACCEPT, server.clock.now());
      expect((await merchantPost(server, inEuros)).status).toBe(409);
      const declined = await startPaidCheckout(server, ours, 1);
      expect((await merchantPost(server, replyFor(server, declined, { decision: "DECLINE", reasonCode: "203" }))).status).toBe(200);
      const pending: Attempt = await startPaidCheckout(server, ours, 1);
      // The late payment finds every ticket taken: its money is owed back.
      const rest = await server.db.prisma.ticket.count({ where: { showingId: ours.showingId, ownerId: null, holderId: null } });
      await startPaidCheckout(server, ours, rest);
      at(13);
      expect((await merchantPost(server, replyFor(server, late, ACCEPT))).status).toBe(200);
      // Another club's payment under review is not ours to see.
      const elsewhere = await startPaidCheckout(server, theirs, 1);
      expect((await merchantPost(server, replyFor(server, elsewhere, { decision: "REVIEW", reasonCode: "230" }))).status).toBe(200);

      const token = await officerOf(server, ours);
      const listed = await trpc(server, "payment.needingAttention", { token, input: { clubId: await clubIdOf(server, ours) } });
      expect(listed.status).toBe(200);
      const rows = listed.data as AttentionRow[];
      expect(rows.map((r) => r.referenceNumber)).toEqual([late.reference, mismatched.reference, review.reference]);
      expect(rows.map((r) => r.referenceNumber)).not.toContain(pending.reference);
      const buyer = async (a: Attempt) => (await server.db.prisma.user.findUniqueOrThrow({ where: { id: a.userId } })).fullName;
      expect(rows).toEqual([
        expect.objectContaining({
          id: late.paymentId,
          status: "REFUND_NEEDED",
          amount: "15.00",
          currency: "USD",
          buyerName: await buyer(late),
          decision: "ACCEPT",
          reasonCode: "100",
          statusReason: expect.stringContaining("owed back"),
          createdAt: new Date(start.getTime()).toISOString(),
          processedAt: new Date(start.getTime() + 13 * 60_000).toISOString(),
        }),
        expect.objectContaining({
          id: mismatched.paymentId,
          status: "REVIEW",
          amount: "30.00",
          statusReason: "Needs review: the payment result is for 30.00 EUR, but this checkout was for 30.00 USD.",
          createdAt: new Date(start.getTime() + 12 * 60_000).toISOString(),
        }),
        expect.objectContaining({
          id: review.paymentId,
          status: "REVIEW",
          decision: "REVIEW",
          reasonCode: "230",
          statusReason: expect.stringContaining("reason 230"),
          createdAt: new Date(start.getTime() + 20 * 60_000).toISOString(),
        }),
      ]);

      // The other club's officer sees only theirs; a student, or an officer asking about a club not theirs, gets 404.
      const theirOfficer = await officerOf(server, theirs);
      const theirRows = await trpc(server, "payment.needingAttention", { token: theirOfficer, input: { clubId: await clubIdOf(server, theirs) } });
      expect((theirRows.data as AttentionRow[]).map((r) => r.id)).toEqual([elsewhere.paymentId]);
      const notTheirs = await trpc(server, "payment.needingAttention", { token: theirOfficer, input: { clubId: await clubIdOf(server, ours) } });
      expect(notTheirs).toMatchObject({ status: 404, error: { data: { appCode: "NOT_FOUND" } } });
      const student = await trpc(server, "payment.needingAttention", { token: review.token, input: { clubId: await clubIdOf(server, ours) } });
      expect(student.status).toBe(404);
    });
  });
}
