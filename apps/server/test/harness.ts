import type { Socket } from "node:net";
import { createLocalAccount } from "@admit/auth";
import type { Database } from "@admit/db";
import { unique } from "@admit/db/factories";
import type { TestBackend } from "@admit/db/testing";
import { ManualClock } from "@admit/domain";
import type { FastifyBaseLogger, FastifyInstance } from "fastify";
import { buildApp } from "../src/app.ts";
import { loadConfig } from "../src/config.ts";
import { createRuntime, type Runtime, type RuntimeOptions } from "../src/runtime.ts";
import { freePort } from "./free-port.ts";

export { freePort };

export const TEST_PASSWORD = "correct horse battery";


export interface TestServer {
  url: string;
  /** The Fastify instance behind `url` (e.g. for the routes it registered). */
  app: FastifyInstance;
  runtime: Runtime;
  db: Database;
  clock: ManualClock;
  close(): Promise<void>;
  /** A new local account with TEST_PASSWORD and a confirmed address (unless told otherwise); returns its id and username. */
  createAccount(extra?: { username?: string; fullName?: string; emailVerified?: boolean }): Promise<{ id: string; username: string }>;
  /** A bearer token for an account, through POST /api/auth/token. */
  tokenFor(username: string): Promise<string>;
}

/** A real server on a random port over a real database (PGlite or PostgreSQL), with a clock tests can move. */
export async function startTestServer(
  backend: TestBackend,
  env: Record<string, string> = {},
  runtimeOptions: RuntimeOptions = {},
  /** The server's request logger (none by default), e.g. to assert on what it logs. */
  logger?: FastifyBaseLogger,
): Promise<TestServer> {
  const db = await backend.open();
  // A test may choose the port (env.PORT), e.g. when a campus provider must know the callback address beforehand.
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const url = `http://127.0.0.1:${port}`;
  const config = loadConfig({ PUBLIC_URL: url, PORT: String(port), SIGNIN_RATE_LIMIT_MAX: "10000", ...env });
  const clock = new ManualClock();
  const runtime = await createRuntime(config, db, clock, runtimeOptions);
  const app = await buildApp(runtime, logger);
  await app.listen({ port, host: "127.0.0.1" });
  const server: TestServer = {
    url,
    app,
    runtime,
    db,
    clock,
    close: async () => {
      // A test has its answers by now. An aborted event stream's client may connect again while the server closes,
      // and that socket would hold the close for Node's header timeout (a minute): no connection outlives the close.
      app.server.on("connection", (socket: Socket) => socket.destroy());
      const closing = app.close();
      app.server.closeAllConnections();
      await closing;
      await db.close();
    },
    createAccount: async (extra = {}) => {
      const username = extra.username ?? unique("u");
      const { id } = await createLocalAccount(runtime.auth, {
        username,
        password: TEST_PASSWORD,
        email: `${username}@example.edu`,
        fullName: extra.fullName ?? `Student ${username}`,
        emailVerified: extra.emailVerified ?? true,
      });
      return { id, username };
    },
    tokenFor: async (username) => {
      const res = await fetch(`${url}/api/auth/token`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username, password: TEST_PASSWORD }),
      });
      if (!res.ok) throw new Error(`token for ${username}: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { token: string }).token;
    },
  };
  return server;
}

/**
 * Two server processes on one database, as behind a load balancer, for races between them. Their clocks read the
 * same time. If the second fails to start, the first is closed again.
 */
export async function startTwoServers(backend: TestBackend): Promise<[TestServer, TestServer]> {
  const first = await startTestServer(backend);
  try {
    const second = await startTestServer(backend);
    second.clock.set(first.clock.now());
    return [first, second];
  } catch (error) {
    await first.close();
    throw error;
  }
}

/** Closes the servers a test started (any may be missing when starting failed). */
export async function closeServers(...servers: (TestServer | undefined)[]): Promise<void> {
  for (const server of servers) await server?.close();
}

/** Calls a tRPC procedure over HTTP the way any client would. */
export async function trpc(
  server: TestServer,
  path: string,
  opts: { token?: string; cookie?: string; input?: unknown; mutation?: boolean } = {},
) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.cookie) headers.cookie = opts.cookie;
  const res = opts.mutation
    ? await fetch(`${server.url}/trpc/${path}`, { method: "POST", headers, body: JSON.stringify(opts.input ?? {}) })
    : await fetch(
        `${server.url}/trpc/${path}${opts.input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(opts.input))}`}`,
        { headers },
      );
  const body = (await res.json()) as { result?: { data: unknown }; error?: { message: string; data: { appCode: string } } };
  return { status: res.status, data: body.result?.data as never, error: body.error };
}
