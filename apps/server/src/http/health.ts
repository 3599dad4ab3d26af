import { migrationState, type Database } from "@admit/db";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { route } from "./route.ts";

const healthSchema = z.object({
  ok: z.boolean(),
  database: z.enum(["pglite", "postgresql"]),
  /** Null when the database could not be asked. */
  migrations: z
    .object({ applied: z.number().int(), pending: z.array(z.string()), latest: z.string().nullable() })
    .nullable(),
});

export function registerHealth(app: FastifyInstance, db: Database) {
  route(app, {
    method: "GET",
    url: "/api/health",
    summary: "Health check",
    description: "200 when the database answers and every migration is applied; 503 otherwise (for load balancers).",
    tags: ["meta"],
    auth: "public",
    responses: {
      200: { description: "Healthy", schema: healthSchema },
      503: { description: "The database is unreachable or migrations are pending", schema: healthSchema },
    },
    handler: async ({ reply }): Promise<z.input<typeof healthSchema>> => {
      try {
        const migrations = await migrationState(db);
        const ok = migrations.pending.length === 0;
        reply.status(ok ? 200 : 503);
        return { ok, database: db.kind, migrations };
      } catch (error) {
        reply.log.error({ err: error }, "health check failed");
        reply.status(503);
        return { ok: false, database: db.kind, migrations: null };
      }
    },
  });
}
