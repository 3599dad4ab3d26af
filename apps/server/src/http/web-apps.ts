import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";
import { errorBody } from "./errors.ts";

const appsDir = fileURLToPath(new URL("../../../", import.meta.url));
export const storefrontDist = `${appsDir}storefront/dist`;
export const kioskDist = `${appsDir}kiosk/dist`;

/**
 * The storefront at / and the kiosk at /kiosk/, both single-page apps: unknown paths below each get its index.html.
 * Unknown /api and /trpc paths stay JSON 404s.
 */
export async function registerWebApps(app: FastifyInstance) {
  for (const [dist, name] of [
    [storefrontDist, "storefront"],
    [kioskDist, "kiosk"],
  ] as const) {
    if (!existsSync(`${dist}/index.html`)) {
      app.log.warn(`The ${name} is not built (${dist}); run npm run build.`);
    }
  }
  if (existsSync(storefrontDist)) {
    await app.register(fastifyStatic, { root: storefrontDist, prefix: "/", wildcard: false, index: "index.html" });
  }
  if (existsSync(kioskDist)) {
    await app.register(fastifyStatic, {
      root: kioskDist,
      prefix: "/kiosk/",
      decorateReply: !existsSync(storefrontDist),
      wildcard: false,
      index: "index.html",
    });
  }

  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split("?")[0] ?? "/";
    const isApi = path.startsWith("/api/") || path.startsWith("/trpc/");
    if (req.method === "GET" && !isApi) {
      const [dist, file] = path.startsWith("/kiosk") ? [kioskDist, "index.html"] : [storefrontDist, "index.html"];
      if (existsSync(`${dist}/${file}`)) {
        return reply.header("cache-control", "no-cache").sendFile(file, dist);
      }
    }
    return reply.status(404).send(errorBody("NOT_FOUND", `Nothing is at ${req.method} ${path}.`));
  });
}
