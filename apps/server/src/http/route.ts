import type { FastifyInstance, FastifyReply, FastifyRequest, preParsingAsyncHookHandler } from "fastify";
import type { z } from "zod";
import { handle, parse } from "./rest.ts";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** Who may call a REST route; the OpenAPI document shows it as the route's security. */
export type RouteAuth = "public" | "user" | "officer" | "admin" | "device" | "signature";

export interface RouteResponse {
  description: string;
  schema?: z.ZodType;
  /** Defaults to application/json; e.g. image/png, text/csv, text/html. */
  contentType?: string;
}

export interface RouteSpec<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  method: HttpMethod;
  /** Fastify style, e.g. /api/tickets/:id/ */
  url: string;
  summary: string;
  description?: string;
  tags: string[];
  auth: RouteAuth;
  params?: P;
  query?: Q;
  body?: B;
  /** The content type the body arrives in; CyberSource posts forms. */
  bodyType?: "json" | "form";
  /** Sees the raw body as it streams to the parser (the payment callbacks measure and hash it). */
  preParsing?: preParsingAsyncHookHandler;
  /** Success responses (the error responses are added to the document for every route). */
  responses: Record<number, RouteResponse>;
  handler: (input: {
    req: FastifyRequest;
    reply: FastifyReply;
    params: z.output<P>;
    query: z.output<Q>;
    body: z.output<B>;
  }) => Promise<unknown>;
}

declare module "fastify" {
  interface FastifyContextConfig {
    /** Set on every `route()`: who may call it. */
    auth?: RouteAuth;
    /** Set on every `route()`: the one body type it reads besides none. */
    bodyType?: "json" | "form";
  }
}

export type AnyRouteSpec = RouteSpec<z.ZodType, z.ZodType, z.ZodType>;

const catalogs = new WeakMap<FastifyInstance, AnyRouteSpec[]>();

/** Every REST route registered through `route`, for the OpenAPI document and the test that checks it. */
export function routeCatalog(app: FastifyInstance): AnyRouteSpec[] {
  let catalog = catalogs.get(app);
  if (!catalog) {
    catalog = [];
    catalogs.set(app, catalog);
  }
  return catalog;
}

/**
 * Registers a REST route from one spec: the same zod schemas validate the request (a mismatch is a 400 naming the
 * field) and describe it in /api/openapi.json, so the document cannot drift from what the server does.
 */
export function route<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType>(
  app: FastifyInstance,
  spec: RouteSpec<P, Q, B>,
) {
  routeCatalog(app).push(spec);
  app.route({
    method: spec.method,
    url: spec.url,
    // Read before the body is: the origin check and the body-type gate (origin-check.ts, body-types.ts).
    config: { auth: spec.auth, bodyType: spec.bodyType ?? "json" },
    ...(spec.preParsing ? { preParsing: spec.preParsing } : {}),
    handler: handle(async (req, reply) =>
      spec.handler({
        req,
        reply,
        params: (spec.params ? parse(spec.params, req.params) : req.params) as z.output<P>,
        query: (spec.query ? parse(spec.query, req.query) : req.query) as z.output<Q>,
        body: (spec.body ? parse(spec.body, req.body ?? {}) : req.body) as z.output<B>,
      }),
    ),
  });
}
