import { connect } from "node:net";
import { testBackends } from "@admit/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./harness.ts";

// The in-flight count paces the e-mail sender; a request that never gave its count back would hold mail forever.
const [backend] = testBackends();
describe("requests in flight", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend!);
  });
  afterAll(async () => server?.close());

  const inFlightBecomes = async (count: number) => {
    for (let i = 0; i < 100 && server.runtime.load.inFlight !== count; i++) await new Promise((r) => setTimeout(r, 20));
    return server.runtime.load.inFlight;
  };

  it("are counted while served and given back after answers, errors and clients that hang up", async () => {
    // Headers sent, body still coming: the request is in flight until the client hangs up.
    const port = Number(new URL(server.url).port);
    const socket = connect(port, "127.0.0.1");
    await new Promise((resolve) => socket.once("connect", resolve));
    socket.write("POST /api/tickets/initiate_checkout/ HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{");
    expect(await inFlightBecomes(1)).toBe(1);
    socket.destroy();
    expect(await inFlightBecomes(0)).toBe(0);

    const statuses = await Promise.all([
      ...Array.from({ length: 6 }, () => fetch(`${server.url}/api/health`).then((res) => res.status)),
      fetch(`${server.url}/api/tickets/`).then((res) => res.status),
      fetch(`${server.url}/api/tickets/initiate_checkout/`, { method: "POST", body: "{not json", headers: { "content-type": "application/json" } }).then((res) => res.status),
    ]);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 401, 400]);
    expect(await inFlightBecomes(0)).toBe(0);
  });
});
