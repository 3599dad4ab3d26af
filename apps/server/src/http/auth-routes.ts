import type { Auth } from "@admit/auth";
import { AUTH_BASE_PATH } from "@admit/auth";
import { DomainError } from "@admit/domain";
import { tokenRequestSchema } from "@admit/validators";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { errorBody, sendError } from "./errors.ts";
import { requestHeaders } from "./headers.ts";

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
  // For scripts and apps: trade a username and password for a bearer token (a session without a cookie).
  app.post(`${AUTH_BASE_PATH}/token`, async (req, reply) => {
    const parsed = tokenRequestSchema.safeParse(req.body);
    if (!parsed.success) {
      return reply.status(400).send(errorBody("BAD_REQUEST", "Send JSON with a username and a password."));
    }
    const response = await callAuth(auth, req, publicUrl, `${AUTH_BASE_PATH}/sign-in/username`, parsed.data);
    if (response.status === 429) {
      return reply
        .status(429)
        .header("retry-after", response.headers.get("x-retry-after") ?? "60")
        .send(errorBody("RATE_LIMITED", "Too many sign-in attempts. Wait a minute and try again."));
    }
    if (!response.ok) {
      return sendError(reply, new DomainError("INVALID_CREDENTIALS", "The username or password is wrong."));
    }
    const { token } = (await response.json()) as { token: string };
    return reply.header("cache-control", "no-store").send({ token });
  });

  app.route({
    method: ["GET", "POST"],
    url: `${AUTH_BASE_PATH}/*`,
    handler: async (req, reply) => relay(reply, await callAuth(auth, req, publicUrl)),
  });
}
