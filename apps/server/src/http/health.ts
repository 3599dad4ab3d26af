import { migrationState, type Database } from "@admit/db";
import type { FastifyInstance } from "fastify";

export function registerHealth(app: FastifyInstance, db: Database) {
  app.get("/api/health", async (_req, reply) => {
    try {
      const migrations = await migrationState(db);
      const ok = migrations.pending.length === 0;
      return reply
        .status(ok ? 200 : 503)
        .header("cache-control", "no-store")
        .send({ ok, database: db.kind, migrations });
    } catch (error) {
      reply.log.error({ err: error }, "health check failed");
      return reply.status(503).send({ ok: false, database: db.kind, migrations: null });
    }
  });
}
