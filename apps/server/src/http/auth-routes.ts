import type { Auth } from "@admit/auth";
import { AUTH_BASE_PATH } from "@admit/auth";
import { DomainError } from "@admit/domain";
import { tokenRequestSchema, tokenResponseSchema } from "@admit/validators";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { requestHeaders } from "./headers.ts";
import { describeRoute } from "./openapi.ts";
import { route } from "./route.ts";

/** Hands a request to better-auth as a Fetch Request; the client address is the one Fastify trusts, never a header the client chose. */
async function callAuth(auth: Auth, req: FastifyRequest, publicUrl: string, path = req.url, body: unknown = req.body) {
  const headers = requestHeaders(req);
  headers.set("x-forwarded-for", req.ip);
  const hasBody = req.method !== "GET" && req.method !== "HEAD" && body !== undefined && body !== null;
  if (hasBody) headers.set("content-type", "application/json");
  headers.delete("content-length");
  return auth.handler(
    new Request(new URL(path, publicUrl), {
      method: req.method,
      headers,
      ...(hasBody ? { body: JSON.stringify(body) } : {}),
    }),
  );
}

async function relay(reply: FastifyReply, response: Response) {
  reply.status(response.status);
  response.headers.forEach((value, name) => {
    if (name !== "set-cookie" && name !== "content-length") reply.header(name, value);
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) reply.header("set-cookie", cookies);
  return reply.send(response.body ? Buffer.from(await response.arrayBuffer()) : null);
}

export function registerAuthRoutes(app: FastifyInstance, auth: Auth, publicUrl: string) {
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
    handler: async (req, reply) => relay(reply, await callAuth(auth, req, publicUrl)),
  });
  describeRoute(app, {
    method: ["GET", "POST"],
    url: `${AUTH_BASE_PATH}/*`,
    summary: "Browser sign-in, sign-up, sign-out and session (better-auth)",
    description:
      "Handled by better-auth: e.g. POST sign-in/username, POST sign-up/email, POST sign-out, GET get-session, and the campus single sign-on redirect and callback (oauth2/callback/campus). Browsers must send an Origin header matching PUBLIC_URL.",
    tags: ["auth"],
    auth: "public",
    responses: { 200: { description: "better-auth's answer (JSON, or a redirect for single sign-on)" } },
  });
}
