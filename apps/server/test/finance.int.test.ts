import { Prisma } from "@admit/db";
import { createEvent, createShowing, createTickets } from "@admit/db/factories";
import { testBackends } from "@admit/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { concertClub, getWith, officerOf, type ConcertClub } from "./finance-fixtures.ts";
import { startTestServer, trpc, type TestServer } from "./harness.ts";
import { refundKey, soldOrder, type SoldOrder } from "./refund-fixtures.ts";

const money = (value: string) => new Prisma.Decimal(value);

/** RFC 4180 as csv-stringify writes it: quoted cells may hold commas, quotes ("") and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i++;
    } else cell += c;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}

function csvRecords(text: string): Array<Record<string, string>> {
  const [header = [], ...rows] = parseCsv(text);
  return rows.map((row) => Object.fromEntries(header.map((name, i) => [name, row[i] ?? ""])));
}

interface Figures {
  sales: string;
  refunded: string;
  net: string;
  owed: string;
  orders: number;
  tickets: number;
}
interface Report {
  timeZone: string;
  totals: Figures;
  months: Array<Figures & { month: string }>;
  events: Array<Figures & { eventId: number; eventName: string }>;
  days: Array<{ day: string; sales: string; refunded: string }>;
}

for (const backend of testBackends()) {
  describe(`club finance (${backend.kind})`, () => {
    let server: TestServer;
    let a: ConcertClub;
    let b: ConcertClub;
    let rehearsal: { eventId: number; showingId: number };
    let paid: SoldOrder;
    let shared: SoldOrder;
    let december: SoldOrder;
    let partRefundId: string;
    let owedRefundId: string;

    beforeAll(async () => {
      server = await startTestServer(backend);
      const prisma = server.db.prisma;
      server.clock.set(new Date("2026-11-20T15:00:00Z"));
      a = await concertClub(server, { price: "15.00", count: 10 });
      b = await concertClub(server, { price: "20.00", count: 4 });
      const event = await createEvent(prisma, a.clubId, { name: "Open Rehearsal" });
      const showing = await createShowing(prisma, event.id, {
        startTime: new Date("2026-12-04T23:00:00Z"),
        endTime: new Date("2026-12-05T01:00:00Z"),
      });
      await createTickets(prisma, showing.id, { type: "Free", count: 3, price: "0.00" });
      rehearsal = { eventId: event.id, showingId: showing.id };

      // November 20 in New York: a free order and a paid one of two tickets.
      await soldOrder(server, [{ showingId: rehearsal.showingId, count: 1 }]);
      paid = await soldOrder(server, [{ showingId: a.showingId, count: 2 }]);
      // One payment for both clubs' tickets, placed 10:30 PM on November 30 in New York (December 1 in UTC).
      shared = await soldOrder(server, [
        { showingId: a.showingId, count: 1 },
        { showingId: b.showingId, count: 1 },
      ]);
      await prisma.order.update({ where: { id: shared.orderId }, data: { createdAt: new Date("2026-12-01T03:30:00Z") } });
      // 12:30 AM on December 1 in New York.
      december = await soldOrder(server, [{ showingId: a.showingId, count: 1 }]);
      await prisma.order.update({ where: { id: december.orderId }, data: { createdAt: new Date("2026-12-01T05:30:00Z") } });

      // December 2: part of one ticket refunded and marked done by hand; the December order owed back in full.
      server.clock.set(new Date("2026-12-02T15:00:00Z"));
      const refunds = server.runtime.services.refunds;
      const part = await refunds.refundOrder(a.officer.actor, {
        orderId: paid.orderId,
        ticketIds: [paid.ticketIds[0] ?? ""],
        amount: money("5.00"),
        reason: "Obstructed view",
        returnToSale: true,
        idempotencyKey: refundKey(),
      });
      partRefundId = part.refund?.id ?? "";
      await refunds.markDone(a.officer.actor, partRefundId);
      server.clock.set(new Date("2026-12-02T16:00:00Z"));
      const owed = await refunds.refundOrder(a.officer.actor, {
        orderId: december.orderId,
        reason: "Cannot come",
        returnToSale: true,
        idempotencyKey: refundKey(),
      });
      owedRefundId = owed.refund?.id ?? "";
      expect(owed.refund?.status).toBe("MANUAL");
    });
    afterAll(async () => server?.close());

    it("totals sales, refunds made, refunds owed and net, counting only this club's lines of a shared order", async () => {
      const res = await getWith(server, `/api/clubs/${a.code}/finance/`, a.officer.token);
      expect(res.status).toBe(200);
      const report = JSON.parse(res.text) as Report;
      expect(report.timeZone).toBe("America/New_York");
      // Free 0 + paid 30 + this club's 15 of the shared 35 + December 15.
      expect(report.totals).toEqual({ sales: "60.00", refunded: "5.00", net: "55.00", owed: "15.00", orders: 4, tickets: 5 });

      const other = JSON.parse((await getWith(server, `/api/clubs/${b.code}/finance/`, b.officer.token)).text) as Report;
      expect(other.totals).toEqual({ sales: "20.00", refunded: "0.00", net: "20.00", owed: "0.00", orders: 1, tickets: 1 });
    });

    it("puts orders and refunds in calendar months of the club's time zone", async () => {
      const report = JSON.parse((await getWith(server, `/api/clubs/${a.code}/finance/`, a.officer.token)).text) as Report;
      // The shared order (December 1 in UTC) is November 30 in New York.
      expect(report.months).toEqual([
        { month: "2026-11", sales: "45.00", refunded: "0.00", net: "45.00", owed: "0.00", orders: 3, tickets: 4 },
        { month: "2026-12", sales: "15.00", refunded: "5.00", net: "10.00", owed: "15.00", orders: 1, tickets: 1 },
      ]);
      expect(report.days.map((d) => d.day)).toEqual(["2026-11-20", "2026-11-30", "2026-12-01", "2026-12-02"]);

      // The same facts in another zone: Tokyo is already December 1 for the shared order's 12:30 PM.
      const set = await trpc(server, "club.updateSettings", { token: a.officer.token, mutation: true, input: { clubId: a.clubId, timeZone: "Asia/Tokyo" } });
      expect(set.status).toBe(200);
      const tokyo = JSON.parse((await getWith(server, `/api/clubs/${a.code}/finance/`, a.officer.token)).text) as Report;
      expect(tokyo.timeZone).toBe("Asia/Tokyo");
      expect(tokyo.months.map((m) => [m.month, m.sales])).toEqual([
        ["2026-11", "30.00"],
        ["2026-12", "30.00"],
      ]);
      await trpc(server, "club.updateSettings", { token: a.officer.token, mutation: true, input: { clubId: a.clubId, timeZone: null } });
    });

    it("splits sales, refunds and money owed per event", async () => {
      const report = JSON.parse((await getWith(server, `/api/clubs/${a.code}/finance/`, a.officer.token)).text) as Report;
      const byEvent = Object.fromEntries(report.events.map(({ eventId, eventName: _name, ...figures }) => [eventId, figures]));
      expect(byEvent).toEqual({
        [a.eventId]: { sales: "60.00", refunded: "5.00", net: "55.00", owed: "15.00", orders: 3, tickets: 4 },
        [rehearsal.eventId]: { sales: "0.00", refunded: "0.00", net: "0.00", owed: "0.00", orders: 1, tickets: 1 },
      });
    });

    it("writes the reconciliation CSV: one row per payment and refund, keyed by transaction id and reference, in the club's zone", async () => {
      const res = await getWith(server, `/api/clubs/${a.code}/finance.csv`, a.officer.token);
      expect(res.status).toBe(200);
      expect(res.type).toMatch(/^text\/csv/);
      expect(res.disposition).toMatch(/^attachment; filename="finance-[a-z0-9-]+\.csv"$/);
      const [header] = parseCsv(res.text);
      expect(header).toEqual([
        "Date and time",
        "Kind",
        "Transaction ID",
        "Reference number",
        "Event",
        "Showing",
        "Amount",
        "Payment total",
        "Currency",
        "Buyer",
        "Buyer email",
        "Status",
        "Refund processor ID",
        "Refund ID",
      ]);
      const rows = csvRecords(res.text);
      // The free order moves no money: three payments and two refunds.
      expect(rows.map((r) => [r.Kind, r["Reference number"], r.Amount, r.Status])).toEqual([
        ["sale", paid.reference, "30.00", "paid"],
        ["sale", shared.reference, "15.00", "paid"],
        ["sale", december.reference, "15.00", "paid"],
        ["refund", paid.reference, "-5.00", "succeeded"],
        ["refund", december.reference, "-15.00", "manual"],
      ]);
      const sharedRow = rows[1];
      expect(sharedRow).toMatchObject({
        "Date and time": "2026-11-30T22:30:00-05:00",
        "Transaction ID": shared.transactionId,
        "Payment total": "35.00",
        Currency: "USD",
        Event: a.eventName,
        Showing: "Dec 5, 2026, 2:00 PM EST",
        Buyer: "Bea Buyer",
        "Buyer email": shared.buyer.email,
      });
      expect(rows[3]).toMatchObject({ "Transaction ID": paid.transactionId, "Refund ID": partRefundId, "Date and time": "2026-12-02T10:00:00-05:00" });
      expect(rows[4]).toMatchObject({ "Transaction ID": december.transactionId, "Refund ID": owedRefundId, "Refund processor ID": "" });

      // The other club's file has its own share of the shared payment only.
      const other = csvRecords((await getWith(server, `/api/clubs/${b.code}/finance.csv`, b.officer.token)).text);
      expect(other.map((r) => [r.Kind, r["Reference number"], r.Amount, r["Payment total"]])).toEqual([["sale", shared.reference, "20.00", "35.00"]]);
    });

    it("shows the report and the file to the club's owners and officers only", async () => {
      const student = await server.createAccount();
      const studentToken = await server.tokenFor(student.username);
      for (const path of [`/api/clubs/${a.code}/finance/`, `/api/clubs/${a.code}/finance.csv`]) {
        expect((await getWith(server, path)).status, path).toBe(401);
        const refused = await getWith(server, path, studentToken);
        expect(refused.status, path).toBe(404);
        expect(refused.text).not.toContain("60.00");
        // Another club's officer: no different from a stranger.
        expect((await getWith(server, path, b.officer.token)).status, path).toBe(404);
        expect((await getWith(server, path.replace(a.code, "no-such-club"), a.officer.token)).status, path).toBe(404);
      }
      const owner = await officerOf(server, a.clubId);
      await server.db.prisma.membership.update({ where: { clubId_userId: { clubId: a.clubId, userId: owner.id } }, data: { role: "OWNER" } });
      expect((await getWith(server, `/api/clubs/${a.code}/finance/`, owner.token)).status).toBe(200);
      const member = await officerOf(server, a.clubId);
      await server.db.prisma.membership.update({ where: { clubId_userId: { clubId: a.clubId, userId: member.id } }, data: { role: "MEMBER" } });
      expect((await getWith(server, `/api/clubs/${a.code}/finance/`, member.token)).status).toBe(404);

      const viaTrpc = await trpc(server, "club.finance", { token: studentToken, input: { clubId: a.clubId } });
      expect(viaTrpc.error?.data.appCode).toBe("NOT_FOUND");
      const ledger = await trpc(server, "club.ledger", { token: b.officer.token, input: { clubId: a.clubId } });
      expect(ledger.error?.data.appCode).toBe("NOT_FOUND");
      const own = await trpc(server, "club.ledger", { token: a.officer.token, input: { clubId: a.clubId } });
      expect(own.status).toBe(200);
    });

    it("counts a late payment whose seats were gone: its lines as sales and its refund owed on the same event", async () => {
      const prisma = server.db.prisma;
      const late = await concertClub(server, { price: "12.50" });
      const buyer = await server.createAccount({ fullName: "Lou Late" });
      const payment = await prisma.payment.create({
        data: {
          userId: buyer.id,
          referenceNumber: `late-${late.clubId}`,
          transactionUuid: crypto.randomUUID(),
          amount: money("25.00"),
          status: "REFUND_NEEDED",
          decision: "ACCEPT",
          transactionId: `7000${late.clubId}`,
          buyerName: "Lou Late",
          buyerEmail: `${buyer.username}@example.edu`,
        },
      });
      // Lines and no tickets, and a refund of the whole amount for no ticket in particular.
      const order = await prisma.order.create({
        data: {
          reference: payment.referenceNumber,
          userId: buyer.id,
          paymentId: payment.id,
          total: money("25.00"),
          createdAt: new Date("2026-12-03T15:00:00Z"),
          lines: { create: [{ showingId: late.showingId, type: "General", count: 2, unitPrice: money("12.50"), discount: money("0"), amount: money("25.00") }] },
        },
      });
      await prisma.refund.create({
        data: { idempotencyKey: refundKey(), orderId: order.id, clubId: late.clubId, amount: money("25.00"), reason: "Seats gone", status: "MANUAL", createdAt: new Date("2026-12-03T15:00:00Z") },
      });
      const report = JSON.parse((await getWith(server, `/api/clubs/${late.code}/finance/`, late.officer.token)).text) as Report;
      expect(report.totals).toEqual({ sales: "25.00", refunded: "0.00", net: "25.00", owed: "25.00", orders: 1, tickets: 2 });
      expect(report.events).toEqual([{ eventId: late.eventId, eventName: late.eventName, sales: "25.00", refunded: "0.00", net: "25.00", owed: "25.00", orders: 1, tickets: 2 }]);
      const rows = csvRecords((await getWith(server, `/api/clubs/${late.code}/finance.csv`, late.officer.token)).text);
      expect(rows.map((r) => [r.Kind, r["Transaction ID"], r.Amount, r.Status, r.Event])).toEqual([
        ["sale", `7000${late.clubId}`, "25.00", "paid", late.eventName],
        ["refund", `7000${late.clubId}`, "-25.00", "manual", late.eventName],
      ]);
    });

    it("lists both routes in the OpenAPI document", async () => {
      const doc = JSON.parse((await getWith(server, "/api/openapi.json")).text) as { paths: Record<string, unknown> };
      expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/api/clubs/{code}/finance/", "/api/clubs/{code}/finance.csv"]));
    });
  });
}
