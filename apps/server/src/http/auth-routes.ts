import { STATUS_CODES } from "node:http";
import { errorPayload, requireStorableInput } from "@admit/api";
import type { Auth, CampusRequestNotes } from "@admit/auth";
import { AUTH_BASE_PATH, SIGN_IN_PROBLEM_PATH, withCampusNotes } from "@admit/auth";
import { DomainError } from "@admit/domain";
import { tokenRequestSchema, tokenResponseSchema } from "@admit/validators";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { sendError, sendStatusError } from "./errors.ts";
import { requestHeaders } from "./headers.ts";
import { describeRoute } from "./openapi.ts";
import { route } from "./route.ts";

/**
 * better-auth reads every body as an object: `null` or a number makes it fail with a 500, and re-serializing
 * thousands of nesting levels overflows the stack. Refused here, with the limits every other route has.
 */
function requireAuthBody(body: unknown): void {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new DomainError("VALIDATION_FAILED", "The request body must be a JSON object.");
  }
  requireStorableInput(body);
}

/** Hands a request to better-auth as a Fetch Request; the client address is the one Fastify trusts, never a header the client chose. */
async function callAuth(
  auth: Auth,
  req: FastifyRequest,
  publicUrl: string,
  path = req.url,
  body: unknown = req.body,
  notes: CampusRequestNotes = {},
) {
  const headers = requestHeaders(req);
  headers.set("x-forwarded-for", req.ip);
  const hasBody = req.method !== "GET" && req.method !== "HEAD" && body !== undefined;
  if (hasBody) {
    requireAuthBody(body);
    headers.set("content-type", "application/json");
  } else {
    headers.delete("content-type");
  }
  headers.delete("content-length");
  const request = new Request(new URL(path, publicUrl), {
    method: req.method,
    headers,
    ...(hasBody ? { body: JSON.stringify(body) } : {}),
  });
  return withCampusNotes(notes, () => auth.handler(request));
}

/**
 * A failed campus sign-in or link is a redirect to the storefront's problem page with `?error=<code>`. The student
 * reads plain words there; the technical reason is logged here: the provider's own error for a refused code exchange
 * (better-auth reports every one as invalid_code, so the page gets the provider's code instead) and any description,
 * which stays out of the browser's address bar.
 */
function campusProblemRedirect(req: FastifyRequest, response: Response, publicUrl: string, notes: CampusRequestNotes): string | null {
  const location = response.headers.get("location");
  if (!location || response.status < 300 || response.status >= 400) return null;
  const target = new URL(location, publicUrl);
  const ours = target.origin === new URL(publicUrl).origin;
  // The library's developer page must never be shown; its codes go to ours.
  if (!ours || (target.pathname !== SIGN_IN_PROBLEM_PATH && target.pathname !== `${AUTH_BASE_PATH}/error`)) return null;
  const reported = target.searchParams.get("error") ?? "unknown";
  const provider = notes.providerError;
  const code = provider && (reported === "invalid_code" || reported === "unknown") ? provider.error : reported;
  const incoming = new URL(req.url, publicUrl).searchParams;
  req.log.warn(
    {
      campusSignIn: code,
      reported,
      description: target.searchParams.get("error_description") ?? undefined,
      providerError: provider,
      // What the provider sent to the callback (e.g. access_denied when the student cancelled there).
      callbackError: incoming.get("error") ?? undefined,
      callbackErrorDescription: incoming.get("error_description") ?? undefined,
      path: req.url.split("?")[0],
    },
    `campus sign-in failed: ${code}`,
  );
  const page = new URL(SIGN_IN_PROBLEM_PATH, publicUrl);
  target.searchParams.forEach((value, name) => {
    if (name !== "error" && name !== "error_description") page.searchParams.set(name, value);
  });
  page.searchParams.set("error", code);
  return page.toString();
}

/** better-auth's error answers are `{ code, message }` (sometimes no body at all); sent on in the API's one error body. */
async function relayError(req: FastifyRequest, reply: FastifyReply, response: Response) {
  const text = await response.text();
  // Campus sign-in with its provider down (CAMPUS_SIGN_IN_UNAVAILABLE): the message is for the student.
  if (response.status === 503) {
    const parsed = (() => {
      try {
        return JSON.parse(text) as { message?: unknown };
      } catch {
        return {};
      }
    })();
    if (typeof parsed.message === "string") {
      reply.removeHeader("content-type");
      return sendStatusError(reply, 503, parsed.message);
    }
  }
  if (response.status >= 500) {
    const { body } = errorPayload(new Error(`better-auth answered ${response.status}: ${text.slice(0, 1000)}`));
    reply.log.error({ path: req.url.split("?")[0], status: response.status, answer: text.slice(0, 1000) }, "auth request failed");
    return reply.removeHeader("content-type").status(response.status).send(body);
  }
  let answer: { code?: unknown; message?: unknown } = {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === "object") answer = parsed;
  } catch {
    // Not JSON: the status alone says what happened.
  }
  const message =
    typeof answer.message === "string" && answer.message
      ? answer.message
      : response.status === 404
        ? `Nothing is at ${req.method} ${req.url.split("?")[0]}.`
        : `The request was refused (${[response.status, STATUS_CODES[response.status]].filter(Boolean).join(" ")}).`;
  reply.removeHeader("content-type");
  // better-auth's own code (e.g. USERNAME_IS_ALREADY_TAKEN) is more precise than any the status could give.
  return typeof answer.code === "string" && answer.code
    ? sendStatusError(reply, response.status, message, answer.code)
    : sendStatusError(reply, response.status, message);
}

async function relay(req: FastifyRequest, reply: FastifyReply, response: Response, problemPage: string | null = null) {
  reply.status(response.status);
  response.headers.forEach((value, name) => {
    if (name !== "set-cookie" && name !== "content-length") reply.header(name, value);
  });
  if (problemPage) reply.header("location", problemPage);
  // Sign-out and expired sessions clear cookies in error answers too.
  const cookies = response.headers.getSetCookie();
  if (cookies.length) reply.header("set-cookie", cookies);
  if (response.status >= 400) return relayError(req, reply, response);
  return reply.send(response.body ? Buffer.from(await response.arrayBuffer()) : null);
}

export function registerAuthRoutes(app: FastifyInstance, auth: Auth, publicUrl: string) {
  // The campus provider's background discovery ends with the server.
  app.addHook("onClose", (_app, done) => {
    auth.campus?.stop();
    done();
  });


  route(app, {
    method: "POST",
    url: `${AUTH_BASE_PATH}/token`,
    summary: "Get an API token",
    description:
      "For scripts and apps: trades a username and password for a bearer token (a session without a cookie). A wrong password and an unknown username get the same 401. Rate-limited per client address.",
    tags: ["auth"],
    auth: "public",
    body: tokenRequestSchema,
    responses: { 200: { description: "The token; send it as Authorization: Bearer <token>", schema: tokenResponseSchema } },
    handler: async ({ req, reply, body }) => {
      const response = await callAuth(auth, req, publicUrl, `${AUTH_BASE_PATH}/sign-in/username`, body);
      if (response.status === 429) {
        reply.header("retry-after", response.headers.get("x-retry-after") ?? "60");
        throw new DomainError("RATE_LIMITED", "Too many sign-in attempts. Wait a minute and try again.");
      }
      if (!response.ok) throw new DomainError("INVALID_CREDENTIALS", "The username or password is wrong.");
      const { token } = (await response.json()) as { token: string };
      return { token };
    },
  });

  app.route({
    method: ["GET", "POST"],
    url: `${AUTH_BASE_PATH}/*`,
    handler: async (req, reply) => {
      // The library's developer error page: anyone who reaches it (an old link, a redirect we did not foresee) gets the
      // storefront's page for the same code instead.
      if (req.method === "GET" && req.url.split("?")[0] === `${AUTH_BASE_PATH}/error`) {
        const page = new URL(SIGN_IN_PROBLEM_PATH, publicUrl);
        const code = new URL(req.url, publicUrl).searchParams.get("error");
        page.searchParams.set("error", code && /^[\w.-]{1,64}$/.test(code) ? code : "unknown");
        return reply.redirect(page.toString(), 302);
      }
      let response: Response;
      const notes: CampusRequestNotes = {};
      try {
        response = await callAuth(auth, req, publicUrl, req.url, req.body, notes);
      } catch (error) {
        return sendError(reply, error);
      }
      return relay(req, reply, response, campusProblemRedirect(req, response, publicUrl, notes));
    },
  });
  describeRoute(app, {
    method: ["GET", "POST"],
    url: `${AUTH_BASE_PATH}/*`,
    summary: "Browser sign-in, sign-up, sign-out and session (better-auth)",
    description:
      "Handled by better-auth: e.g. POST sign-in/username, POST sign-up/email, POST sign-out, GET get-session, POST request-password-reset {email} (the same answer whether or not the address has an account), POST reset-password {token, newPassword} (the token from the e-mailed link; single use, 30 minutes; signs the account out everywhere), POST send-verification-email {email}, GET verify-email?token=..., and the campus single sign-on redirect and callback (callback/campus; every failure is a redirect to the storefront's /sign-in/problem?error=<code>, and GET error redirects there too), link-social {provider: campus} (a signed-in student links her campus identity; needs a password sign-in within 10 minutes) and list-accounts. POST sign-in/social and link-social for campus answer 503 while the provider is unreachable. Browsers must send an Origin header matching PUBLIC_URL. A body must be a JSON object (nested at most 64 levels). Errors come in the usual error body with better-auth's own code where it gives one (e.g. USERNAME_IS_ALREADY_TAKEN, INVALID_USERNAME_OR_PASSWORD).",
    tags: ["auth"],
    auth: "public",
    responses: { 200: { description: "better-auth's answer (JSON, or a redirect for single sign-on)" } },
  });
}
