import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { request } from "node:http";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { testBackends } from "@admit/db/testing";
import { createClub, createEvent, createShowing, createTickets } from "@admit/db/factories";
import { enqueueMail, renderEmail } from "@admit/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.ts";
import { paymentPage, replyRedirectPage, SANDBOX_AUTO_SUBMIT_SCRIPT, SANDBOX_PAGE_STYLE } from "../src/http/cybersource-sandbox-pages.ts";
import { contentSecurityPolicies } from "../src/http/security-headers.ts";
import { kioskDist, storefrontDist } from "../src/http/web-apps.ts";
import { startTestServer, type TestServer } from "./harness.ts";

/** What the home page may send before it can draw: its first-load JavaScript, compressed (issue: under 150 KB). */
const FIRST_LOAD_BUDGET = 150 * 1024;

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The bytes as they came over the wire (not decompressed). */
  body: Buffer;
}

/** A request that keeps the body as sent, so sizes and encodings are the wire's (fetch would decompress). */
function send(method: string, url: string, headers: Record<string, string> = {}, body?: string): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

const get = (url: string, headers: Record<string, string> = {}) => send("GET", url, headers);

function decoded(res: Raw): Buffer {
  const encoding = res.headers["content-encoding"];
  if (encoding === "br") return brotliDecompressSync(res.body);
  if (encoding === "gzip") return gunzipSync(res.body);
  return res.body;
}

/** `default-src 'self'; img-src 'self' data:` → { "default-src": ["'self'"], "img-src": ["'self'", "data:"] } */
function csp(res: Raw): Record<string, string[]> {
  const header = res.headers["content-security-policy"];
  expect(header, "a Content-Security-Policy header").toBeTypeOf("string");
  return Object.fromEntries(
    String(header)
      .split(";")
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...values]) => [name!, values]),
  );
}

/** The scripts index.html loads at once: the entry module and its modulepreloads. */
function firstLoadScripts(html: string): string[] {
  const scripts = [...html.matchAll(/<script type="module"[^>]*\ssrc="([^"]+)"/g)].map((m) => m[1]!);
  const preloads = [...html.matchAll(/<link rel="modulepreload"[^>]*\shref="([^"]+)"/g)].map((m) => m[1]!);
  return [...scripts, ...preloads];
}

const sha256 = (text: string) => `'sha256-${createHash("sha256").update(text).digest("base64")}'`;

// Headers and caching do not depend on the database: the embedded one is enough.
const backend = testBackends()[0]!;

describe("security headers, compression and caching", { timeout: 60_000 }, () => {
  let server: TestServer;
  let https: TestServer;
  let attachmentPath: string;
  let token: string;

  beforeAll(async () => {
    for (const dist of [storefrontDist, kioskDist]) {
      expect(existsSync(`${dist}/index.html`), `build the web apps first (turbo builds them before these tests): ${dist}`).toBe(true);
    }
    server = await startTestServer(backend);
    // A public site behind a TLS proxy: the browser's address is https, the server itself listens on plain http.
    https = await startTestServer(backend, { PUBLIC_URL: "https://tickets.example.edu", CYBERSOURCE_SANDBOX: "true" });

    const { id, username } = await server.createAccount();
    token = await server.tokenFor(username);
    const { email } = await server.db.prisma.user.findUniqueOrThrow({ where: { id } });
    const club = await createClub(server.db.prisma);
    const showing = await createShowing(server.db.prisma, (await createEvent(server.db.prisma, club.id)).id);
    // Enough upcoming showings that the public event list is a few kilobytes of JSON.
    for (let i = 0; i < 8; i++) await createShowing(server.db.prisma, (await createEvent(server.db.prisma, club.id)).id);
    await createTickets(server.db.prisma, showing.id, { type: "General", count: 1 });
    const ticket = await server.db.prisma.ticket.findFirstOrThrow({ where: { showingId: showing.id } });
    await server.db.prisma.ticket.update({ where: { id: ticket.id }, data: { ownerId: id } });
    const cid = `qr-${ticket.id}`;
    await enqueueMail(server.db.prisma, [
      {
        to: email,
        subject: "Your ticket",
        ...renderEmail({ title: "Your ticket", paragraphs: ["See you there."], images: [{ cid, alt: "QR" }] }),
        attachments: [{ filename: "ticket.png", qrTicketId: ticket.id, cid }],
      },
    ]);
    await server.runtime.mailSender.sendDue();
    const message = await server.db.prisma.outgoingEmail.findFirstOrThrow({ where: { toAddress: email } });
    attachmentPath = `/api/dev/mailbox/${message.id}/attachments/0`;
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await https?.close();
  });

  it("every answer, from every app, carries nosniff, DENY, a referrer policy and frame-ancestors 'none'", async () => {
    const auth = { authorization: `Bearer ${token}` };
    const answers = {
      storefront: await get(`${server.url}/`),
      "storefront deep link": await get(`${server.url}/events/1`),
      kiosk: await get(`${server.url}/kiosk/`),
      health: await get(`${server.url}/api/health`),
      trpc: await get(`${server.url}/trpc/account.signInOptions`),
      "mailbox list": await get(`${server.url}/trpc/mailbox.list?input=${encodeURIComponent(JSON.stringify({ limit: 10 }))}`, auth),
      "mailbox attachment": await get(`${server.url}${attachmentPath}`, auth),
      "unknown API path": await get(`${server.url}/api/nothing-here/`),
      // The payment sandbox's page for a request it refuses (unsigned).
      sandbox: await send("POST", `${server.url}/sandbox/cybersource/pay`, { "content-type": "application/x-www-form-urlencoded" }, "amount=1"),
    };
    for (const [name, res] of Object.entries(answers)) {
      expect(res.status, name).toBeLessThan(500);
      expect(res.headers["x-content-type-options"], name).toBe("nosniff");
      expect(res.headers["x-frame-options"], name).toBe("DENY");
      expect(res.headers["referrer-policy"], name).toBe("strict-origin-when-cross-origin");
      // Plain http: a browser ignores HSTS there, and this site is not https.
      expect(res.headers["strict-transport-security"], name).toBeUndefined();
      const policy = csp(res);
      if (name === "mailbox attachment") {
        // Its own, stricter policy stays: an attachment is shown, never run.
        expect(policy).toEqual({ "default-src": ["'none'"], sandbox: [] });
      } else {
        expect(policy["frame-ancestors"], name).toEqual(["'none'"]);
      }
    }
    expect(answers["mailbox list"].status).toBe(200);
    expect(answers["mailbox attachment"].status).toBe(200);

    for (const name of ["storefront", "storefront deep link", "kiosk"] as const) {
      const policy = csp(answers[name]);
      // The kiosk's second QR decoder is WebAssembly: it may compile that, and nothing else may.
      expect(policy["script-src"], name).toEqual(name === "kiosk" ? ["'self'", "'wasm-unsafe-eval'"] : ["'self'"]);
      expect(policy["default-src"], name).toEqual(["'self'"]);
      expect(policy["connect-src"], name).toEqual(["'self'"]);
      expect(policy["object-src"], name).toEqual(["'none'"]);
      expect(Object.values(policy).flat(), name).not.toContain("'unsafe-eval'");
    }
    const storefront = csp(answers.storefront);
    expect(storefront["form-action"]).toEqual(["'self'", server.url]);
    expect(storefront["style-src"]).toEqual(["'self'"]);
    expect(storefront["img-src"]).toEqual(["'self'"]);
    const kiosk = csp(answers.kiosk);
    expect(kiosk["img-src"]).toEqual(["'self'"]);
    expect(kiosk["worker-src"]).toEqual(["'self'"]);
    for (const name of ["health", "trpc", "mailbox list", "unknown API path", "sandbox"] as const) {
      expect(csp(answers[name])["default-src"], name).toEqual(["'none'"]);
    }
    expect(answers.sandbox.status).toBe(403);
    expect(csp(answers.sandbox)["script-src"]).toEqual([sha256(SANDBOX_AUTO_SUBMIT_SCRIPT)]);
    expect(csp(answers.sandbox)["form-action"]).toEqual(["'self'", server.url]);
  });

  it("sends Strict-Transport-Security only when PUBLIC_URL is https", async () => {
    for (const path of ["/", "/kiosk/", "/api/health", "/trpc/account.signInOptions"]) {
      const res = await get(`${https.url}${path}`);
      expect(res.headers["strict-transport-security"], path).toBe("max-age=31536000");
      expect(csp(res)["frame-ancestors"], path).toEqual(["'none'"]);
    }
    // Forms go to the site's public origin.
    expect(csp(await get(`${https.url}/`))["form-action"]).toEqual(["'self'", "https://tickets.example.edu"]);
  });

  it("lets the storefront post the payment form to CyberSource's /pay, and the sandbox run only its own inline code", () => {
    const live = loadConfig({
      PUBLIC_URL: "https://tickets.example.edu",
      CYBERSOURCE_URL: "https://testsecureacceptance.cybersource.com/pay",
      CYBERSOURCE_ACCESS_KEY: "a".repeat(32),
      CYBERSOURCE_PROFILE_ID: "B1C2D3E4-0000-1111-2222-333344445555",
      CYBERSOURCE_SECRET_KEY: "s".repeat(256),
    });
    expect(contentSecurityPolicies(live).storefront["form-action"]).toEqual([
      "'self'",
      "https://tickets.example.edu",
      "https://testsecureacceptance.cybersource.com",
    ]);

    // The hashes allow exactly the style sheet and script the sandbox pages carry.
    const sandbox = contentSecurityPolicies(loadConfig({ PUBLIC_URL: "http://127.0.0.1:3000" }), {
      style: SANDBOX_PAGE_STYLE,
      script: SANDBOX_AUTO_SUBMIT_SCRIPT,
    }).sandbox;
    const pages = [paymentPage({ amount: "15.00", currency: "USD" }, "/sandbox/cybersource/decide"), replyRedirectPage("/done", { decision: "ACCEPT" })];
    const styles = pages.flatMap((html) => [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => sha256(m[1]!)));
    const scripts = pages.flatMap((html) => [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => sha256(m[1]!)));
    expect(scripts).toHaveLength(1);
    expect(new Set(styles)).toEqual(new Set(sandbox["style-src"]));
    expect(scripts).toEqual(sandbox["script-src"]);
    expect(sandbox["default-src"]).toEqual(["'none'"]);
    expect(sandbox["frame-ancestors"]).toEqual(["'none'"]);
  });

  it("serves hashed assets precompressed and cached for a year, and index.html, the service worker and manifest revalidated", async () => {
    const index = await get(`${server.url}/`, { "accept-encoding": "gzip, deflate, br" });
    expect(index.headers["cache-control"]).toBe("no-cache");
    expect(index.headers["content-encoding"]).toBe("br");
    const html = decoded(index).toString();
    const [entry] = firstLoadScripts(html);
    expect(entry).toMatch(/^\/assets\/index-[\w-]+\.js$/);
    const onDisk = readFileSync(`${storefrontDist}${entry}`);

    for (const [accept, encoding] of [
      ["gzip, deflate, br", "br"],
      ["gzip, deflate", "gzip"],
      ["identity", undefined],
    ] as const) {
      const res = await get(`${server.url}${entry}`, { "accept-encoding": accept });
      expect(res.status).toBe(200);
      expect(res.headers["content-encoding"], accept).toBe(encoding);
      expect(res.headers["cache-control"], accept).toBe("public, max-age=31536000, immutable");
      expect(res.headers["vary"], accept).toMatch(/accept-encoding/i);
      expect(res.headers["content-type"], accept).toMatch(/javascript/);
      // Compressed once, at build time: decoding once gives the file back.
      expect(decoded(res).equals(onDisk), accept).toBe(true);
    }

    const deepLink = await get(`${server.url}/events/1`, { "accept-encoding": "gzip" });
    expect(deepLink.headers["cache-control"]).toBe("no-cache");
    expect(decoded(deepLink).toString()).toBe(html);

    const kioskIndex = await get(`${server.url}/kiosk/`, { "accept-encoding": "br" });
    expect(kioskIndex.headers["cache-control"]).toBe("no-cache");
    const [kioskEntry] = firstLoadScripts(decoded(kioskIndex).toString());
    const kioskAsset = await get(`${server.url}${kioskEntry}`, { "accept-encoding": "br" });
    expect(kioskAsset.headers["content-encoding"]).toBe("br");
    expect(kioskAsset.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    for (const path of ["/kiosk/sw.js", "/kiosk/manifest.webmanifest"]) {
      const res = await get(`${server.url}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers["cache-control"], path).toBe("no-cache");
    }
  });

  it("compresses large API answers when the client accepts it, and leaves small ones whole", async () => {
    const openapi = await get(`${server.url}/api/openapi.json`, { "accept-encoding": "gzip, deflate, br" });
    expect(openapi.headers["content-encoding"]).toBe("br");
    expect(openapi.headers["vary"]).toMatch(/accept-encoding/i);
    const document = JSON.parse(decoded(openapi).toString()) as { openapi: string };
    expect(document.openapi).toMatch(/^3\.1/);
    expect(openapi.body.length).toBeLessThan(decoded(openapi).length / 3);

    const plain = await get(`${server.url}/api/openapi.json`);
    expect(plain.headers["content-encoding"]).toBeUndefined();

    // tRPC: the event list is large, the sign-in options small.
    const large = await get(`${server.url}/trpc/event.list`, { "accept-encoding": "gzip" });
    expect(large.status).toBe(200);
    expect(large.headers["content-encoding"]).toBe("gzip");
    const events = JSON.parse(decoded(large).toString()) as { result: { data: unknown[] } };
    expect(events.result.data.length).toBeGreaterThanOrEqual(9);
    expect(decoded(large).length).toBeGreaterThan(1024);

    const small = await get(`${server.url}/trpc/account.signInOptions`, { "accept-encoding": "gzip" });
    expect(small.status).toBe(200);
    expect(small.headers["content-encoding"]).toBeUndefined();
    expect(Number(small.headers["content-length"])).toBe(small.body.length);
    expect(JSON.parse(small.body.toString())).toMatchObject({ result: { data: { password: true } } });

    // A streamed tRPC answer (JSON lines) goes out as it is written, never through a compressor.
    const streamed = await get(`${server.url}/trpc/event.list?batch=1&input=%7B%7D`, {
      "accept-encoding": "gzip",
      "trpc-accept": "application/jsonl",
    });
    expect(streamed.status).toBe(200);
    expect(streamed.headers["transfer-encoding"]).toBe("chunked");
    expect(streamed.headers["content-encoding"]).toBeUndefined();
    expect(streamed.body.toString().split("\n").filter(Boolean).length).toBeGreaterThan(1);
  });

  it(`keeps the home page's first-load JavaScript under ${FIRST_LOAD_BUDGET / 1024} KB on the wire`, async () => {
    // gzip: what a browser gets over plain http; over https it gets brotli, which is smaller still.
    const html = decoded(await get(`${server.url}/`, { "accept-encoding": "gzip" })).toString();
    const scripts = firstLoadScripts(html);
    expect(scripts.length).toBeGreaterThan(1);
    let wire = 0;
    for (const script of scripts) {
      const res = await get(`${server.url}${script}`, { "accept-encoding": "gzip" });
      expect(res.status, script).toBe(200);
      wire += res.body.length;
    }
    expect(wire).toBeLessThan(FIRST_LOAD_BUDGET);
  });
});
