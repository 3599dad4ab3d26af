import type { FastifyRequest } from "fastify";

/** Node's header object as a Fetch `Headers`, which better-auth and the context resolver read. */
export function requestHeaders(req: FastifyRequest): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else headers.set(name, value);
  }
  return headers;
}
