import { createServer, type Server, type Socket } from "node:net";

export { freePort } from "./free-port.ts";

export interface ReceivedMail {
  from: string;
  to: string[];
  /** The message as it came after DATA (headers and MIME body), dot-unstuffed. */
  raw: string;
}

/**
 * A small real SMTP server for tests (RFC 5321 essentials: EHLO/HELO, optional AUTH PLAIN, MAIL, RCPT, DATA, RSET,
 * NOOP, QUIT). Nodemailer talks to it over a real socket exactly as it would to a mail provider.
 */
export class SmtpReceiver {
  readonly received: ReceivedMail[] = [];
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();

  constructor(private readonly credentials?: { user: string; pass: string }) {}

  async listen(port: number): Promise<void> {
    const server = createServer((socket) => this.converse(socket));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => resolve());
    });
    this.server = server;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
  }

  private converse(socket: Socket) {
    this.sockets.add(socket);
    socket.on("close", () => this.sockets.delete(socket));
    socket.on("error", () => socket.destroy());
    socket.setEncoding("utf8");
    const reply = (line: string) => socket.write(`${line}\r\n`);
    let envelope: { from: string; to: string[] } | undefined;
    let authed = !this.credentials;
    let data: string[] | undefined;
    let buffer = "";

    const command = (line: string) => {
      const verb = line.slice(0, 4).toUpperCase();
      if (verb === "EHLO") {
        reply("250-smtp.test");
        if (this.credentials) reply("250-AUTH PLAIN");
        return reply("250 8BITMIME");
      }
      if (verb === "HELO") return reply("250 smtp.test");
      if (verb === "AUTH") {
        const [, mechanism, initial] = line.split(" ");
        const [, user, pass] = Buffer.from(initial ?? "", "base64").toString().split("\u0000");
        authed = mechanism?.toUpperCase() === "PLAIN" && user === this.credentials?.user && pass === this.credentials?.pass;
        return reply(authed ? "235 2.7.0 Authentication successful" : "535 5.7.8 Authentication credentials invalid");
      }
      if (verb === "MAIL") {
        if (!authed) return reply("530 5.7.0 Authentication required");
        envelope = { from: /<(.*)>/.exec(line)?.[1] ?? "", to: [] };
        return reply("250 2.1.0 OK");
      }
      if (verb === "RCPT") {
        if (!envelope) return reply("503 5.5.1 MAIL first");
        envelope.to.push(/<(.*)>/.exec(line)?.[1] ?? "");
        return reply("250 2.1.5 OK");
      }
      if (verb === "DATA") {
        if (!envelope?.to.length) return reply("503 5.5.1 RCPT first");
        data = [];
        return reply("354 End data with <CR><LF>.<CR><LF>");
      }
      if (verb === "RSET") {
        envelope = undefined;
        return reply("250 2.0.0 OK");
      }
      if (verb === "NOOP") return reply("250 2.0.0 OK");
      if (verb === "QUIT") {
        reply("221 2.0.0 Bye");
        return socket.end();
      }
      return reply("502 5.5.2 Command not recognized");
    };

    socket.on("data", (chunk: string) => {
      buffer += chunk;
      let end: number;
      while ((end = buffer.indexOf("\r\n")) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (!data) {
          command(line);
        } else if (line === ".") {
          this.received.push({ from: envelope!.from, to: envelope!.to, raw: data.join("\r\n") });
          data = undefined;
          envelope = undefined;
          reply("250 2.0.0 OK queued");
        } else {
          data.push(line.startsWith("..") ? line.slice(1) : line);
        }
      }
    });
    reply("220 smtp.test ESMTP ready");
  }
}


export interface MimePart {
  headers: string;
  contentType: string;
  contentId: string | undefined;
  content: Buffer;
}

/** The leaf parts of a received message, bodies decoded (base64 or quoted-printable): enough MIME for assertions. */
export function mimeParts(raw: string): MimePart[] {
  const parts: MimePart[] = [];
  for (const part of raw.split(/\r\n--[^\r\n]+/)) {
    const split = part.indexOf("\r\n\r\n");
    if (split < 0) continue;
    const headers = part.slice(0, split).replace(/\r\n[ \t]+/g, " ");
    const contentType = /^Content-Type: ([^;\r\n]+)/im.exec(headers)?.[1]?.toLowerCase() ?? "text/plain";
    if (contentType.startsWith("multipart/")) continue;
    const encoding = /^Content-Transfer-Encoding: (\S+)/im.exec(headers)?.[1]?.toLowerCase();
    const body = part.slice(split + 4);
    const content =
      encoding === "base64"
        ? Buffer.from(body.replace(/\s+/g, ""), "base64")
        : encoding === "quoted-printable"
          ? Buffer.from(
              body.replace(/=\r\n/g, "").replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
              "latin1",
            )
          : Buffer.from(body);
    parts.push({ headers, contentType, contentId: /^Content-ID: <([^>]*)>/im.exec(headers)?.[1], content });
  }
  return parts;
}
