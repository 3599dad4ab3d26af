import { DomainError } from "@admit/domain";
import formBody from "@fastify/formbody";
import type { FastifyInstance } from "fastify";
import { sendError } from "./errors.ts";
import { SAFE_METHODS } from "./origin-check.ts";

const JSON_TYPE = "application/json";
const FORM_TYPE = "application/x-www-form-urlencoded";

function mediaType(header: string | undefined): string | undefined {
  const type = header?.split(";", 1)[0]!.trim().toLowerCase();
  return type || undefined;
}

/**
 * Each route reads one body type, and nothing else reaches a parser: JSON everywhere, forms only where a route
 * declares `bodyType: "form"` (CyberSource's two callbacks, and its stand-in, the sandbox's payment pages). A plain
 * HTML form can post urlencoded, multipart or text/plain bodies to any site without asking; refusing those here
 * means no route can be driven by one, whatever its parser would have made of it. tRPC takes JSON only: its adapter
 * would otherwise hand multipart bodies to procedures as FormData. Refused before the body is read: 415.
 */
export async function registerBodyTypes(app: FastifyInstance) {
  await app.register(formBody);
  app.addHook("onRequest", async (req, reply) => {
    if (SAFE_METHODS.has(req.method)) return;
    const type = mediaType(req.headers["content-type"]);
    const isTrpc = req.routeOptions.url?.startsWith("/trpc/") ?? false;
    // Without a content type there is no body to parse (a POST with no input), except that tRPC needs its JSON.
    if (type === undefined && !isTrpc) return;
    const accepted = req.routeOptions.config?.bodyType === "form" ? FORM_TYPE : JSON_TYPE;
    if (type === accepted) return;
    const what = type === undefined ? "a body without a content type" : type;
    return sendError(
      reply,
      new DomainError("UNSUPPORTED_MEDIA_TYPE", `This endpoint takes ${accepted} bodies only, not ${what}.`),
    );
  });
}
