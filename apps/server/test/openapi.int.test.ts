import { testBackends } from "@admit/db/testing";
import { Ajv2020 } from "ajv/dist/2020.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openApiPath, registeredRoutes } from "../src/http/openapi.ts";
import { startTestServer, type TestServer } from "./harness.ts";
import { rest, ticketWorld } from "./tickets-fixture.ts";

type Json = Record<string, unknown>;
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/** Every `$ref` in the document, with where it sits. */
function refs(value: unknown, at = "#"): Array<{ at: string; ref: string }> {
  if (Array.isArray(value)) return value.flatMap((v, i) => refs(v, `${at}/${i}`));
  if (!value || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, v]) =>
    key === "$ref" && typeof v === "string" ? [{ at, ref: v }] : refs(v, `${at}/${key.replaceAll("~", "~0").replaceAll("/", "~1")}`),
  );
}

function resolvePointer(document: unknown, ref: string): unknown {
  if (!ref.startsWith("#/")) return undefined;
  let node: unknown = document;
  for (const raw of ref.slice(2).split("/")) {
    const key = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    if (!node || typeof node !== "object" || !(key in node)) return undefined;
    node = (node as Json)[key];
  }
  return node;
}

/** Every place the document holds a JSON Schema: components, parameters, request and response bodies. */
function schemasIn(document: Json): Array<{ at: string; schema: Json }> {
  const found: Array<{ at: string; schema: Json }> = [];
  const components = document.components as { schemas: Record<string, Json> };
  for (const [name, schema] of Object.entries(components.schemas)) found.push({ at: `components.schemas.${name}`, schema });
  for (const [path, item] of Object.entries(document.paths as Record<string, Json>)) {
    for (const [method, op] of Object.entries(item) as Array<[string, Json]>) {
      for (const p of (op.parameters ?? []) as Json[]) found.push({ at: `${method} ${path} parameter ${String(p.name)}`, schema: p.schema as Json });
      const bodies = [op.requestBody, ...Object.values(op.responses as Json)] as Array<Json | undefined>;
      for (const body of bodies) {
        for (const [type, media] of Object.entries((body?.content ?? {}) as Record<string, Json>)) {
          found.push({ at: `${method} ${path} ${type}`, schema: media.schema as Json });
        }
      }
    }
  }
  return found;
}

for (const backend of testBackends()) {
  describe(`the OpenAPI document (${backend.kind})`, () => {
    let server: TestServer;
    let document: Json;

    beforeAll(async () => {
      server = await startTestServer(backend);
      const answer = await rest(server, "GET", "/api/openapi.json");
      expect(answer.status).toBe(200);
      document = answer.body as Json;
    });
    afterAll(async () => server?.close());

    it("has the structure OpenAPI 3.1 requires", () => {
      expect(document.openapi).toMatch(/^3\.1\.\d+$/);
      expect(document.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
      const operationIds = new Set<string>();
      for (const [path, item] of Object.entries(document.paths as Record<string, Json>)) {
        expect(path.startsWith("/"), path).toBe(true);
        const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
        for (const [method, op] of Object.entries(item) as Array<[string, Json]>) {
          expect(METHODS, `${path} ${method}`).toContain(method);
          expect(Object.keys(op.responses as Json).length, `${method} ${path} responses`).toBeGreaterThan(0);
          for (const [status, response] of Object.entries(op.responses as Record<string, Json>)) {
            expect(status).toMatch(/^([1-5]\d\d|default)$/);
            expect(typeof response.description === "string" || typeof response.$ref === "string", `${method} ${path} ${status}`).toBe(true);
          }
          const pathParams = ((op.parameters ?? []) as Json[]).filter((p) => p.in === "path");
          expect(pathParams.map((p) => p.name).sort(), `${method} ${path} path parameters`).toEqual([...templated].sort());
          expect(pathParams.every((p) => p.required === true)).toBe(true);
          expect(operationIds.has(op.operationId as string), `operationId ${String(op.operationId)} is unique`).toBe(false);
          operationIds.add(op.operationId as string);
          const schemes = Object.keys((document.components as { securitySchemes: Json }).securitySchemes);
          for (const requirement of (op.security ?? []) as Json[]) {
            for (const name of Object.keys(requirement)) expect(schemes).toContain(name);
          }
        }
      }
    });

    it("resolves every $ref", () => {
      const all = refs(document);
      expect(all.length).toBeGreaterThan(0);
      for (const { at, ref } of all) expect(resolvePointer(document, ref), `${ref} at ${at}`).toBeDefined();
    });

    it("holds only valid JSON Schema 2020-12", () => {
      const ajv = new Ajv2020({ strict: false });
      for (const { at, schema } of schemasIn(document)) {
        expect(ajv.validateSchema(schema), `${at}: ${ajv.errorsText(ajv.errors)}`).toBe(true);
      }
    });

    it("describes exactly the REST routes the server registered", () => {
      // Everything Fastify serves except tRPC and static files: the /api surface, plus dev-only extras such as the
      // payment sandbox, which may be documented but need not be.
      const served = registeredRoutes(server.app)
        .filter((r) => r.method !== "HEAD" && r.method !== "OPTIONS" && !r.url.startsWith("/trpc"))
        .map((r) => `${r.method} ${openApiPath(r.url)}`);
      const documented = Object.entries(document.paths as Record<string, Json>).flatMap(([path, item]) =>
        Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
      );
      const servedApi = served.filter((route) => route.split(" ")[1]!.startsWith("/api/"));
      expect(servedApi.length).toBeGreaterThan(5);
      expect(documented.filter((route) => !served.includes(route)), "documented but not served").toEqual([]);
      expect(servedApi.filter((route) => !documented.includes(route)), "served but not documented").toEqual([]);
      expect(new Set(documented).size).toBe(documented.length);
      expect(documented).toEqual(expect.arrayContaining([
        "GET /api/tickets/",
        "GET /api/tickets/{id}/",
        "GET /api/tickets/{id}/qr/",
        "PATCH /api/tickets/{id}/",
        "POST /api/tickets/{id}/transfer/",
        "GET /api/health",
        "POST /api/auth/token",
        "GET /api/auth/{path}",
        "POST /api/auth/{path}",
        "GET /api/openapi.json",
      ]));
    });

    it("documents auth, the common errors and the bodies the server really sends", async () => {
      const paths = document.paths as Record<string, Record<string, Json>>;
      const list = paths["/api/tickets/"]!.get!;
      expect(list.security).toEqual([{ bearerToken: [] }, { sessionCookie: [] }]);
      for (const status of ["400", "401", "403", "404", "409", "429"]) expect(list.responses).toHaveProperty(status);
      expect(paths["/api/health"]!.get!.security).toEqual([]);
      expect(paths["/api/tickets/{id}/qr/"]!.get!.responses).toMatchObject({ 200: { content: { "image/png": expect.any(Object) } } });
      expect(paths["/api/tickets/{id}/"]!.patch!.requestBody).toMatchObject({
        content: { "application/json": { schema: { properties: { attended: { type: "boolean" } }, required: ["attended"] } } },
      });

      // Responses validate against the documented schemas (generated from the same zod schemas).
      const ajv = new Ajv2020({ strict: false, validateFormats: false });
      ajv.addSchema({ $id: "https://admit.test/openapi.json", ...document });
      const schemaAt = (pointer: string) => ajv.compile({ $ref: `https://admit.test/openapi.json${pointer}` });
      const world = await ticketWorld(server);
      const id = await world.ticket();
      const mine = await rest(server, "GET", "/api/tickets/", { token: world.owner.token });
      const listSchema = schemaAt("#/paths/~1api~1tickets~1/get/responses/200/content/application~1json/schema");
      expect(listSchema(mine.body), ajv.errorsText(listSchema.errors)).toBe(true);
      expect((mine.body as unknown[]).length).toBe(1);
      expect(listSchema([{ ...(mine.body as Json[])[0], price: 15 }])).toBe(false);
      const errorSchema = schemaAt("#/components/schemas/ErrorBody");
      for (const answer of [
        await rest(server, "GET", "/api/tickets/"),
        await rest(server, "GET", `/api/tickets/${id}/`, { token: world.student.token }),
        await rest(server, "PATCH", `/api/tickets/${id}/`, { token: world.officer.token, body: {} }),
      ]) {
        expect(errorSchema(answer.body), ajv.errorsText(errorSchema.errors)).toBe(true);
      }
      expect(errorSchema({ error: { code: "X" }, detail: "y" })).toBe(false);
      const health = await rest(server, "GET", "/api/health");
      const healthSchema = schemaAt("#/paths/~1api~1health/get/responses/200/content/application~1json/schema");
      expect(healthSchema(health.body), ajv.errorsText(healthSchema.errors)).toBe(true);
    });
  });
}
