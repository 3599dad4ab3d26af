import { systemClock } from "@admit/domain";
import pino from "pino";
import { buildApp } from "./app.ts";
import { ConfigError, describeConfig, loadConfig } from "./config.ts";
import { createRuntime, openRuntimeDatabase } from "./runtime.ts";
import { seedDemoData } from "./seed.ts";

const logger = pino({
  level: process.env.LOG_LEVEL ?? "info",
  redact: ["req.headers.authorization", "req.headers.cookie", "*.password", "*.token", "*.secret"],
});

/** Queued mail goes out at once after a commit (a nudge); this periodic run catches whatever a dead process left. */
const MAIL_SEND_INTERVAL_MS = 10_000;
/** Expired holds are already ignored on every read; this sweep frees them and ends their attempts in the data. */
const HOLD_SWEEP_INTERVAL_MS = 30_000;
/** Refunds that failed (or whose process died mid-way) are tried again; each payment waits REFUND_RETRY_AFTER_MS. */
const REFUND_RETRY_INTERVAL_MS = 60_000;

async function main() {
  const config = loadConfig();
  logger.info(describeConfig(config), "starting Admit");
  const db = await openRuntimeDatabase(config);
  const runtime = await createRuntime(config, db, systemClock, { logger: logger.child({ component: "mail" }) });
  if (config.seedDemoData && (await seedDemoData(runtime))) logger.info("seeded the demo data (see README)");

  const app = await buildApp(runtime, logger);
  await app.listen({ port: config.port, host: config.host });
  runtime.mailSender.start(MAIL_SEND_INTERVAL_MS);
  let sweep: Promise<void> | undefined;
  const holdSweeper = setInterval(() => {
    sweep ??= runtime.services.checkout
      .releaseExpiredHolds()
      .then((released) => {
        if (released.expiredAttempts || released.releasedTickets) logger.info(released, "released expired checkout holds");
      })
      .catch((err: unknown) => logger.error({ err }, "releasing expired checkout holds failed"))
      .finally(() => {
        sweep = undefined;
      });
  }, HOLD_SWEEP_INTERVAL_MS);
  holdSweeper.unref();
  let refunds: Promise<void> | undefined;
  const refundRetrier = setInterval(() => {
    if (!config.cybersource.rest) return;
    refunds ??= runtime.services.payments
      .retryDueRefunds()
      .then((result) => {
        if (result.attempted) logger.info(result, "retried refunds");
      })
      .catch((err: unknown) => logger.error({ err }, "retrying refunds failed"))
      .finally(() => {
        refunds = undefined;
      });
  }, REFUND_RETRY_INTERVAL_MS);
  refundRetrier.unref();

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down: finishing requests in flight");
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    clearInterval(holdSweeper);
    clearInterval(refundRetrier);
    await app.close();
    await sweep;
    await refunds;
    await runtime.mailSender.stop();
    await db.close();
    logger.info("stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(78);
  }
  logger.fatal({ err: error }, "Admit could not start");
  process.exit(1);
});
