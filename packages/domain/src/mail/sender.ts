import type { PrismaClient } from "@admit/db";
import type { Clock } from "../clock.ts";
import { resolveAttachments, type ResolvedAttachment } from "./attachments.ts";
import type { MailAttachment } from "./outbox.ts";
import { describeError, isPermanent, retryDelayMs } from "./retry.ts";

export { retryDelayMs } from "./retry.ts";

/** One message as handed to the transport; nodemailer's `sendMail` accepts exactly this shape. */
export interface TransportMessage {
  from: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
  attachments: Array<{ filename: string; contentType: string; content: Buffer; cid?: string }>;
  /** The same id on every attempt, so a mail client can tell a rare duplicate delivery from a new message. */
  messageId: string;
  signal: AbortSignal;
}

/** Where messages go: a nodemailer transporter (SMTP, or the stream transport of the development mailbox). */
export interface MailTransport {
  sendMail(message: TransportMessage): Promise<unknown>;
}

export interface MailSenderLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface MailSenderOptions {
  prisma: PrismaClient;
  clock: Clock;
  transport: MailTransport;
  /** The From header, e.g. `Admit <tickets@example.edu>`. */
  from: string;
  /**
   * Renders a ticket's current QR code as a PNG, at send time (so a message waiting for a retry never carries a
   * stale code). `to` is the recipient, so the renderer can refuse (NOT_FOUND or CONFLICT, both final) once the
   * ticket belongs to someone else.
   */
  renderQr(ticketId: string, message: { to: string }): Promise<Buffer>;
  /**
   * Keep what was sent (QR codes rendered as they were at send time) in the row's attachments. The development
   * mailbox needs this; with SMTP it stays off, so no working QR code is stored beyond the ticket itself.
   */
  keepSentAttachments?: boolean;
  logger?: MailSenderLogger;
  /** Messages claimed per database round trip. */
  batchSize?: number;
  /** How long a claimed message is reserved for this process; another process retries it after that. */
  leaseMs?: number;
  /** Each send is abandoned after this long, well inside the lease. */
  sendTimeoutMs?: number;
  baseRetryDelayMs?: number;
  maxRetryDelayMs?: number;
  /** After this many failed attempts the message is given up (status FAILED). */
  maxAttempts?: number;
  /**
   * True while the process is busy serving people (an on-sale rush): the sender waits for a lull, up to
   * `maxDeferMs` per run, so rendering and sending mail does not slow the sale it is confirming.
   */
  isBusy?: () => boolean;
  maxDeferMs?: number;
}

export interface SendCounts {
  sent: number;
  /** Failed this time, scheduled again. */
  retrying: number;
  /** Given up: too many attempts, or a failure no retry can fix. */
  failed: number;
}

interface ClaimedRow {
  id: string;
  attempts: number;
}

const SECOND = 1000;
/** One run stops after this many batches and leaves the rest to the next tick, so a run always ends. */
const MAX_BATCHES_PER_RUN = 50;
const BUSY_POLL_MS = 100;

/**
 * Sends the outbox (`OutgoingEmail`) after the transactions that queued it have committed. Any number of server
 * processes may run one: each claims due rows with one `UPDATE ... FOR UPDATE SKIP LOCKED` statement that also
 * moves `nextAttemptAt` a lease ahead and counts the attempt, so no two processes hold the same message, and a
 * message claimed by a process that died is retried once its lease runs out.
 *
 * Delivery is at least once: a send that outlives its lease, or a crash between the SMTP server accepting a
 * message and the row being marked, can deliver a message twice; every copy carries the same Message-ID.
 */
export class MailSender {
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly sendTimeoutMs: number;
  private readonly baseRetryDelayMs: number;
  private readonly maxRetryDelayMs: number;
  private readonly maxAttempts: number;
  private readonly messageIdDomain: string;
  private queue: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private nudgeQueued = false;
  private stopping = false;

  constructor(private readonly options: MailSenderOptions) {
    this.batchSize = options.batchSize ?? 10;
    this.sendTimeoutMs = options.sendTimeoutMs ?? 30 * SECOND;
    this.leaseMs = options.leaseMs ?? Math.max(10 * 60 * SECOND, 2 * this.batchSize * this.sendTimeoutMs);
    this.baseRetryDelayMs = options.baseRetryDelayMs ?? 30 * SECOND;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 3600 * SECOND;
    this.maxAttempts = options.maxAttempts ?? 20;
    this.messageIdDomain = /@([^\s>]+)>?\s*$/.exec(options.from)?.[1] ?? "admit.localhost";
  }

  /**
   * Sends every message due now and returns what happened. Runs in this process one at a time (a call made while
   * another runs waits for it), so the counts belong to this call alone.
   */
  sendDue(): Promise<SendCounts> {
    return this.enqueueRun(() => undefined);
  }

  /** Sends now and then every `intervalMs`; the periodic run is what guarantees delivery, nudges only speed it up. */
  start(intervalMs = 10 * SECOND): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.nudge(), intervalMs);
    this.timer.unref();
    this.nudge();
  }

  /** Stops the loop and waits for a run in progress, so the database can be closed after it. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    // The run in progress finishes the batch it holds and claims no more.
    this.stopping = true;
    await this.queue;
    this.stopping = false;
  }

  /** Asks a started sender to run soon (after a commit that may have queued mail). Many nudges make one run. */
  nudge(): void {
    if (!this.timer || this.nudgeQueued) return;
    this.nudgeQueued = true;
    this.enqueueRun(() => {
      this.nudgeQueued = false;
    }).catch((error: unknown) => this.options.logger?.error({ err: error }, "sending queued e-mail failed"));
  }

  private enqueueRun(beforeStart: () => void): Promise<SendCounts> {
    const run = this.queue.then(() => {
      beforeStart();
      return this.run();
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async run(): Promise<SendCounts> {
    const counts: SendCounts = { sent: 0, retrying: 0, failed: 0 };
    // Wall time, not the injectable clock: this only paces the work, it never decides what is due.
    const deferUntil = Date.now() + (this.options.maxDeferMs ?? 30 * SECOND);
    for (let batch = 0; batch < MAX_BATCHES_PER_RUN && !this.stopping; batch++) {
      await this.waitForLull(deferUntil);
      const claimed = await this.claim();
      if (claimed.length === 0) break;
      for (const row of claimed) {
        await this.waitForLull(deferUntil);
        counts[await this.deliver(row)]++;
      }
    }
    return counts;
  }

  private async waitForLull(deferUntil: number): Promise<void> {
    const busy = this.options.isBusy;
    while (busy?.() && !this.stopping && Date.now() < deferUntil) {
      await new Promise((resolve) => setTimeout(resolve, BUSY_POLL_MS));
    }
  }

  /**
   * Never-tried messages are due at once whatever their `nextAttemptAt` (set by whoever queued them, not by this
   * clock); retries wait for theirs. Claiming counts the attempt, so a claim that dies still backs off.
   */
  private async claim(): Promise<ClaimedRow[]> {
    const now = this.options.clock.now();
    const leaseUntil = new Date(now.getTime() + this.leaseMs);
    return this.options.prisma.$queryRaw<ClaimedRow[]>`
      UPDATE "OutgoingEmail"
      SET "nextAttemptAt" = ${leaseUntil}::timestamp(3), "attempts" = "attempts" + 1
      WHERE "id" IN (
        SELECT "id" FROM "OutgoingEmail"
        WHERE "status" = 'PENDING' AND ("attempts" = 0 OR "nextAttemptAt" <= ${now}::timestamp(3))
        ORDER BY "createdAt", "id"
        LIMIT ${this.batchSize}
        FOR UPDATE SKIP LOCKED
      )
      RETURNING "id"::text AS "id", "attempts"`;
  }

  private async deliver(claimed: ClaimedRow): Promise<keyof SendCounts> {
    const { prisma, clock } = this.options;
    const row = await prisma.outgoingEmail.findUnique({ where: { id: claimed.id } });
    if (!row) return "failed";
    // Only the holder of this claim (same attempt number, still pending) may record the outcome.
    const ours = { id: row.id, status: "PENDING" as const, attempts: claimed.attempts };
    let attachments: ResolvedAttachment[];
    try {
      attachments = await resolveAttachments(row.attachments, (ticketId) =>
        this.options.renderQr(ticketId, { to: row.toAddress }),
      );
      await this.options.transport.sendMail({
        from: this.options.from,
        to: row.toAddress,
        subject: row.subject,
        text: row.text,
        ...(row.html === null ? {} : { html: row.html }),
        attachments,
        messageId: `<${row.id}@${this.messageIdDomain}>`,
        signal: AbortSignal.timeout(this.sendTimeoutMs),
      });
    } catch (error) {
      return this.recordFailure(ours, error);
    }
    const kept: MailAttachment[] | undefined = this.options.keepSentAttachments
      ? attachments.map(({ filename, contentType, content, cid }) => ({
          filename,
          contentType,
          contentBase64: content.toString("base64"),
          ...(cid === undefined ? {} : { cid }),
        }))
      : undefined;
    const { count } = await prisma.outgoingEmail.updateMany({
      where: ours,
      data: { status: "SENT", sentAt: clock.now(), lastError: null, ...(kept ? { attachments: kept } : {}) },
    });
    if (count === 0) this.options.logger?.warn({ emailId: row.id }, "e-mail sent after its claim had expired");
    return "sent";
  }

  private async recordFailure(
    ours: { id: string; status: "PENDING"; attempts: number },
    error: unknown,
  ): Promise<"retrying" | "failed"> {
    const giveUp = isPermanent(error) || ours.attempts >= this.maxAttempts;
    const now = this.options.clock.now();
    const delay = retryDelayMs(ours.attempts, this.baseRetryDelayMs, this.maxRetryDelayMs);
    const lastError = describeError(error);
    await this.options.prisma.outgoingEmail.updateMany({
      where: ours,
      data: {
        status: giveUp ? "FAILED" : "PENDING",
        lastError,
        nextAttemptAt: new Date(now.getTime() + delay),
      },
    });
    const log = { emailId: ours.id, attempts: ours.attempts, error: lastError };
    if (giveUp) this.options.logger?.error(log, "gave up sending an e-mail");
    else this.options.logger?.warn(log, "sending an e-mail failed; will retry");
    return giveUp ? "failed" : "retrying";
  }
}
