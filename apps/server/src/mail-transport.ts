import type { MailTransport, TransportMessage } from "@admit/domain";
import nodemailer from "nodemailer";
import type { Config, SmtpSettings } from "./config.ts";

export type MailTransportKind = "smtp" | "development-mailbox";

/**
 * SMTP when SMTP_URL is set. Otherwise nodemailer's stream transport, which composes the full MIME message (so a
 * message that could not be built fails here just as it would over SMTP) and delivers nowhere: the sender keeps
 * the sent message in its outbox row, which the development mailbox reads (from any server process).
 */
export function createMailTransport(mail: Config["mail"]): { kind: MailTransportKind; transport: MailTransport } {
  if (!mail.smtp) {
    const transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
    return { kind: "development-mailbox", transport: { sendMail: (message) => transporter.sendMail(message) } };
  }
  const smtp = mail.smtp;
  const transporter = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    ...(smtp.auth ? { auth: smtp.auth } : {}),
    // Well inside the sender's lease, so a hung server costs one retry, never a duplicate.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  return {
    kind: "smtp",
    transport: {
      sendMail: async (message: TransportMessage) => {
        try {
          return await transporter.sendMail(message);
        } catch (error) {
          throw withoutCredentials(error, smtp);
        }
      },
    },
  };
}

/** The error as the sender will store and log it, with the SMTP password (plain or base64, as AUTH sends it) cut out. */
function withoutCredentials(error: unknown, smtp: SmtpSettings): unknown {
  if (!(error instanceof Error) || !smtp.auth?.pass) return error;
  const { user, pass } = smtp.auth;
  const secrets = [
    pass,
    encodeURIComponent(pass),
    Buffer.from(pass).toString("base64"),
    Buffer.from(`\u0000${user}\u0000${pass}`).toString("base64"),
  ].filter((s) => s.length >= 3);
  let message = error.message;
  for (const secret of secrets) message = message.split(secret).join("[redacted]");
  const clean = new Error(message);
  clean.name = error.name;
  const { code, responseCode } = error as { code?: unknown; responseCode?: unknown };
  Object.assign(clean, { code, responseCode });
  return clean;
}
