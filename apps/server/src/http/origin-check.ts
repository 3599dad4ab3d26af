import type { Auth } from "@admit/auth";
import { DomainError } from "@admit/domain";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { sendError } from "./errors.ts";

/** Methods that change nothing; every other method may, so it is checked. */
export const SAFE_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD", "OPTIONS"]);

/** Sec-Fetch-Site values of requests our own pages made, or the person made themselves (address bar, bookmark). */
const OWN_FETCH_SITES = new Set(["same-origin", "none"]);

export function hasBearerToken(req: FastifyRequest): boolean {
  const header = req.headers.authorization;
  return typeof header === "string" && /^bearer\s+\S/i.test(header);
}

function cookieNames(header: string | undefined): string[] {
  if (!header) return [];
  return header.split(";").map((pair) => pair.split("=", 1)[0]!.trim());
}

/** The request is then authenticated by its token, or by its signed body, alone. */
function dropCookies(req: FastifyRequest) {
  delete req.raw.headers.cookie;
  delete req.headers.cookie;
}

/**
 * Cross-site request forgery: a page on another origin (another port of the same host, or any `*.example.edu` page,
 * which SameSite=Lax counts as the same site) can make a signed-in browser post forms with its session cookie. So a
 * request that changes something and authenticates by that cookie must come from PUBLIC_URL's origin: its `Origin`
 * header (browsers send one with every POST, PUT, PATCH and DELETE, form or fetch), or without one, `Sec-Fetch-Site:
 * same-origin` or `none`. Without either it is refused too.
 *
 * Bearer requests (scripts, the door kiosk) are not checked: a browser sends an Authorization header only when our
 * own page's script sets it, and another origin cannot without a CORS grant, which we never give. Their cookies are
 * dropped, so a bearer request can never fall back to the session cookie (better-auth's bearer plugin would, for a
 * token it cannot verify). CyberSource's callbacks (`auth: "signature"`) come across sites by design and read no
 * session: their cookies are dropped as well.
 *
 * better-auth runs its own origin check on /api/auth/* (any cookie needs an Origin or Referer it trusts); this one
 * runs first, on every route, with the same trusted origin.
 */
export async function registerOriginCheck(app: FastifyInstance, options: { publicUrl: string; auth: Auth }) {
  const trustedOrigin = new URL(options.publicUrl).origin;
  const { authCookies } = await options.auth.$context;
  const sessionCookies = new Set([authCookies.sessionToken.name, authCookies.sessionData.name]);
  const refusal = () =>
    new DomainError(
      "CROSS_ORIGIN_REFUSED",
      `Refused: a signed-in browser request that changes something must come from ${trustedOrigin} (its Origin header, or Sec-Fetch-Site: same-origin). Scripts: use an API token (Authorization: Bearer) instead of the cookie.`,
    );

  app.addHook("onRequest", async (req, reply) => {
    if (req.routeOptions.config?.auth === "signature" || hasBearerToken(req)) {
      dropCookies(req);
      return;
    }
    if (SAFE_METHODS.has(req.method)) return;
    if (!cookieNames(req.headers.cookie).some((name) => sessionCookies.has(name))) return;
    const origin = req.headers.origin;
    if (origin !== undefined ? origin === trustedOrigin : OWN_FETCH_SITES.has(String(req.headers["sec-fetch-site"]))) return;
    req.log.warn({ origin, secFetchSite: req.headers["sec-fetch-site"], url: req.url }, "cross-origin request with a session cookie refused");
    return sendError(reply, refusal());
  });
}
