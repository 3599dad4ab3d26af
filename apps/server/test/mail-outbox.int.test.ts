import { randomUUID } from "node:crypto";
import { createClub, createEvent, createShowing, createTickets, createUser } from "@admit/db/factories";
import { enqueueMail, renderEmail } from "@admit/domain";
import jsQR from "jsqr";
import { PNG } from "pngjs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { eventually, isolatedBackends } from "../../../packages/domain/test/mail-helpers.ts";
import { startTestServer, trpc, type TestServer } from "./harness.ts";
import { freePort, mimeParts, SmtpReceiver } from "./mail-smtp-receiver.ts";

const SECOND = 1000;

function decodeQr(png: Buffer): string | undefined {
  const image = PNG.sync.read(png);
  return jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data;
}

/** A ticket bought in one transaction that also queues its confirmation with the QR code inline, as checkout does. */
async function buyTicketWithConfirmation(server: TestServer, buyer: { id: string; email: string }) {
  const prisma = server.db.prisma;
  const club = await createClub(prisma);
  const event = await createEvent(prisma, club.id);
  const showing = await createShowing(prisma, event.id);
  await createTickets(prisma, showing.id, { type: "General", count: 1, price: "15.00" });
  const ticket = await prisma.ticket.findFirstOrThrow({ where: { showingId: showing.id } });
  const cid = `qr-${ticket.id}`;
  await prisma.$transaction(async (tx) => {
    await tx.ticket.update({ where: { id: ticket.id }, data: { ownerId: buyer.id, amountPaid: "15.00" } });
    const { text, html } = renderEmail({
      title: `Your ticket to ${event.name}`,
      paragraphs: ["Show the QR code below at the door."],
      images: [{ cid, alt: "Your ticket's QR code" }],
    });
    await enqueueMail(tx, [
      {
        to: buyer.email,
        subject: `Your ticket to ${event.name}`,
        text,
        html,
        attachments: [{ filename: `ticket-${ticket.id}.png`, qrTicketId: ticket.id, cid }],
        dedupeKey: `confirmation:${ticket.id}`,
      },
    ]);
  });
  return { ticket, cid };
}

for (const backend of isolatedBackends()) {
  describe(`e-mail over SMTP (${backend.kind})`, () => {
    let server: TestServer;
    let smtpPort: number;
    let receiver: SmtpReceiver | undefined;

    beforeAll(async () => {
      smtpPort = await freePort();
      server = await startTestServer(backend, { SMTP_URL: `smtp://127.0.0.1:${smtpPort}` });
    });
    afterAll(async () => server?.close());
    afterEach(async () => {
      await receiver?.close();
      receiver = undefined;
    });

    it("with the SMTP server down at purchase time, the order stands and the confirmation goes out once it is back", async () => {
      const buyer = await createUser(server.db.prisma);
      const { ticket, cid } = await buyTicketWithConfirmation(server, buyer);
      const sender = server.runtime.mailSender;

      expect(await sender.sendDue()).toEqual({ sent: 0, retrying: 1, failed: 0 });
      const owned = await server.db.prisma.ticket.findUniqueOrThrow({ where: { id: ticket.id } });
      expect(owned.ownerId).toBe(buyer.id);
      let row = await server.db.prisma.outgoingEmail.findFirstOrThrow({ where: { toAddress: buyer.email } });
      expect(row).toMatchObject({ status: "PENDING", attempts: 1 });
      expect(row.lastError).toMatch(/ECONNREFUSED/);
      expect(row.nextAttemptAt).toEqual(new Date(server.clock.now().getTime() + 30 * SECOND));

      receiver = new SmtpReceiver();
      await receiver.listen(smtpPort);
      expect(await sender.sendDue()).toEqual({ sent: 0, retrying: 0, failed: 0 }); // up again, but not due yet
      server.clock.advance(30 * SECOND);
      expect(await sender.sendDue()).toEqual({ sent: 1, retrying: 0, failed: 0 });
      expect(await sender.sendDue()).toEqual({ sent: 0, retrying: 0, failed: 0 });

      expect(receiver.received).toHaveLength(1);
      const [mail] = receiver.received;
      expect(mail!.from).toBe("tickets@localhost");
      expect(mail!.to).toEqual([buyer.email]);
      expect(mail!.raw).toMatch(/^From: Admit <tickets@localhost>$/m);
      expect(mail!.raw).toMatch(/^Content-Type: multipart\/related/m);
      const parts = mimeParts(mail!.raw);
      const html = parts.find((p) => p.contentType === "text/html");
      expect(html?.content.toString("utf8")).toContain(`<img src="cid:${cid}"`);
      const qr = parts.find((p) => p.contentId === cid);
      expect(qr?.contentType).toBe("image/png");
      expect(decodeQr(qr!.content)).toBe(await server.runtime.services.tickets.qrCode(ticket.id));

      row = await server.db.prisma.outgoingEmail.findUniqueOrThrow({ where: { id: row.id } });
      expect(row).toMatchObject({ status: "SENT", attempts: 2, lastError: null, sentAt: server.clock.now() });
    });

    it("does not queue the same confirmation twice for one dedupe key", async () => {
      const buyer = await createUser(server.db.prisma);
      const { ticket } = await buyTicketWithConfirmation(server, buyer);
      await enqueueMail(server.db.prisma, [
        { to: buyer.email, subject: "again", text: "again", dedupeKey: `confirmation:${ticket.id}` },
      ]);
      expect(await server.db.prisma.outgoingEmail.count({ where: { toAddress: buyer.email } })).toBe(1);
    });

    it("wakes the running sender after a successful request, without waiting for the next tick", async () => {
      receiver = new SmtpReceiver();
      await receiver.listen(smtpPort);
      const sender = server.runtime.mailSender;
      // Clear what earlier tests left due, then run the loop with a tick far longer than this test.
      server.clock.advance(3600 * SECOND);
      await sender.sendDue();
      sender.start(3_600_000);
      try {
        await new Promise((resolve) => setTimeout(resolve, 100));
        const buyer = await createUser(server.db.prisma);
        await enqueueMail(server.db.prisma, [{ to: buyer.email, subject: "nudged", text: "hello" }]);
        await new Promise((resolve) => setTimeout(resolve, 100));
        expect(receiver.received.filter((m) => m.to.includes(buyer.email))).toHaveLength(0);

        const account = await server.createAccount();
        await server.tokenFor(account.username); // any successful POST
        await eventually(() => receiver!.received.some((m) => m.to.includes(buyer.email)));
      } finally {
        await sender.stop();
      }
    });

    it("keeps the development mailbox off (404) while SMTP is configured", async () => {
      const account = await server.createAccount();
      const token = await server.tokenFor(account.username);
      const list = await trpc(server, "mailbox.list", { token });
      expect(list.status).toBe(404);
      expect(list.error?.message).toBe("The development mailbox is off because SMTP is configured.");
      const res = await fetch(`${server.url}/api/dev/mailbox/${randomUUID()}/attachments/0`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { message: string } }).error.message).toBe(
        "The development mailbox is off because SMTP is configured.",
      );
    });
  });
}

describe("SMTP credentials", () => {
  it("signs in with the password from SMTP_URL and never stores or logs it when the server refuses it", async () => {
    const [backend] = isolatedBackends();
    const port = await freePort();
    const receiver = new SmtpReceiver({ user: "admit", pass: "s3cret Pa55/word" });
    await receiver.listen(port);
    const wrong = await startTestServer(backend!, { SMTP_URL: `smtp://admit:wr0ng%20Pa55word@127.0.0.1:${port}` });
    try {
      await enqueueMail(wrong.db.prisma, [{ to: "a@example.edu", subject: "hi", text: "hi" }]);
      expect(await wrong.runtime.mailSender.sendDue()).toEqual({ sent: 0, retrying: 1, failed: 0 });
      const row = await wrong.db.prisma.outgoingEmail.findFirstOrThrow();
      expect(row.lastError).toMatch(/535/);
      for (const secret of ["wr0ng Pa55word", "wr0ng%20Pa55word", Buffer.from("\u0000admit\u0000wr0ng Pa55word").toString("base64")]) {
        expect(row.lastError).not.toContain(secret);
      }
    } finally {
      await wrong.close();
    }

    const right = await startTestServer(backend!, { SMTP_URL: `smtp://admit:s3cret%20Pa55%2Fword@127.0.0.1:${port}` });
    try {
      await enqueueMail(right.db.prisma, [{ to: "b@example.edu", subject: "hello", text: "hello" }]);
      expect(await right.runtime.mailSender.sendDue()).toEqual({ sent: 1, retrying: 0, failed: 0 });
      expect(receiver.received.map((m) => m.to)).toEqual([["b@example.edu"]]);
    } finally {
      await right.close();
      await receiver.close();
    }
  });
});
