import { randomInt } from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import type { RestCredentials } from "./profile.ts";
import { verifyRestRequest } from "./rest.ts";

export interface RecordedRefund {
  paymentId: string;
  refundId: string;
  body: { clientReferenceInformation?: { code?: string }; orderInformation?: { amountDetails?: { totalAmount?: string; currency?: string } } };
}

export interface FakeRestServer {
  /** Base URL to use as the REST host, e.g. http://127.0.0.1:40123 */
  url: string;
  credentials: RestCredentials;
  /** Refunds accepted so far, in order. */
  refunds: RecordedRefund[];
  /** Requests refused, with the reason (bad signature, unknown key...). */
  refused: string[];
  /** While true, every refund is answered 502 as if CyberSource were down. */
  failing: boolean;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * A stand-in for CyberSource's REST refund endpoint over real HTTP, for tests: it checks the HTTP Signature exactly
 * as CyberSource does and answers like §9 (201 with an id, or 401 when the signature is wrong).
 */
export async function startFakeRestServer(
  credentials: Omit<RestCredentials, "host"> = {
    merchantId: "test_merchant",
    keyId: "00000000-1111-2222-3333-444444444444",
    sharedSecret: Buffer.from("fake-rest-shared-secret-0123456789").toString("base64"),
  },
): Promise<FakeRestServer> {
  const refunds: RecordedRefund[] = [];
  const refused: string[] = [];
  const state = { failing: false };
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const path = req.url ?? "/";
      const send = (status: number, payload: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(payload));
      };
      const match = /^\/pts\/v2\/payments\/([^/]+)\/refunds$/.exec(path);
      if (req.method !== "POST" || !match) return send(404, { message: "not found" });
      const check = verifyRestRequest({ method: req.method, path, headers: req.headers, body }, credentials);
      if (!check.ok) {
        refused.push(check.reason);
        return send(401, { response: { rmsg: "Authentication Failed" }, message: check.reason });
      }
      if (state.failing) return send(502, { status: "SERVER_ERROR", message: "System is temporarily unavailable." });
      const refundId = Array.from({ length: 22 }, () => randomInt(10)).join("");
      refunds.push({ paymentId: decodeURIComponent(match[1]!), refundId, body: JSON.parse(body) as RecordedRefund["body"] });
      return send(201, { id: refundId, status: "PENDING", reconciliationId: refundId.slice(0, 16) });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    credentials: { ...credentials, host: url },
    refunds,
    refused,
    get failing() {
      return state.failing;
    },
    set failing(value: boolean) {
      state.failing = value;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
