import pino from "pino";
import { buildApp } from "./app.ts";
import { ConfigError, describeConfig, loadConfig } from "./config.ts";
import { createRuntime, openRuntimeDatabase } from "./runtime.ts";
import { seedDemoData } from "./seed.ts";

const logger = pino({
  level: process.env.LOG_LEVEL ?? "info",
  redact: ["req.headers.authorization", "req.headers.cookie", "*.password", "*.token", "*.secret"],
});

async function main() {
  const config = loadConfig();
  logger.info(describeConfig(config), "starting Admit");
  const db = await openRuntimeDatabase(config);
  const runtime = await createRuntime(config, db);
  if (config.seedDemoData && (await seedDemoData(runtime))) logger.info("seeded the demo data (see README)");

  const app = await buildApp(runtime, logger);
  await app.listen({ port: config.port, host: config.host });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down: finishing requests in flight");
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    await app.close();
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
