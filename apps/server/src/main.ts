import { systemClock } from "@admit/domain";
import pino from "pino";
import { buildApp } from "./app.ts";
import { ConfigError, describeConfig, loadConfig, type Config } from "./config.ts";
import { createRuntime, openRuntimeDatabase } from "./runtime.ts";
import { seedDemoData } from "./seed.ts";

const REDACTED = ["req.headers.authorization", "req.headers.cookie", "*.password", "*.token", "*.secret"];
type Logger = pino.Logger;

/** Queued mail goes out at once after a commit (a nudge); this periodic run catches whatever a dead process left. */
const MAIL_SEND_INTERVAL_MS = 10_000;
/** Expired holds are already ignored on every read; this sweep frees them and ends their attempts in the data. */
const HOLD_SWEEP_INTERVAL_MS = 30_000;
/** Due PENDING refunds are sent (a failed one waits its backoff, one whose process died waits out its lease). */
const REFUND_SEND_INTERVAL_MS = 60_000;
/** Freed tickets are offered to waitlists (and lapsed offers passed on) at least this often; triggers make it sooner. */
const WAITLIST_OFFER_INTERVAL_MS = 5_000;
/** "Notify me" reminders due are sent. */
const DROP_REMINDER_INTERVAL_MS = 30_000;
/** Running drop lobbies are advanced (draw, expired windows, next batch); status reads also advance them when due. */
const LOBBY_ADVANCE_INTERVAL_MS = 2_000;
/** Refused payment deliveries' records past their retention, and rate-limit windows that are over, are deleted. */
const PRUNE_INTERVAL_MS = 60 * 60_000;

/** The first run of a periodic job comes at most this long after start, so a process restarted often still runs it. */
const FIRST_RUN_WITHIN_MS = 60_000;

/**
 * Runs `task` every `ms` (the first time within FIRST_RUN_WITHIN_MS of start), never two runs at once; `stop` ends
 * the timers and waits for a run in progress.
 */
function every(logger: Logger, ms: number, task: () => Promise<void>, failure: string) {
  let running: Promise<void> | undefined;
  const run = () => {
    running ??= task()
      .catch((err: unknown) => logger.error({ err }, failure))
      .finally(() => {
        running = undefined;
      });
  };
  let timer: NodeJS.Timeout | undefined;
  const first = setTimeout(() => {
    run();
    timer = setInterval(run, ms);
    timer.unref();
  }, Math.min(ms, FIRST_RUN_WITHIN_MS));
  first.unref();
  return {
    stop: async () => {
      clearTimeout(first);
      clearInterval(timer);
      await running;
    },
  };
}

async function main() {
  const config = loadConfig();
  const logger = pino({ level: config.logLevel, redact: REDACTED });
  try {
    await serve(config, logger);
  } catch (error) {
    logger.fatal({ err: error }, "Admit could not start");
    process.exit(1);
  }
}

async function serve(config: Config, logger: Logger) {
  logger.info(describeConfig(config), "starting Admit");
  const db = await openRuntimeDatabase(config);
  const runtime = await createRuntime(config, db, systemClock, {
    logger: logger.child({ component: "mail" }),
    authLogger: logger.child({ component: "auth" }),
  });
  if (config.seedDemoData && (await seedDemoData(runtime))) logger.info("seeded the demo data (see README)");

  const app = await buildApp(runtime, logger);
  await app.listen({ port: config.port, host: config.host });
  runtime.mailSender.start(MAIL_SEND_INTERVAL_MS);
  const holdSweeper = every(
    logger,
    HOLD_SWEEP_INTERVAL_MS,
    async () => {
      const released = await runtime.services.checkout.releaseExpiredHolds();
      if (released.expiredAttempts || released.releasedTickets) logger.info(released, "released expired checkout holds");
    },
    "releasing expired checkout holds failed",
  );
  const waitlistOffers = every(
    logger,
    WAITLIST_OFFER_INTERVAL_MS,
    async () => {
      const round = await runtime.services.waitlists.offerFreed();
      if (round.offers || round.expired) logger.info(round, "offered freed tickets to waitlists");
      if (round.offers) runtime.mailSender.nudge();
    },
    "offering freed tickets to waitlists failed",
  );
  const dropReminders = every(
    logger,
    DROP_REMINDER_INTERVAL_MS,
    async () => {
      const { sent } = await runtime.services.waitlists.sendDueReminders();
      if (sent) logger.info({ sent }, "sent drop reminders");
      if (sent) runtime.mailSender.nudge();
    },
    "sending drop reminders failed",
  );
  // Without REST keys refunds are tasks for club officers, so there is nothing to send.
  const refundSender = config.cybersource.rest
    ? every(
        logger,
        REFUND_SEND_INTERVAL_MS,
        async () => {
          const result = await runtime.services.refunds.processDue();
          if (result.attempted) logger.info(result, "sent due refunds");
        },
        "sending due refunds failed",
      )
    : undefined;

  const lobbyAdvancer = every(
    logger,
    LOBBY_ADVANCE_INTERVAL_MS,
    async () => {
      const advanced = await runtime.services.lobbies.advanceRunning();
      if (advanced.admitted || advanced.expired) logger.info(advanced, "advanced drop lobbies");
    },
    "advancing drop lobbies failed",
  );

  const pruner = every(
    logger,
    PRUNE_INTERVAL_MS,
    async () => {
      const refusedDeliveries = await runtime.services.payments.pruneRefusedDeliveries();
      const rateLimitWindows = await runtime.services.rateLimits.prune();
      if (refusedDeliveries) logger.info({ refusedDeliveries, rateLimitWindows }, "pruned refused payment deliveries");
    },
    "pruning refused payment deliveries failed",
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down: finishing requests in flight");
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    const background = [holdSweeper, lobbyAdvancer, waitlistOffers, dropReminders, pruner, refundSender].flatMap((job) => (job ? [job.stop()] : []));
    await app.close();
    await Promise.all(background);
    await runtime.mailSender.stop();
    await db.close();
    logger.info("stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

main().catch((error: unknown) => {
  // Only the configuration can fail before the logger exists.
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(error instanceof ConfigError ? 78 : 1);
});
