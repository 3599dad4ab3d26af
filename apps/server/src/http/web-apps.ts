import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import { DomainError } from "@admit/domain";
import type { FastifyInstance, FastifyReply } from "fastify";
import { sendError } from "./errors.ts";

const appsDir = fileURLToPath(new URL("../../../", import.meta.url));
export const storefrontDist = `${appsDir}storefront/dist`;
export const kioskDist = `${appsDir}kiosk/dist`;

/**
 * How an app's files are sent: the .br or .gz the build wrote next to each file when the browser accepts it
 * (`Vary: Accept-Encoding`), else the file itself. Vite names everything under assets/ by its content's hash, so a
 * changed file is a new URL and those are cached for a year without asking again; everything else (index.html, the
 * kiosk's service worker, registerSW and manifest) is revalidated on every use, so a deploy reaches browsers at once.
 */
function served(dist: string) {
  const hashed = `${dist}/assets/`;
  return {
    preCompressed: true,
    cacheControl: false,
    setHeaders: (reply: FastifyReply, file: string) => {
      reply.header("cache-control", file.startsWith(hashed) ? "public, max-age=31536000, immutable" : "no-cache");
    },
  };
}

/** The methods our routes use (HEAD comes with every GET). */
const ROUTED_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

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
    await app.register(fastifyStatic, { root: storefrontDist, prefix: "/", wildcard: false, index: "index.html", ...served(storefrontDist) });
  }
  if (existsSync(kioskDist)) {
    await app.register(fastifyStatic, {
      root: kioskDist,
      prefix: "/kiosk/",
      decorateReply: !existsSync(storefrontDist),
      wildcard: false,
      index: "index.html",
      ...served(kioskDist),
    });
  }

  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split("?")[0] ?? "/";
    const isApi = path.startsWith("/api/") || path.startsWith("/trpc/");
    // A page path gets its app's index.html; a missing build file (an old hashed asset after a deploy) is a 404, not
    // that page sent as JavaScript with a 200, which a service worker or cache would keep under the file's name.
    const isAsset = path.startsWith("/assets/") || path.startsWith("/kiosk/assets/");
    if (req.method === "GET" && !isApi && !isAsset) {
      const dist = path.startsWith("/kiosk") ? kioskDist : storefrontDist;
      if (existsSync(`${dist}/index.html`)) {
        return reply.header("cache-control", "no-cache").sendFile("index.html", dist);
      }
    }
    // Fastify's router answers a known path with the wrong method as if the path did not exist; asking it for each
    // method tells the two apart for the 405's Allow header.
    const allowed = isApi ? ROUTED_METHODS.filter((method) => app.findRoute({ method, url: path }) !== null) : [];
    if (allowed.length > 0) {
      reply.header("allow", allowed.join(", "));
      return sendError(reply, new DomainError("METHOD_NOT_ALLOWED", `Method "${req.method}" not allowed.`));
    }
    return sendError(reply, new DomainError("NOT_FOUND", `Nothing is at ${req.method} ${path}.`));
  });
}
