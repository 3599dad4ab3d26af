import { createHash } from "node:crypto";
import fastifyHelmet from "@fastify/helmet";
import type { FastifyInstance } from "fastify";
import type { Config } from "../config.ts";

type Directives = Record<string, string[]>;
type App = "storefront" | "kiosk" | "api" | "sandbox";

const sha256 = (text: string) => `'sha256-${createHash("sha256").update(text).digest("base64")}'`;

/** What every policy has: nothing may frame us, no plugins, no <base> pointing elsewhere. */
const common: Directives = {
  "frame-ancestors": ["'none'"],
  "object-src": ["'none'"],
  "base-uri": ["'self'"],
};

/**
 * One Content-Security-Policy per app, each allowing what that app loads and no more:
 *
 * - storefront: its own scripts, styles, images and API only. Forms may go to our own routes and to the payment
 *   page (CyberSource's /pay, or the sandbox here). Inline style attributes are allowed (and nothing else inline):
 *   the development mailbox shows e-mail HTML, styled with attributes as e-mail must be, in a sandboxed frame with
 *   scripts off, and that frame inherits this policy.
 * - kiosk: the same, with its service worker (worker-src 'self') and no forms. The camera reaches the page as a
 *   MediaStream, which no fetch directive governs, and the decoders read video frames from a canvas: they need no
 *   data:, blob: or worker of their own (the camera e2e test runs under this policy). The second decoder is
 *   WebAssembly from our own origin, which script-src must allow to compile ('wasm-unsafe-eval': WebAssembly only,
 *   not JavaScript eval).
 * - API (/api, /trpc): JSON, PNG and redirects; a document loaded from there may load nothing at all.
 * - payment sandbox pages (`sandboxInline`: their one inline style sheet and auto-submit script, allowed by hash);
 *   forms post to the sandbox and to our receipt callback. Without the sandbox, /sandbox/ gets the API's policy.
 */
export function contentSecurityPolicies(
  config: Pick<Config, "publicUrl" | "cybersource">,
  sandboxInline?: { style: string; script: string },
): Record<App, Directives> {
  const paymentOrigin = new URL(config.cybersource.profile.url).origin;
  const publicOrigin = new URL(config.publicUrl).origin;
  const formTargets = [...new Set(["'self'", publicOrigin, paymentOrigin])];
  const app: Directives = {
    ...common,
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'"],
    "connect-src": ["'self'"],
    "font-src": ["'self'"],
  };
  const api: Directives = { ...common, "default-src": ["'none'"], "base-uri": ["'none'"], "form-action": ["'none'"] };
  return {
    storefront: { ...app, "style-src-attr": ["'unsafe-inline'"], "form-action": formTargets },
    kiosk: {
      ...app,
      "script-src": ["'self'", "'wasm-unsafe-eval'"],
      "worker-src": ["'self'"],
      "manifest-src": ["'self'"],
      "form-action": ["'none'"],
    },
    api,
    sandbox: sandboxInline
      ? {
          ...api,
          "style-src": [sha256(sandboxInline.style)],
          "script-src": [sha256(sandboxInline.script)],
          "form-action": formTargets,
        }
      : api,
  };
}

function appFor(url: string): App {
  if (url.startsWith("/api/") || url.startsWith("/trpc/") || url === "/api" || url === "/trpc") return "api";
  if (url.startsWith("/sandbox/")) return "sandbox";
  if (url.startsWith("/kiosk/") || url === "/kiosk" || url.startsWith("/kiosk?")) return "kiosk";
  return "storefront";
}

/**
 * Security headers on every answer, through @fastify/helmet: the Content-Security-Policy of the app the path
 * belongs to, X-Frame-Options DENY, nosniff, a Referrer-Policy, and Strict-Transport-Security only when the site is
 * https (PUBLIC_URL; a TLS proxy in front means the server itself may see plain http). A route that sets its own
 * policy (the mailbox's attachments: `default-src 'none'; sandbox`) keeps it.
 */
export async function registerSecurityHeaders(app: FastifyInstance, config: Pick<Config, "publicUrl" | "cybersource">) {
  const https = new URL(config.publicUrl).protocol === "https:";
  await app.register(fastifyHelmet, {
    // Set per app below; helmet's one global policy would fit none of them.
    contentSecurityPolicy: false,
    strictTransportSecurity: https ? { maxAge: 31_536_000, includeSubDomains: false } : false,
    xFrameOptions: { action: "deny" },
    // Not no-referrer: with it, browsers send `Origin: null` on same-origin POSTs, which the cross-site request check
    // would refuse. This one sends only our origin to other sites, and nothing over a downgrade to http.
    referrerPolicy: { policy: "strict-origin-when-cross-origin" },
  });
  // The sandbox's pages are imported only where the sandbox runs, as the sandbox itself is.
  const sandboxInline = config.cybersource.sandbox
    ? await import("./cybersource-sandbox-pages.ts").then((m) => ({ style: m.SANDBOX_PAGE_STYLE, script: m.SANDBOX_AUTO_SUBMIT_SCRIPT }))
    : undefined;
  const policies = Object.fromEntries(
    Object.entries(contentSecurityPolicies(config, sandboxInline)).map(([name, directives]) => [
      name,
      fastifyHelmet.contentSecurityPolicy({ useDefaults: false, directives }),
    ]),
  ) as Record<App, ReturnType<typeof fastifyHelmet.contentSecurityPolicy>>;
  app.addHook("onRequest", (req, reply, done) => {
    policies[appFor(req.url)](req.raw, reply.raw, () => done());
  });
}
