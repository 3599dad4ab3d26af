import { randomUUID } from "node:crypto";
import { appRouter } from "@admit/api";
import { testBackends } from "@admit/db/testing";
import pino from "pino";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestServer, TEST_PASSWORD, type TestServer } from "./harness.ts";

/** What the server logged at error level (pino level 50 and above) since the last reset. */
function capturingLogger() {
  const lines: Array<{ level: number; msg?: string }> = [];
  const logger = pino({ level: "info" }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return {
    logger,
    lines,
    errors: () => lines.filter((line) => line.level >= 50),
    reset: () => void lines.splice(0),
  };
}

function nested(depth: number): string {
  return `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
}

/** Raw request bodies (and tRPC `input` texts) no client should send: each must be a 4xx, never a 500. */
const JUNK = [
  "",
  "[",
  "{",
  "null",
  "[]",
  '"x"',
  "1e999",
  "true",
  nested(5_000),
  '{"id":"\\u0000","username":"a\\u0000b","\\u0000":1}',
  '{"id":1e999,"clubId":99999999999999999999999,"eventId":-1e308,"showingId":"1","quantity":[],"username":{},"decision":null}',
  '{"__proto__":{"isSiteAdmin":true},"constructor":{"prototype":{"x":1}}}',
];

/** Path parameter values for the fuzz: junk, and one value that passes each parameter's schema. */
function pathValues(schema: { type?: string; format?: string } | undefined, name: string): string[] {
  if (name === "path") return ["sign-up/email", "sign-in/username", "nope"];
  const valid = schema?.type === "integer" ? "1" : schema?.format === "uuid" ? randomUUID() : "x";
  return [valid, "99999999999999999999", "%00", "1e999"];
}

/** The one error body of every REST and auth route. */
function expectErrorBody(body: unknown, code?: string) {
  expect(body).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) }, detail: expect.any(String) });
  const { error, detail } = body as { error: { code: string; message: string }; detail: string };
  expect(detail).toBe(error.message);
  if (code) expect(error.code).toBe(code);
}

for (const backend of testBackends()) {
  describe(`bad input is a 4xx in the one error body, never a 500 (${backend.kind})`, () => {
    let server: TestServer;
    let token: string;
    const log = capturingLogger();

    beforeAll(async () => {
      server = await startTestServer(backend, {}, {}, log.logger);
      const { username } = await server.createAccount();
      token = await server.tokenFor(username);
    });
    afterAll(async () => server?.close());
    beforeEach(() => log.reset());

    async function send(method: string, path: string, body?: string, headers: Record<string, string> = {}) {
      const res = await fetch(`${server.url}${path}`, {
        method,
        headers: { origin: server.url, ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
        ...(body === undefined ? {} : { body }),
      });
      const text = await res.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: res.status, headers: res.headers, json, text };
    }

    function expectNothingLoggedAsError() {
      // The capture is wired: every request logs at info.
      expect(log.lines.length).toBeGreaterThan(0);
      expect(log.errors()).toEqual([]);
    }

    it("answers malformed JSON to a tRPC procedure with tRPC's 400, not a 500 with a stack trace in the log", async () => {
      const calls = [
        await send("GET", "/trpc/event.list?input=%5B"),
        await send("GET", "/trpc/account.me?input=%7B"),
        await send("POST", "/trpc/cart.add", ""),
        await send("POST", "/trpc/cart.add", "{"),
        await send("POST", "/trpc/ticket.transfer", '{"id":'),
      ];
      for (const res of calls) {
        expect(res.status, res.text).toBe(400);
        const { error } = res.json as { error: { message: string; code: number; data: { appCode: string; httpStatus: number } } };
        expect(error.code).toBe(-32600);
        expect(error.data).toMatchObject({ appCode: "BAD_REQUEST", httpStatus: 400 });
        expect(error.message).toMatch(/not valid JSON/);
      }
      expectNothingLoggedAsError();
    });

    it("answers a batch call with broken input with a 400 for every call in it", async () => {
      const batches = [
        await send("GET", "/trpc/event.list,account.signInOptions?batch=1&input=%7B"),
        await send("GET", "/trpc/event.list,account.signInOptions?batch=1&input=5"),
        await send("POST", "/trpc/cart.add,cart.remove?batch=1", '{"0":'),
        await send("POST", "/trpc/cart.add,cart.remove?batch=1", "[1,2]", { authorization: `Bearer ${token}` }),
      ];
      for (const res of batches) {
        expect(res.status, res.text).toBe(400);
        const answers = res.json as Array<{ error: { data: { appCode: string; httpStatus: number } } }>;
        expect(answers).toHaveLength(2);
        for (const answer of answers) expect(answer.error.data).toMatchObject({ appCode: "BAD_REQUEST", httpStatus: 400 });
      }
      expectNothingLoggedAsError();
    });

    it("refuses a non-object or over-nested body to the auth routes with a 400 before better-auth sees it", async () => {
      for (const path of ["/api/auth/sign-up/email", "/api/auth/sign-in/username"]) {
        for (const body of ["null", "1e999", "[]", '"x"', "5", "true"]) {
          const res = await send("POST", path, body);
          expect(res.status, `${path} ${body}: ${res.text}`).toBe(400);
          expectErrorBody(res.json, "VALIDATION_FAILED");
          expect((res.json as { detail: string }).detail).toMatch(/JSON object/);
        }
        const deep = await send("POST", path, nested(5_000));
        expect(deep.status, deep.text).toBe(400);
        expectErrorBody(deep.json, "VALIDATION_FAILED");
        expect((deep.json as { detail: string }).detail).toMatch(/nested more than 64 levels/);
      }
      // 64 levels is the same limit every other route has: a body just within it reaches better-auth, which refuses the shape.
      const within = await send("POST", "/api/auth/sign-up/email", nested(63));
      expect(within.status).toBe(400);
      expect((within.json as { detail: string }).detail).not.toMatch(/nested/);
      expectNothingLoggedAsError();
    });

    it("sends better-auth's own refusals in the one error body, keeping their status, codes and cookies", async () => {
      const { username } = await server.createAccount();
      const wrong = await send("POST", "/api/auth/sign-in/username", JSON.stringify({ username, password: "not the password" }));
      expect(wrong.status).toBe(401);
      expectErrorBody(wrong.json, "INVALID_USERNAME_OR_PASSWORD");

      const taken = await send(
        "POST",
        "/api/auth/sign-up/email",
        JSON.stringify({ username, email: `${randomUUID()}@example.edu`, password: TEST_PASSWORD, name: "Someone Else" }),
      );
      expect(taken.status).toBeGreaterThanOrEqual(400);
      expect(taken.status).toBeLessThan(500);
      expectErrorBody(taken.json, "USERNAME_IS_ALREADY_TAKEN");

      const unknown = await send("GET", "/api/auth/no-such-endpoint");
      expect(unknown.status).toBe(404);
      expectErrorBody(unknown.json, "NOT_FOUND");

      const signIn = await send("POST", "/api/auth/sign-in/username", JSON.stringify({ username, password: TEST_PASSWORD }));
      expect(signIn.status).toBe(200);
      expect(signIn.headers.getSetCookie().some((c) => c.startsWith("admit.session_token="))).toBe(true);
      expectNothingLoggedAsError();
    });

    it("gives 413 and 415 their own codes in the one error body, on REST, auth and tRPC routes alike", async () => {
      const huge = JSON.stringify({ username: "x".repeat(1_100_000) });
      for (const path of [`/api/tickets/${randomUUID()}/transfer/`, "/api/auth/sign-in/username", "/trpc/cart.add"]) {
        const tooLarge = await send("POST", path, huge, { authorization: `Bearer ${token}` });
        expect(tooLarge.status, path).toBe(413);
        expectErrorBody(tooLarge.json, "PAYLOAD_TOO_LARGE");
        const wrongType = await send("POST", path, "<x/>", { authorization: `Bearer ${token}`, "content-type": "application/xml" });
        expect(wrongType.status, path).toBe(415);
        // tRPC keeps its own error envelope; its data carries the same code.
        if (path.startsWith("/trpc/")) expect(wrongType.text).toContain('"UNSUPPORTED_MEDIA_TYPE"');
        else expectErrorBody(wrongType.json, "UNSUPPORTED_MEDIA_TYPE");
      }
      const broken = await send("POST", `/api/tickets/${randomUUID()}/transfer/`, "{", { authorization: `Bearer ${token}` });
      expect(broken.status).toBe(400);
      expectErrorBody(broken.json, "BAD_REQUEST");
      expectNothingLoggedAsError();
    });

    it("answers a method a path does not have with 405 and Allow, as the seed API does; unknown paths stay 404", async () => {
      const cases: Array<[string, string, string]> = [
        ["PUT", "/api/tickets/", "GET, HEAD"],
        ["DELETE", "/api/tickets/", "GET, HEAD"],
        ["PATCH", "/api/tickets/", "GET, HEAD"],
        ["PUT", `/api/tickets/${randomUUID()}/transfer/`, "POST"],
        ["DELETE", `/api/tickets/${randomUUID()}/transfer/`, "POST"],
        ["GET", `/api/tickets/${randomUUID()}/transfer/`, "POST"],
        ["DELETE", `/api/tickets/${randomUUID()}/`, "GET, HEAD, PATCH"],
        ["PUT", "/api/auth/sign-in/username", "GET, HEAD, POST"],
      ];
      for (const [method, path, allow] of cases) {
        const res = await send(method, path, undefined, { authorization: `Bearer ${token}` });
        expect(res.status, `${method} ${path}`).toBe(405);
        expect(res.headers.get("allow")?.split(", ").sort()).toEqual(allow.split(", ").sort());
        expectErrorBody(res.json, "METHOD_NOT_ALLOWED");
        expect((res.json as { detail: string }).detail).toBe(`Method "${method}" not allowed.`);
      }
      const missing = await send("PUT", "/api/no-such-thing/");
      expect(missing.status).toBe(404);
      expect(missing.headers.get("allow")).toBeNull();
      expectErrorBody(missing.json, "NOT_FOUND");
      expectNothingLoggedAsError();
    });

    it("fuzz: junk to every REST route in the OpenAPI document and every tRPC procedure is never a 500", async () => {
      const document = (await send("GET", "/api/openapi.json")).json as {
        paths: Record<string, Record<string, { parameters?: Array<{ in: string; name: string; schema?: { type?: string; format?: string } }> }>>;
      };
      const failures: string[] = [];
      let requests = 0;
      const check = async (method: string, path: string, body: string | undefined, headers: Record<string, string> = {}) => {
        requests += 1;
        const res = await send(method, path, body, { authorization: `Bearer ${token}`, ...headers });
        if (res.status >= 500) failures.push(`${method} ${path} ${body?.slice(0, 60)} -> ${res.status} ${res.text.slice(0, 200)}`);
        else if (res.status >= 400 && !path.startsWith("/trpc/") && res.json !== undefined) {
          try {
            expectErrorBody(res.json);
          } catch {
            failures.push(`${method} ${path} ${body?.slice(0, 60)} -> ${res.status} not the one error body: ${res.text.slice(0, 200)}`);
          }
        }
      };

      for (const [template, operations] of Object.entries(document.paths)) {
        for (const [method, operation] of Object.entries(operations)) {
          const pathParams = (operation.parameters ?? []).filter((p) => p.in === "path");
          // Every junk value of one parameter with the valid values of the others: a bounded walk, not a product.
          const valid = Object.fromEntries(pathParams.map((p) => [p.name, pathValues(p.schema, p.name)[0]!]));
          const paths = new Set([template.replace(/\{(\w+)\}/g, (_, name: string) => valid[name] ?? "x")]);
          for (const param of pathParams) {
            for (const value of pathValues(param.schema, param.name)) {
              paths.add(template.replace(/\{(\w+)\}/g, (_, name: string) => (name === param.name ? value : valid[name]!)));
            }
          }
          for (const path of paths) {
            if (method === "get") {
              await check("GET", `${path}?${new URLSearchParams({ reference: "\u0000", limit: "1e999", x: "[" })}`, undefined);
              continue;
            }
            for (const body of JUNK) await check(method.toUpperCase(), path, body);
            await check(method.toUpperCase(), path, "a=%00&decision=ACCEPT&signature=1e999", {
              "content-type": "application/x-www-form-urlencoded",
            });
          }
        }
      }

      const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>;
      for (const [name, procedure] of Object.entries(procedures)) {
        for (const input of JUNK) {
          if (procedure._def.type === "query") await check("GET", `/trpc/${name}?input=${encodeURIComponent(input)}`, undefined);
          else await check("POST", `/trpc/${name}`, input);
        }
      }

      expect(failures).toEqual([]);
      expect(requests).toBeGreaterThan(300);
      expect(log.errors()).toEqual([]);
    }, 120_000);
  });
}
