import type { Database } from "@admit/db";
import { unique } from "@admit/db/factories";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ManualClock } from "../src/clock.ts";
import { DomainError } from "../src/errors.ts";
import { enqueueMail, type OutgoingMessage } from "../src/mail/outbox.ts";
import { MailSender, retryDelayMs, type MailSenderOptions } from "../src/mail/sender.ts";
import { eventually, isolatedBackends, RecordingTransport } from "./mail-helpers.ts";

const SECOND = 1000;
const PNG_1X1 = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);

describe("retry delays", () => {
  it("start at 30 seconds, double, and stop growing at an hour", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 20].map((n) => retryDelayMs(n) / SECOND)).toEqual([
      30, 60, 120, 240, 480, 960, 1920, 3600, 3600,
    ]);
  });
});

for (const backend of isolatedBackends()) {
  describe(`the outbox sender (${backend.kind})`, () => {
    let db: Database;
    let clock: ManualClock;
    let transport: RecordingTransport;
    const rendered: Array<[string, string]> = [];

    const newSender = (extra: Partial<MailSenderOptions> = {}) =>
      new MailSender({
        prisma: db.prisma,
        clock,
        transport,
        from: "Admit <tickets@admit.test>",
        renderQr: async (ticketId, { to }) => {
          rendered.push([ticketId, to]);
          return Buffer.concat([PNG_1X1, Buffer.from(ticketId)]);
        },
        ...extra,
      });

    const queue = async (overrides: Partial<OutgoingMessage> = {}) => {
      const message: OutgoingMessage = {
        to: `${unique("student")}@example.edu`,
        subject: unique("Your ticket "),
        text: "Here is your ticket.",
        html: '<p>Here is your ticket.</p><img src="cid:qr-1"/>',
        ...overrides,
      };
      await enqueueMail(db.prisma, [message]);
      return db.prisma.outgoingEmail.findFirstOrThrow({ where: { toAddress: message.to, subject: message.subject } });
    };

    beforeAll(async () => {
      db = await backend.open();
    });
    afterAll(async () => db?.close());
    beforeEach(async () => {
      // This database belongs to this file alone: each test starts with an empty outbox.
      await db.prisma.outgoingEmail.deleteMany();
      clock = new ManualClock(new Date("2026-11-27T12:00:00Z"));
      transport = new RecordingTransport();
      rendered.length = 0;
    });

    it("sends a queued message with its inline file and the ticket's QR code drawn at send time, then marks it sent", async () => {
      const row = await queue({
        attachments: [
          { filename: "logo.png", contentType: "image/png", contentBase64: PNG_1X1.toString("base64"), cid: "logo" },
          { filename: "ticket.png", qrTicketId: "7d1f0c9e-0000-4000-8000-000000000001", cid: "qr-1" },
        ],
      });
      expect(rendered).toEqual([]);

      expect(await newSender().sendDue()).toEqual({ sent: 1, retrying: 0, failed: 0 });

      expect(rendered).toEqual([["7d1f0c9e-0000-4000-8000-000000000001", row.toAddress]]);
      expect(transport.delivered).toHaveLength(1);
      const [sent] = transport.delivered;
      expect(sent).toMatchObject({ from: "Admit <tickets@admit.test>", to: row.toAddress, subject: row.subject });
      expect(sent!.messageId).toBe(`<${row.id}@admit.test>`);
      expect(sent!.attachments.map((a) => [a.filename, a.contentType, a.cid])).toEqual([
        ["logo.png", "image/png", "logo"],
        ["ticket.png", "image/png", "qr-1"],
      ]);
      expect(sent!.attachments[0]!.content.equals(PNG_1X1)).toBe(true);
      expect(sent!.attachments[1]!.content.subarray(PNG_1X1.length).toString()).toBe("7d1f0c9e-0000-4000-8000-000000000001");

      const after = await db.prisma.outgoingEmail.findUniqueOrThrow({ where: { id: row.id } });
      expect(after).toMatchObject({ status: "SENT", attempts: 1, lastError: null, sentAt: clock.now() });
      // Without the development mailbox the stored row keeps the reference, never a working QR code.
      expect(after.attachments).toEqual(row.attachments);
      expect(await newSender().sendDue()).toEqual({ sent: 0, retrying: 0, failed: 0 });
      expect(transport.delivered).toHaveLength(1);
    });

    it("keeps what was sent, QR code included, when asked to (the development mailbox)", async () => {
      const row = await queue({ attachments: [{ filename: "t.png", qrTicketId: "ticket-a", cid: "qr" }] });
      await newSender({ keepSentAttachments: true }).sendDue();
      const after = await db.prisma.outgoingEmail.findUniqueOrThrow({ where: { id: row.id } });
      expect(after.attachments).toEqual([
        {
          filename: "t.png",
          contentType: "image/png",
          contentBase64: Buffer.concat([PNG_1X1, Buffer.from("ticket-a")]).toString("base64"),
          cid: "qr",
        },
      ]);
    });

    it("when the mail server is down, keeps the message and retries with a doubling delay until it goes through once", async () => {
      const row = await queue();
      const sender = newSender();
      transport.failWith = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:2525"), { code: "ESOCKET" });

      expect(await sender.sendDue()).toEqual({ sent: 0, retrying: 1, failed: 0 });
      let stored = await db.prisma.outgoingEmail.findUniqueOrThrow({ where: { id: row.id } });
      expect(stored).toMatchObject({ status: "PENDING", attempts: 1, lastError: "connect ECONNREFUSED 127.0.0.1:2525" });
      expect(stored.nextAttemptAt).toEqual(new Date(clock.now().getTime() + 30 * SECOND));

      // Not due yet: nothing is tried before the delay is over.
      clock.advance(29 * SECOND);
      expect(await sender.sendDue()).toEqual({ sent: 0, retrying: 0, failed: 0 });

      clock.advance(1 * SECOND);
      expect(await sender.sendDue()).toEqual({ sent: 0, retrying: 1, failed: 0 });
      stored = await db.prisma.outgoingEmail.findUniqueOrThrow({ where: { id: row.id } });
      expect(stored.attempts).toBe(2);
      expect(stored.nextAttemptAt).toEqual(new Date(clock.now().getTime() + 60 * SECOND));

      transport.failWith = undefined;
      clock.advance(60 * SECOND);
      expect(await sender.sendDue()).toEqual({ sent: 1, retrying: 0, failed: 0 });
      expect(await sender.sendDue()).toEqual({ sent: 0, retrying: 0, failed: 0 });
      expect(transport.delivered.map((m) => m.subject)).toEqual([row.subject]);
      stored = await db.prisma.outgoingEmail.findUniqueOrThrow({ where: { id: row.id } });
      expect(stored).toMatchObject({ status: "SENT", attempts: 3, lastError: null, sentAt: clock.now() });
    });

    it("gives up (FAILED) after the last allowed attempt", async () => {
      const row = await queue();
      const sender = newSender({ maxAttempts: 3 });
      transport.failWith = new Error("451 try later");
      for (const delay of [0, 30, 60]) {
        clock.advance(delay * SECOND);
        await sender.sendDue();
      }
      const stored = await db.prisma.outgoingEmail.findUniqueOrThrow({ where: { id: row.id } });
      expect(stored).toMatchObject({ status: "FAILED", attempts: 3 });
      clock.advance(3600 * SECOND);
      transport.failWith = undefined;
      expect(await sender.sendDue()).toEqual({ sent: 0, retrying: 0, failed: 0 });
      expect(transport.delivered).toHaveLength(0);
    });

    it("gives up at once on failures no retry can fix: an unknown or resold ticket, an address the server refuses, unreadable attachments", async () => {
      const unknownTicket = await queue({ attachments: [{ filename: "t.png", qrTicketId: "gone", cid: "qr" }] });
      const resold = await queue({ attachments: [{ filename: "t.png", qrTicketId: "resold", cid: "qr" }] });
      const refused = await queue({ to: "nobody@example.edu" });
      const unreadable = await queue();
      await db.prisma.outgoingEmail.update({ where: { id: unreadable.id }, data: { attachments: [{ nonsense: true }] } });

      const sender = newSender({
        renderQr: async (ticketId) => {
          if (ticketId === "resold") throw new DomainError("CONFLICT", "This ticket has changed hands.");
          throw new DomainError("NOT_FOUND", "Ticket was not found.");
        },
        transport: {
          sendMail: async (message) => {
            if (message.to === "nobody@example.edu") {
              throw Object.assign(new Error("Recipient rejected: 550 no such user"), { code: "EENVELOPE", responseCode: 550 });
            }
            return transport.sendMail(message);
          },
        },
      });
      expect(await sender.sendDue()).toEqual({ sent: 0, retrying: 0, failed: 4 });
      const rows = await db.prisma.outgoingEmail.findMany({
        where: { id: { in: [unknownTicket.id, resold.id, refused.id, unreadable.id] } },
      });
      expect(rows.map((r) => [r.id, r.status, r.attempts]).sort()).toEqual(
        [
          [unknownTicket.id, "FAILED", 1],
          [resold.id, "FAILED", 1],
          [refused.id, "FAILED", 1],
          [unreadable.id, "FAILED", 1],
        ].sort(),
      );
      expect(rows.find((r) => r.id === unknownTicket.id)!.lastError).toBe("DomainError: Ticket was not found.");
    });

    it("queues nothing when the transaction rolls back, and one message per dedupe key", async () => {
      const to = `${unique("student")}@example.edu`;
      await expect(
        db.prisma.$transaction(async (tx) => {
          await enqueueMail(tx, [{ to, subject: "rolled back", text: "never" }]);
          throw new Error("the order failed");
        }),
      ).rejects.toThrow("the order failed");
      expect(await db.prisma.outgoingEmail.count({ where: { toAddress: to } })).toBe(0);

      const dedupeKey = unique("confirmation:");
      await enqueueMail(db.prisma, [{ to, subject: "first", text: "a", dedupeKey }]);
      await db.prisma.$transaction(async (tx) => {
        await enqueueMail(tx, [
          { to, subject: "again", text: "b", dedupeKey },
          { to, subject: "other", text: "c" },
        ]);
      });
      expect(await newSender().sendDue()).toEqual({ sent: 2, retrying: 0, failed: 0 });
      expect(transport.delivered.map((m) => m.subject).sort()).toEqual(["first", "other"]);
    });

    it("sends new mail at once even when its queued time is ahead of the sender's clock", async () => {
      const row = await queue();
      clock.set(new Date("2020-01-01T00:00:00Z"));
      expect(await newSender().sendDue()).toEqual({ sent: 1, retrying: 0, failed: 0 });
      expect((await db.prisma.outgoingEmail.findUniqueOrThrow({ where: { id: row.id } })).status).toBe("SENT");
    });

    it("leaves a claimed message to its holder until the lease runs out, then another sender takes it over", async () => {
      const row = await queue();
      let release!: () => void;
      const stuck = new RecordingTransport();
      stuck.gate = new Promise((resolve) => (release = resolve));
      const dying = newSender({ transport: stuck, leaseMs: 60 * SECOND });
      const dyingRun = dying.sendDue();
      await eventually(async () => (await db.prisma.outgoingEmail.findUniqueOrThrow({ where: { id: row.id } })).attempts === 1);

      const healthy = newSender({ leaseMs: 60 * SECOND });
      expect(await healthy.sendDue()).toEqual({ sent: 0, retrying: 0, failed: 0 });
      clock.advance(60 * SECOND);
      expect(await healthy.sendDue()).toEqual({ sent: 1, retrying: 0, failed: 0 });
      const sentAt = clock.now();

      // The first holder finally finishes; its stale claim must not overwrite the new holder's record.
      clock.advance(5 * SECOND);
      release();
      await dyingRun;
      const stored = await db.prisma.outgoingEmail.findUniqueOrThrow({ where: { id: row.id } });
      expect(stored).toMatchObject({ status: "SENT", attempts: 2, sentAt });
      expect(transport.delivered).toHaveLength(1);
    });

    it("several senders at once deliver every message exactly once", async () => {
      const subjects = Array.from({ length: 60 }, (_, i) => `message ${i}`);
      await enqueueMail(
        db.prisma,
        subjects.map((subject) => ({ to: `${unique("s")}@example.edu`, subject, text: subject })),
      );
      const transports = Array.from({ length: 4 }, () => Object.assign(new RecordingTransport(), { delayMs: 2 }));
      const senders = transports.map((t) => newSender({ transport: t, batchSize: 3 }));
      const counts = await Promise.all(senders.map((s) => s.sendDue()));

      const delivered = transports.flatMap((t) => t.delivered.map((m) => m.subject));
      expect(delivered.sort()).toEqual([...subjects].sort());
      expect(counts.reduce((sum, c) => sum + c.sent, 0)).toBe(60);
      expect(await db.prisma.outgoingEmail.count({ where: { status: "SENT", attempts: 1 } })).toBe(60);
      if (backend.kind === "postgresql") {
        // On a real server the senders really overlapped: more than one of them did some of the work.
        expect(transports.filter((t) => t.delivered.length > 0).length).toBeGreaterThan(1);
      }
    });

    it("holds back while the process is busy serving people, sends in the first lull, and never waits past its limit", async () => {
      // Busy for the first three looks; what had been delivered at each busy look must be nothing.
      const deliveredWhileBusy: number[] = [];
      const patient = newSender({
        isBusy: () => {
          if (deliveredWhileBusy.length === 3) return false;
          deliveredWhileBusy.push(transport.delivered.length);
          return true;
        },
        maxDeferMs: 60_000,
      });
      await queue();
      expect(await patient.sendDue()).toEqual({ sent: 1, retrying: 0, failed: 0 });
      expect(deliveredWhileBusy).toEqual([0, 0, 0]);

      // Always busy: it still sends once its limit is up (a sender that waited forever would never return).
      await queue();
      let looks = 0;
      const hurried = newSender({ isBusy: () => (looks++, true), maxDeferMs: 200 });
      expect(await hurried.sendDue()).toEqual({ sent: 1, retrying: 0, failed: 0 });
      expect(looks).toBeGreaterThan(1);
      expect(transport.delivered).toHaveLength(2);
    });

    it("runs in the background once started: a nudge sends at once, and stop waits for the run in progress", async () => {
      const sender = newSender();
      const early = await queue();
      sender.nudge(); // not started: a nudge alone sends nothing
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(transport.delivered).toHaveLength(0);

      sender.start(3_600_000);
      try {
        await eventually(() => transport.delivered.length === 1);
        const later = await queue();
        sender.nudge();
        await eventually(() => transport.delivered.length === 2);
        expect(transport.delivered.map((m) => m.subject)).toEqual([early.subject, later.subject]);
      } finally {
        await sender.stop();
      }
      const afterStop = await queue();
      sender.nudge();
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(transport.delivered.map((m) => m.subject)).not.toContain(afterStop.subject);
    });
  });
}
