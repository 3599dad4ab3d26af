import { createAuth, EMAIL_VERIFICATION_HOURS, PASSWORD_RESET_MINUTES, type Auth, type AuthLogger, type CampusDiscoveryTiming } from "@admit/auth";
import { buildPaymentFields } from "@admit/cybersource";
import { applyMigrations, openDatabase, type Database } from "@admit/db";
import { AccountMail, createServices, MailSender, systemClock, type Clock, type MailSenderLogger, type MailSenderOptions, type Services } from "@admit/domain";
import type { Config } from "./config.ts";
import { createMailTransport } from "./mail-transport.ts";
import { storedSecret } from "./secrets.ts";

/** Everything a server process runs on: the database, the services and authentication. */
export interface Runtime {
  config: Config;
  db: Database;
  services: Services;
  auth: Auth;
  clock: Clock;
  /** Sends the e-mail outbox; main.ts runs its loop, tests call `sendDue()` themselves. */
  mailSender: MailSender;
  /** Requests this process is serving right now (kept by the HTTP layer); only paces background work. */
  load: { inFlight: number };
}

/** With this many requests in flight the outbox sender waits for a lull (see MailSender's isBusy). */
const BUSY_REQUESTS = 4;

export interface RuntimeOptions {
  /** A ticket's current QR code as a PNG for a message to `to`; defaults to the tickets service's signed code. */
  renderQr?: MailSenderOptions["renderQr"];
  logger?: MailSenderLogger;
  /** Campus sign-in problems and the auth library's messages (the console when unset). */
  authLogger?: AuthLogger;
  /** How campus discovery is retried while the provider is down (tests shorten the waits). */
  campusDiscovery?: Partial<CampusDiscoveryTiming>;
}

export async function openRuntimeDatabase(config: Config): Promise<Database> {
  const db = await openDatabase(
    config.databaseUrl
      ? {
          url: config.databaseUrl,
          listenUrl: config.databaseListenUrl,
          poolSize: config.databasePoolSize,
          preparedStatements: config.databasePreparedStatements,
        }
      : { dataDir: `${config.dataDir}/pglite` },
  );
  await applyMigrations(db);
  return db;
}

/** Builds services and auth over an open, migrated database (tests pass their own database and clock). */
export async function createRuntime(
  config: Config,
  db: Database,
  clock: Clock = systemClock,
  options: RuntimeOptions = {},
): Promise<Runtime> {
  const developmentMailbox = !config.mail.smtp;
  const services = createServices(
    { prisma: db.prisma, clock, siteTimeZone: config.timeZone },
    {
      publicUrl: config.publicUrl,
      developmentMailbox,
      checkoutHoldMinutes: config.checkoutHoldMinutes,
      ...(config.qrSigningKeys ? { qrSigningKeys: config.qrSigningKeys } : {}),
      paymentPage: {
        url: config.cybersource.profile.url,
        sign: (request) => buildPaymentFields(config.cybersource.profile, request),
      },
      cybersource: config.cybersource,
    },
  );
  const secret = config.authSecret ?? (await storedSecret(db.prisma, "auth.secret"));
  const accountMail = new AccountMail(
    { prisma: db.prisma, clock },
    { publicUrl: config.publicUrl, passwordResetMinutes: PASSWORD_RESET_MINUTES, emailVerificationHours: EMAIL_VERIFICATION_HOURS },
  );
  const auth = createAuth({
    prisma: db.prisma,
    baseURL: config.publicUrl,
    secret,
    oidc: config.oidc,
    logger: options.authLogger,
    campusDiscovery: options.campusDiscovery,
    signInRateLimit: config.signInRateLimit,
    // Written before the auth endpoint answers; the HTTP layer wakes the sender after every successful POST.
    mail: {
      passwordReset: (user, token) => accountMail.passwordReset(user, token),
      emailVerification: (user, token) => accountMail.emailVerification(user, token),
    },
  });
  // Discovery is tried once before the server listens (bounded by its timeout), so a provider that is down is said
  // in the start-up log; Admit starts either way and keeps trying in the background.
  await auth.campus?.start();
  const load = { inFlight: 0 };
  const mailSender = new MailSender({
    prisma: db.prisma,
    clock,
    transport: createMailTransport(config.mail).transport,
    from: config.mail.from,
    // Signed at send time for the recipient: once the ticket has changed hands the message is not sent with a working code.
    renderQr: options.renderQr ?? ((ticketId, { to }) => services.tickets.qrPng(ticketId, { ownerEmail: to })),
    keepSentAttachments: developmentMailbox,
    isBusy: () => load.inFlight >= BUSY_REQUESTS,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  return { config, db, services, auth, clock, mailSender, load };
}
