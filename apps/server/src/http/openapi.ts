import { errorBodySchema } from "@admit/validators";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { Runtime } from "../runtime.ts";
import { route, routeCatalog, type HttpMethod, type RouteAuth, type RouteResponse } from "./route.ts";

type JsonSchema = Record<string, unknown>;

/** A route served outside `route()` (e.g. relayed to better-auth), described for the document only. */
export interface DescribedRoute {
  method: HttpMethod | HttpMethod[];
  url: string;
  summary: string;
  description?: string;
  tags: string[];
  auth: RouteAuth;
  responses: Record<number, RouteResponse>;
}

const described = new WeakMap<FastifyInstance, DescribedRoute[]>();
const tracked = new WeakMap<FastifyInstance, Array<{ method: string; url: string }>>();

export function describeRoute(app: FastifyInstance, spec: DescribedRoute): void {
  described.set(app, [...(described.get(app) ?? []), spec]);
}

/** Records every route Fastify registers (call first in buildApp), so a test can hold the document against them. */
export function trackRoutes(app: FastifyInstance): void {
  const routes: Array<{ method: string; url: string }> = [];
  tracked.set(app, routes);
  app.addHook("onRoute", (options) => {
    for (const method of [options.method].flat()) routes.push({ method, url: options.url });
  });
}

export function registeredRoutes(app: FastifyInstance): Array<{ method: string; url: string }> {
  return [...(tracked.get(app) ?? [])];
}

/** Fastify's `/api/tickets/:id/` and `/api/auth/*` as OpenAPI paths: `/api/tickets/{id}/`, `/api/auth/{path}`. */
export function openApiPath(url: string): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, "{$1}").replace(/\*$/, "{path}");
}

const ERROR_RESPONSES: Record<number, { name: string; description: string }> = {
  400: { name: "BadRequest", description: "The request is malformed or a field is invalid; nothing was changed" },
  401: { name: "Unauthorized", description: "No valid credentials (missing, expired or revoked)" },
  403: { name: "Forbidden", description: "Not allowed: the error code says which rule refused it" },
  404: { name: "NotFound", description: "Not found, or not visible to the caller" },
  409: { name: "Conflict", description: "The current state does not allow this" },
  429: { name: "TooManyRequests", description: "Too many attempts; wait and retry" },
};

const SECURITY: Record<RouteAuth, Array<Record<string, string[]>>> = {
  public: [],
  signature: [],
  user: [{ bearerToken: [] }, { sessionCookie: [] }],
  officer: [{ bearerToken: [] }, { sessionCookie: [] }],
  admin: [{ bearerToken: [] }, { sessionCookie: [] }],
  device: [{ deviceToken: [] }],
};

const AUTH_NOTE: Record<RouteAuth, string> = {
  public: "No credentials needed.",
  signature: "No credentials: the body carries the payment processor's signature, which is checked.",
  user: "A signed-in person (API token or session cookie).",
  officer: "A signed-in owner or officer of the club concerned (site administrators count as officers of every club).",
  admin: "A signed-in site administrator (API token or session cookie).",
  device: "A paired, unrevoked door device.",
};

/** Converts zod schemas to JSON Schema 2020-12, collecting shared definitions under components.schemas. */
class SchemaConverter {
  readonly components: Record<string, JsonSchema> = {};
  private counter = 0;

  convert(schema: z.ZodType, io: "input" | "output"): JsonSchema {
    const json = z.toJSONSchema(schema, {
      target: "draft-2020-12",
      io,
      unrepresentable: "any",
      override: ({ zodSchema, jsonSchema }) => {
        // Dates leave the server as ISO 8601 strings (validators' dateTimeOut: a date piped into a transform).
        const def = zodSchema._zod.def as { type: string; in?: z.ZodType; out?: z.ZodType };
        if (io === "output" && def.type === "pipe" && def.in?._zod.def.type === "date" && def.out?._zod.def.type === "transform") {
          for (const key of Object.keys(jsonSchema)) delete (jsonSchema as JsonSchema)[key];
          Object.assign(jsonSchema, { type: "string", format: "date-time" });
        }
      },
    }) as JsonSchema;
    delete json.$schema;
    const defs = (json.$defs ?? {}) as Record<string, JsonSchema>;
    delete json.$defs;
    const renamed = new Map<string, string>();
    for (const name of Object.keys(defs)) renamed.set(name, `${name.replace(/[^A-Za-z0-9_.-]/g, "_")}_${++this.counter}`);
    const rewrite = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(rewrite);
      if (value && typeof value === "object") {
        return Object.fromEntries(
          Object.entries(value).map(([key, v]) => {
            if (key === "$ref" && typeof v === "string" && v.startsWith("#/$defs/")) {
              return [key, `#/components/schemas/${renamed.get(v.slice(8)) ?? v.slice(8)}`];
            }
            return [key, rewrite(v)];
          }),
        );
      }
      return value;
    };
    for (const [name, def] of Object.entries(defs)) this.components[renamed.get(name)!] = rewrite(def) as JsonSchema;
    return rewrite(json) as JsonSchema;
  }
}

function operationId(method: string, url: string): string {
  const words = url.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return method.toLowerCase() + words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join("");
}

function parameters(converter: SchemaConverter, url: string, params?: z.ZodType, query?: z.ZodType) {
  const pathSchema = params ? converter.convert(params, "input") : {};
  const pathProps = (pathSchema.properties ?? {}) as Record<string, JsonSchema>;
  const names = [...openApiPath(url).matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
  const result: JsonSchema[] = names.map((name) => ({
    name,
    in: "path",
    required: true,
    schema: pathProps[name] ?? { type: "string" },
  }));
  if (query) {
    const querySchema = converter.convert(query, "input");
    const required = new Set((querySchema.required ?? []) as string[]);
    for (const [name, schema] of Object.entries((querySchema.properties ?? {}) as Record<string, JsonSchema>)) {
      result.push({ name, in: "query", required: required.has(name), schema });
    }
  }
  return result;
}

function successResponse(converter: SchemaConverter, response: RouteResponse): JsonSchema {
  const contentType = response.contentType ?? "application/json";
  if (!response.schema && !response.contentType) return { description: response.description };
  const schema = response.schema
    ? converter.convert(response.schema, "output")
    : contentType.startsWith("application/json")
      ? {}
      : { type: "string", contentMediaType: contentType };
  return { description: response.description, content: { [contentType]: { schema } } };
}

interface DocumentedSpec extends DescribedRoute {
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  bodyType?: "json" | "form";
}

/** The OpenAPI 3.1 document of every REST route: the `route()` catalog plus the described ones. */
export function buildOpenApiDocument(app: FastifyInstance, publicUrl: string) {
  const converter = new SchemaConverter();
  const specs: DocumentedSpec[] = [...routeCatalog(app), ...(described.get(app) ?? [])];
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const spec of specs) {
    const path = openApiPath(spec.url);
    for (const method of [spec.method].flat()) {
      const responses: Record<string, JsonSchema> = {};
      for (const [status, response] of Object.entries(spec.responses)) {
        responses[status] = successResponse(converter, response);
      }
      for (const [status, { name }] of Object.entries(ERROR_RESPONSES)) {
        const needsCredentials = spec.auth !== "public" && spec.auth !== "signature";
        if (status === "401" && !needsCredentials) continue;
        responses[status] ??= { $ref: `#/components/responses/${name}` };
      }
      const operation: JsonSchema = {
        operationId: operationId(method, spec.url),
        summary: spec.summary,
        description: [spec.description, AUTH_NOTE[spec.auth]].filter(Boolean).join("\n\n"),
        tags: spec.tags,
        security: SECURITY[spec.auth],
        parameters: parameters(converter, spec.url, spec.params, spec.query),
        responses,
      };
      if (spec.body) {
        const type = spec.bodyType === "form" ? "application/x-www-form-urlencoded" : "application/json";
        operation.requestBody = { required: true, content: { [type]: { schema: converter.convert(spec.body, "input") } } };
      }
      (paths[path] ??= {})[method.toLowerCase()] = operation;
    }
  }
  const tags = [...new Set(specs.flatMap((s) => s.tags))].sort().map((name) => ({ name }));
  return {
    openapi: "3.1.0",
    info: {
      title: "Admit API",
      version: "1.0.0",
      description:
        "Ticketing for student clubs. Errors always have the body ErrorBody. Scripts get a bearer token from POST /api/auth/token. The web apps use tRPC at /trpc, which is not described here.",
    },
    servers: [{ url: publicUrl }],
    tags,
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
    components: {
      schemas: { ErrorBody: converter.convert(errorBodySchema, "output"), ...converter.components },
      responses: Object.fromEntries(
        Object.values(ERROR_RESPONSES).map(({ name, description }) => [
          name,
          { description, content: { "application/json": { schema: { $ref: "#/components/schemas/ErrorBody" } } } },
        ]),
      ),
      securitySchemes: {
        bearerToken: { type: "http", scheme: "bearer", description: "An API token from POST /api/auth/token." },
        sessionCookie: {
          type: "apiKey",
          in: "cookie",
          name: "admit.session_token",
          description:
            "The browser session cookie set at sign-in (named __Secure-admit.session_token over HTTPS). A request that changes something with it must come from PUBLIC_URL's origin (Origin header, or Sec-Fetch-Site: same-origin), else 403 CROSS_ORIGIN_REFUSED.",
        },
        deviceToken: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "admitdev_...",
          description: "A paired door device's token (it starts with admitdev_).",
        },
      },
    },
  };
}

export type OpenApiDocument = ReturnType<typeof buildOpenApiDocument>;

/** Serves the document at /api/openapi.json, built once on first request (when every route is registered). */
export function registerOpenApi(app: FastifyInstance, runtime: Runtime) {
  let document: OpenApiDocument | undefined;
  route(app, {
    method: "GET",
    url: "/api/openapi.json",
    summary: "This API description",
    description: "The OpenAPI 3.1 document of every REST route, generated from the same zod schemas that validate requests.",
    tags: ["meta"],
    auth: "public",
    responses: { 200: { description: "An OpenAPI 3.1 document", schema: z.record(z.string(), z.unknown()) } },
    handler: () => Promise.resolve((document ??= buildOpenApiDocument(app, runtime.config.publicUrl))),
  });
}
