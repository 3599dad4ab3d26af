import { randomUUID } from "node:crypto";
import { createClub, createEvent, createShowing, createTickets } from "@admit/db/factories";
import { enqueueMail, renderEmail, type OutgoingMessage } from "@admit/domain";
import jsQR from "jsqr";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isolatedBackends } from "../../../packages/domain/test/mail-helpers.ts";
import { startTestServer, trpc, type TestServer } from "./harness.ts";

interface Summary {
  id: string;
  to: string;
  subject: string;
  sentAt: string;
  attachmentCount: number;
}

interface Message extends Summary {
  text: string;
  html: string | null;
  previewHtml: string | null;
  attachments: Array<{ index: number; filename: string; contentType: string; cid: string | null; path: string }>;
}

for (const backend of isolatedBackends()) {
  describe(`the development mailbox, with no SMTP server configured (${backend.kind})`, () => {
    let server: TestServer;
    let alice: { id: string; email: string; token: string };
    let bob: { id: string; email: string; token: string };
    let admin: { id: string; email: string; token: string };
    let ticketId: string;

    const person = async (isSiteAdmin = false) => {
      const account = await server.createAccount();
      if (isSiteAdmin) await server.db.prisma.user.update({ where: { id: account.id }, data: { isSiteAdmin } });
      const { email } = await server.db.prisma.user.findUniqueOrThrow({ where: { id: account.id } });
      return { id: account.id, email, token: await server.tokenFor(account.username) };
    };

    const mail = (to: string, subject: string, extra: Partial<OutgoingMessage> = {}): OutgoingMessage => ({
      to,
      subject,
      ...renderEmail({ title: subject, paragraphs: ["Hello."] }),
      ...extra,
    });

    beforeAll(async () => {
      server = await startTestServer(backend);
      [alice, bob, admin] = [await person(), await person(), await person(true)];
      const club = await createClub(server.db.prisma);
      const showing = await createShowing(server.db.prisma, (await createEvent(server.db.prisma, club.id)).id);
      await createTickets(server.db.prisma, showing.id, { type: "General", count: 1 });
      ticketId = (await server.db.prisma.ticket.findFirstOrThrow({ where: { showingId: showing.id } })).id;
      await server.db.prisma.ticket.update({ where: { id: ticketId }, data: { ownerId: alice.id } });

      const cid = `qr-${ticketId}`;
      const ticketMail = renderEmail({ title: "Your ticket", paragraphs: ["See you there."], images: [{ cid, alt: "QR" }] });
      await enqueueMail(server.db.prisma, [
        mail(alice.email, "Your ticket", {
          ...ticketMail,
          attachments: [{ filename: "ticket.png", qrTicketId: ticketId, cid }],
        }),
        mail(bob.email, "Bob's receipt"),
      ]);
      expect(await server.runtime.mailSender.sendDue()).toEqual({ sent: 2, retrying: 0, failed: 0 });
      // Queued but not delivered yet: not in anyone's mailbox.
      await enqueueMail(server.db.prisma, [mail(alice.email, "Still queued")]);
    });
    afterAll(async () => server?.close());

    it("shows people the messages sent to their own address, and site admins every message", async () => {
      const own = (await trpc(server, "mailbox.list", { token: alice.token })).data as Summary[];
      expect(own.map((m) => [m.to, m.subject, m.attachmentCount])).toEqual([[alice.email, "Your ticket", 1]]);
      expect(own[0]!.sentAt).toBe(server.clock.now().toISOString());

      const bobs = (await trpc(server, "mailbox.list", { token: bob.token })).data as Summary[];
      expect(bobs.map((m) => m.subject)).toEqual(["Bob's receipt"]);

      const all = (await trpc(server, "mailbox.list", { token: admin.token })).data as Summary[];
      expect(all.map((m) => m.subject).sort()).toEqual(["Bob's receipt", "Your ticket"]);
    });

    it("opens one's own message with its HTML pointing at the QR code exactly as it was sent", async () => {
      const [summary] = (await trpc(server, "mailbox.list", { token: alice.token })).data as Summary[];
      const opened = await trpc(server, "mailbox.get", { token: alice.token, input: { id: summary!.id } });
      expect(opened.status).toBe(200);
      const message = opened.data as Message;
      const path = `/api/dev/mailbox/${summary!.id}/attachments/0`;
      expect(message.attachments).toEqual([
        { index: 0, filename: "ticket.png", contentType: "image/png", cid: `qr-${ticketId}`, path },
      ]);
      expect(message.html).toContain(`src="cid:qr-${ticketId}"`);
      expect(message.previewHtml).toContain(`src="${path}"`);
      expect(message.text).toContain("See you there.");

      const image = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${alice.token}` } });
      expect(image.status).toBe(200);
      expect(image.headers.get("content-type")).toBe("image/png");
      expect(image.headers.get("x-content-type-options")).toBe("nosniff");
      const png = PNG.sync.read(Buffer.from(await image.arrayBuffer()));
      expect(jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data).toBe(await server.runtime.services.tickets.qrCode(ticketId));

      const asAdmin = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${admin.token}` } });
      expect(asAdmin.status).toBe(200);
    });

    it("hides other people's messages and attachments as not found, and asks strangers to sign in", async () => {
      const [alicesMessage] = (await trpc(server, "mailbox.list", { token: alice.token })).data as Summary[];
      const peek = await trpc(server, "mailbox.get", { token: bob.token, input: { id: alicesMessage!.id } });
      expect(peek.status).toBe(404);
      expect(peek.error?.data.appCode).toBe("NOT_FOUND");

      const path = `${server.url}/api/dev/mailbox/${alicesMessage!.id}/attachments/0`;
      const asBob = await fetch(path, { headers: { authorization: `Bearer ${bob.token}` } });
      expect(asBob.status).toBe(404);
      const anonymous = await fetch(path);
      expect(anonymous.status).toBe(401);
      expect(((await anonymous.json()) as { error: { code: string } }).error.code).toBe("UNAUTHENTICATED");
      expect((await trpc(server, "mailbox.list", {})).status).toBe(401);
    });

    it("answers bad ids and indexes with 4xx and a message", async () => {
      const [summary] = (await trpc(server, "mailbox.list", { token: alice.token })).data as Summary[];
      const auth = { headers: { authorization: `Bearer ${alice.token}` } };
      const cases: Array<[string, number]> = [
        [`/api/dev/mailbox/${summary!.id}/attachments/1`, 404],
        [`/api/dev/mailbox/${summary!.id}/attachments/-1`, 400],
        [`/api/dev/mailbox/${summary!.id}/attachments/x`, 400],
        [`/api/dev/mailbox/not-a-uuid/attachments/0`, 400],
        [`/api/dev/mailbox/${randomUUID()}/attachments/0`, 404],
      ];
      for (const [path, status] of cases) {
        const res = await fetch(`${server.url}${path}`, auth);
        expect([path, res.status]).toEqual([path, status]);
        expect(((await res.json()) as { error: { message: string } }).error.message).toEqual(expect.any(String));
      }
      expect((await trpc(server, "mailbox.get", { token: alice.token, input: { id: "nope" } })).status).toBe(400);
      expect((await trpc(server, "mailbox.list", { token: alice.token, input: { limit: 0 } })).status).toBe(400);
    });
  });
}

describe("QR codes in e-mail follow the ticket", () => {
  it("gives up messages for unknown tickets or tickets that changed hands, and never sends another owner's code", async () => {
    const [backend] = isolatedBackends();
    const server = await startTestServer(backend!);
    try {
      const club = await createClub(server.db.prisma);
      const showing = await createShowing(server.db.prisma, (await createEvent(server.db.prisma, club.id)).id);
      const [ticket] = await createTickets(server.db.prisma, showing.id, { type: "General", count: 1 });
      const owner = await server.createAccount();
      await server.db.prisma.ticket.update({ where: { id: ticket!.id }, data: { ownerId: owner.id } });
      await enqueueMail(server.db.prisma, [
        { to: "x@example.edu", subject: "unknown", text: "t", attachments: [{ filename: "q.png", qrTicketId: randomUUID() }] },
        { to: "y@example.edu", subject: "not theirs", text: "t", attachments: [{ filename: "q.png", qrTicketId: ticket!.id }] },
        { to: `${owner.username}@example.edu`, subject: "owner", text: "t", attachments: [{ filename: "q.png", qrTicketId: ticket!.id }] },
      ]);
      expect(await server.runtime.mailSender.sendDue()).toEqual({ sent: 1, retrying: 0, failed: 2 });
      const rows = await server.db.prisma.outgoingEmail.findMany({ orderBy: { subject: "asc" } });
      expect(rows.map((r) => [r.subject, r.status])).toEqual([
        ["not theirs", "FAILED"],
        ["owner", "SENT"],
        ["unknown", "FAILED"],
      ]);
    } finally {
      await server.close();
    }
  });
});
