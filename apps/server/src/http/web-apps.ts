import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import { DomainError } from "@admit/domain";
import type { FastifyInstance, FastifyReply } from "fastify";
import FindMyWay from "find-my-way";
import { sendError } from "./errors.ts";
import { registeredRoutes } from "./openapi.ts";

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
    if (req.method === "GET" && !isApi) {
      const [dist, file] = path.startsWith("/kiosk") ? [kioskDist, "index.html"] : [storefrontDist, "index.html"];
      if (existsSync(`${dist}/${file}`)) {
        return reply.header("cache-control", "no-cache").sendFile(file, dist);
      }
    }
    const allowed = isApi ? allowedMethods(path) : [];
    if (allowed.length > 0) {
      reply.header("allow", allowed.join(", "));
      return sendError(reply, new DomainError("METHOD_NOT_ALLOWED", `Method "${req.method}" not allowed.`));
    }
    return sendError(reply, new DomainError("NOT_FOUND", `Nothing is at ${req.method} ${path}.`));
  });

  // Fastify's router answers a known path with the wrong method as if the path did not exist. A second router,
  // built from the same route table once every route is registered, tells the two apart for the 405's Allow header.
  let methodsRouter: FindMyWay.Instance<FindMyWay.HTTPVersion.V1> | undefined;
  let methods: FindMyWay.HTTPMethod[] = [];
  function allowedMethods(path: string): string[] {
    if (!methodsRouter) {
      const routes = registeredRoutes(app);
      methodsRouter = FindMyWay();
      for (const { method, url } of routes) methodsRouter.on(method as FindMyWay.HTTPMethod, url, () => undefined);
      methods = [...new Set(routes.map((r) => r.method as FindMyWay.HTTPMethod))];
    }
    const router = methodsRouter;
    return methods.filter((method) => router.find(method, path) !== null);
  }
}
