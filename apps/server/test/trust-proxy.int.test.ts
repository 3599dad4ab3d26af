import { request } from "node:http";
import { testBackends } from "@admit/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, TEST_PASSWORD, type TestServer } from "./harness.ts";

/**
 * The load balancer is 127.0.0.1 (where fetch connects from); a client that reaches the server directly comes from
 * 127.0.0.2, which is loopback too on Linux but not in TRUST_PROXY. The balancer appends the address it saw to
 * whatever X-Forwarded-For the client sent, so its header reads "<whatever the client wrote>, <real client>".
 */
const BALANCER = "127.0.0.1";
const DIRECT_CLIENT = "127.0.0.2";

/** POST /api/auth/token from a chosen local address with a chosen X-Forwarded-For; resolves to the status. */
function signIn(server: TestServer, body: unknown, opts: { from: string; forwardedFor: string }): Promise<{ status: number; body: string }> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      `${server.url}/api/auth/token`,
      {
        method: "POST",
        localAddress: opts.from,
        agent: false,
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(payload),
          "x-forwarded-for": opts.forwardedFor,
        },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

const backend = testBackends()[0]!;

describe("client addresses behind a load balancer (TRUST_PROXY)", () => {
  let server: TestServer;
  let username: string;
  const wrong = () => ({ username, password: "wrong password" });

  beforeAll(async () => {
    server = await startTestServer(backend, { TRUST_PROXY: BALANCER, SIGNIN_RATE_LIMIT_MAX: "3" });
    ({ username } = await server.createAccount());
  });
  afterAll(async () => server?.close());

  it("uses the address the balancer appended: a spoofed leftmost X-Forwarded-For that changes every time still hits 429", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await signIn(server, wrong(), { from: BALANCER, forwardedFor: `1.2.3.${i}, 203.0.113.7` });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429, 429]);
  });

  it("counts different real clients (the rightmost entry the balancer writes) separately", async () => {
    for (let i = 0; i < 6; i++) {
      const res = await signIn(server, wrong(), { from: BALANCER, forwardedFor: `1.2.3.4, 198.51.100.${10 + i}` });
      expect(res.status, `client 198.51.100.${10 + i}`).toBe(401);
    }
    // Each of them still has its own three attempts: the fourth from one address is refused.
    for (let i = 0; i < 2; i++) await signIn(server, wrong(), { from: BALANCER, forwardedFor: "198.51.100.10" });
    expect((await signIn(server, wrong(), { from: BALANCER, forwardedFor: "9.9.9.9, 198.51.100.10" })).status).toBe(429);
  });

  it("records the real client's address on the session, not the one the client wrote", async () => {
    const res = await signIn(server, { username, password: TEST_PASSWORD }, { from: BALANCER, forwardedFor: "1.2.3.4, 192.0.2.55" });
    expect(res.status).toBe(200);
    const sessions = await server.db.prisma.session.findMany({ where: { user: { username } }, select: { ipAddress: true } });
    expect(sessions).toEqual([{ ipAddress: "192.0.2.55" }]);
  });

  it("ignores X-Forwarded-For from a client that connects directly, not through the balancer", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await signIn(server, wrong(), { from: DIRECT_CLIENT, forwardedFor: `198.51.100.${100 + i}` });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
  });
});
