import type { CampusProvider } from "@admit/auth";
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
  /**
   * Campus sign-in as this process last saw the provider: "off" (not configured), "available", or "unavailable"
   * (discovery fails; retried in the background). It does not make `ok` false: the provider is not ours, and taking
   * every process out of the load balancer would also stop password sign-in and sales.
   */
  campusSignOn: z.enum(["off", "available", "unavailable"]),
});

export function registerHealth(app: FastifyInstance, db: Database, campus?: CampusProvider) {
  route(app, {
    method: "GET",
    url: "/api/health",
    summary: "Health check",
    description:
      "200 when the database answers and every migration is applied; 503 otherwise (for load balancers). campusSignOn reports the campus OpenID Connect provider as this process last saw it; it does not change ok.",
    tags: ["meta"],
    auth: "public",
    responses: {
      200: { description: "Healthy", schema: healthSchema },
      503: { description: "The database is unreachable or migrations are pending", schema: healthSchema },
    },
    handler: async ({ reply }): Promise<z.input<typeof healthSchema>> => {
      const campusSignOn = campus?.state ?? "off";
      try {
        const migrations = await migrationState(db);
        const ok = migrations.pending.length === 0;
        reply.status(ok ? 200 : 503);
        return { ok, database: db.kind, migrations, campusSignOn };
      } catch (error) {
        reply.log.error({ err: error }, "health check failed");
        reply.status(503);
        return { ok: false, database: db.kind, migrations: null, campusSignOn };
      }
    },
  });
}
