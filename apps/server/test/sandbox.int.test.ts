import { signFields, verifyReply } from "@admit/cybersource";
import { testBackends } from "@admit/db/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { registeredRoutes } from "../src/http/openapi.ts";
import { startTestServer, TEST_PASSWORD, type TestServer } from "./harness.ts";
import { browserPost, paidShowing, paymentState, postForm, resultOf, startPaidCheckout, type Attempt } from "./payment-fixtures.ts";

const NOT_AUTHORIZED = "You are not authorized to view this page. The transaction has not been processed.";

const unescapeHtml = (s: string) =>
  s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

/** The action and hidden fields of the first form of a page, as a browser would submit them. */
function formOf(html: string): { action: string; fields: Record<string, string> } {
  const action = /<form[^>]*action="([^"]*)"/.exec(html)?.[1];
  if (action === undefined) throw new Error(`no form in ${html.slice(0, 200)}`);
  const fields: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) {
    fields[unescapeHtml(m[1]!)] = unescapeHtml(m[2]!);
  }
  return { action: unescapeHtml(action), fields };
}

for (const backend of testBackends()) {
  describe(`CyberSource sandbox (${backend.kind})`, () => {
    let server: TestServer;
    /** The log and the switches are site administrators' only. */
    let adminToken: string;
    beforeAll(async () => {
      server = await startTestServer(backend);
      const admin = await server.createAccount();
      await server.db.prisma.user.update({ where: { id: admin.id }, data: { isSiteAdmin: true } });
      adminToken = await server.tokenFor(admin.username);
    });
    afterAll(async () => server?.close());
    afterEach(async () => {
      await control({});
    });

    const control = async (settings: Record<string, unknown>) => {
      const res = await fetch(`${server.url}/sandbox/cybersource/control`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${adminToken}` },
        body: JSON.stringify(settings),
      });
      expect(res.status).toBe(200);
    };
    const log = async (reference: string) => {
      const res = await fetch(`${server.url}/sandbox/cybersource/transactions?reference=${encodeURIComponent(reference)}`, {
        headers: { authorization: `Bearer ${adminToken}` },
      });
      expect(res.status).toBe(200);
      return ((await res.json()) as { transactions: Array<{ decision: string; reasonCode: string; reply: Record<string, string>; merchantPosts: Array<{ status: number }> }> }).transactions;
    };
    /** The storefront posts payment_params to cybersource_url; the buyer presses a button on the page. */
    const decide = async (attempt: Attempt, choice: string) => {
      const page = await postForm(attempt.url, attempt.params);
      expect(page.status).toBe(200);
      const { action, fields } = formOf(await page.text());
      const result = await postForm(new URL(action, server.url).toString(), { ...fields, sandbox_decision: choice });
      expect(result.status).toBe(200);
      return formOf(await result.text());
    };

    it("is the payment page when no CyberSource keys are configured", () => {
      expect(server.runtime.config.cybersource.sandbox).toBe(true);
      expect(server.runtime.config.cybersource.profile.url).toBe(`${server.url}/sandbox/cybersource/pay`);
    });

    /** Anyone but a site admin: nobody, the buyer herself (bearer), a student by cookie. */
    const outsiders = async (attempt: Attempt) => {
      const student = await server.createAccount();
      const signIn = await fetch(`${server.url}/api/auth/sign-in/username`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: server.url },
        body: JSON.stringify({ username: student.username, password: TEST_PASSWORD }),
      });
      expect(signIn.status).toBe(200);
      const cookie = signIn.headers.getSetCookie().find((c) => c.startsWith("admit.session_token="))!.split(";")[0]!;
      return [
        { who: "anonymous", headers: {} as Record<string, string>, status: 401, code: "UNAUTHENTICATED" },
        { who: "the buyer", headers: { authorization: `Bearer ${attempt.token}` }, status: 403, code: "FORBIDDEN" },
        { who: "a student's browser", headers: { cookie, origin: server.url }, status: 403, code: "FORBIDDEN" },
      ];
    };
    const refusedAs = async (res: Response, expected: { who: string; status: number; code: string }, secrets: string[]) => {
      const text = await res.text();
      expect(res.status, `${expected.who}: ${text}`).toBe(expected.status);
      expect((JSON.parse(text) as { error: { code: string } }).error.code).toBe(expected.code);
      for (const secret of secrets) expect(text, expected.who).not.toContain(secret);
    };

    it("shows its transaction log (buyers' names, e-mails, amounts) to site admins only", async () => {
      const showcase = await paidShowing(server, { price: "17.00" });
      const attempt = await startPaidCheckout(server, showcase, 1);
      await decide(attempt, "pay");
      const secrets = [attempt.reference, attempt.username, attempt.params.transaction_uuid!, "17.00"];
      for (const outsider of await outsiders(attempt)) {
        for (const query of ["", `?reference=${encodeURIComponent(attempt.reference)}`]) {
          const res = await fetch(`${server.url}/sandbox/cybersource/transactions${query}`, { headers: outsider.headers });
          await refusedAs(res, outsider, secrets);
        }
      }
      const [transaction] = await log(attempt.reference);
      expect(transaction).toMatchObject({ decision: "ACCEPT", amount: "17.00", referenceNumber: attempt.reference });
      expect(transaction!.reply.req_bill_to_email).toBe(`${attempt.username}@example.edu`);
    });

    it("lets nobody but a site admin change or release the merchant POST switches", async () => {
      const showcase = await paidShowing(server);
      const held = await startPaidCheckout(server, showcase, 1);
      await control({ merchantPost: "held" });
      await decide(held, "pay");
      for (const outsider of await outsiders(held)) {
        const set = await fetch(`${server.url}/sandbox/cybersource/control`, {
          method: "POST",
          headers: { ...outsider.headers, "content-type": "application/json" },
          body: JSON.stringify({ merchantPost: "drop" }),
        });
        await refusedAs(set, outsider, []);
        const release = await fetch(`${server.url}/sandbox/cybersource/control/release`, { method: "POST", headers: outsider.headers });
        await refusedAs(release, outsider, []);
      }
      // Nothing was released, and the switch is still "held", not "drop".
      expect((await paymentState(server, held.paymentId)).payment.status).toBe("PENDING");
      const next = await startPaidCheckout(server, showcase, 1);
      await decide(next, "pay");
      expect((await log(next.reference))[0]).toMatchObject({ merchantPostDropped: false, merchantPosts: [] });

      const release = await fetch(`${server.url}/sandbox/cybersource/control/release`, {
        method: "POST",
        headers: { authorization: `Bearer ${adminToken}` },
      });
      expect(await release.json()).toEqual({ released: 2 });
      expect((await paymentState(server, held.paymentId)).payment.status).toBe("PAID");
      expect((await paymentState(server, next.paymentId)).payment.status).toBe("PAID");
    });

    it("refuses a request whose signature does not match, with CyberSource's 403 text, and decides nothing", async () => {
      const showcase = await paidShowing(server);
      const attempt = await startPaidCheckout(server, showcase, 1);
      for (const bad of [
        { ...attempt.params, amount: "0.01" },
        { ...attempt.params, signature: signFields(attempt.params, "wrong secret") },
        { ...attempt.params, access_key: "someone-else" },
        { ...attempt.params, extra_field: "sneaky" },
      ]) {
        const res = await postForm(attempt.url, bad);
        expect(res.status).toBe(403);
        expect(await res.text()).toContain(NOT_AUTHORIZED);
      }
      const page = formOf(await (await postForm(attempt.url, attempt.params)).text());
      const altered = await postForm(`${server.url}/sandbox/cybersource/decide`, { ...page.fields, amount: "0.01", sandbox_decision: "pay" });
      expect(altered.status).toBe(403);
      expect(await log(attempt.reference)).toEqual([]);
      expect((await paymentState(server, attempt.paymentId)).payment.status).toBe("PENDING");
    });

    it("Pay ends in a correctly signed ACCEPT, sent to the merchant POST URL and through the browser", async () => {
      const showcase = await paidShowing(server, { price: "15.00" });
      const attempt = await startPaidCheckout(server, showcase, 2);
      const page = await postForm(attempt.url, attempt.params);
      const html = await page.text();
      expect(page.headers.get("content-type")).toContain("text/html");
      expect(html).toContain("<h1>Pay $30.00</h1>");
      expect(html).toContain(attempt.reference);
      for (const label of ["Pay $30.00", "Decline the card", "Cancel"]) expect(html).toContain(`>${label}</button>`);

      const result = await decide(attempt, "pay");
      expect(result.action).toBe(`${server.url}/api/tickets/payment_complete/`);
      const verified = verifyReply(result.fields, server.runtime.config.cybersource.profile);
      expect(verified).toMatchObject({
        ok: true,
        reply: { decision: "ACCEPT", reasonCode: "100", amount: "30.00", authAmount: "30.00", referenceNumber: attempt.reference },
      });
      // By default the merchant POST is answered before the browser gets its page.
      expect((await paymentState(server, attempt.paymentId)).payment.status).toBe("PAID");
      const [transaction] = await log(attempt.reference);
      expect(transaction).toMatchObject({ decision: "ACCEPT", merchantPosts: [{ status: 200 }] });

      expect(resultOf(server, await browserPost(server, result.fields)).outcome).toBe("paid");
      const state = await paymentState(server, attempt.paymentId);
      expect(state.owned).toHaveLength(2);
      expect(state.emails.map((e) => e.dedupeKey)).toEqual([expect.stringMatching(/^receipt:/)]);
      expect(state.replies.map((r) => r.channel)).toEqual(["merchant", "browser"]);
    });

    it("Decline and Cancel end the attempt and free its holds", async () => {
      const showcase = await paidShowing(server);
      for (const [choice, status] of [["decline", "DECLINED"], ["cancel", "CANCELLED"]] as const) {
        const attempt = await startPaidCheckout(server, showcase, 1);
        const result = await decide(attempt, choice);
        expect(resultOf(server, await browserPost(server, result.fields)).outcome).toBe(status === "DECLINED" ? "declined" : "cancelled");
        const state = await paymentState(server, attempt.paymentId);
        expect(state.payment.status).toBe(status);
        expect(state.held).toHaveLength(0);
      }
    });

    it("holds the merchant POST until released: the browser result comes first and the later one is a no-op", async () => {
      await control({ merchantPost: "held" });
      const showcase = await paidShowing(server);
      const attempt = await startPaidCheckout(server, showcase, 2);
      const result = await decide(attempt, "pay");
      expect((await paymentState(server, attempt.paymentId)).payment.status).toBe("PENDING");
      expect(resultOf(server, await browserPost(server, result.fields)).outcome).toBe("paid");

      const release = await fetch(`${server.url}/sandbox/cybersource/control/release`, {
        method: "POST",
        headers: { authorization: `Bearer ${adminToken}` },
      });
      expect(await release.json()).toEqual({ released: 1 });
      const [transaction] = await log(attempt.reference);
      expect(transaction!.merchantPosts).toEqual([expect.objectContaining({ status: 200 })]);
      const state = await paymentState(server, attempt.paymentId);
      expect(state.owned).toHaveLength(2);
      expect(state.emails.map((e) => e.dedupeKey)).toEqual([expect.stringMatching(/^receipt:/)]);
      expect(state.replies.map((r) => r.channel)).toEqual(["browser", "merchant"]);
    });

    it("sends duplicated merchant POSTs after the browser page, and the tickets are still assigned once", async () => {
      await control({ merchantPost: "after", copies: 5, delayMs: 50 });
      const showcase = await paidShowing(server, { count: 4 });
      const attempt = await startPaidCheckout(server, showcase, 2);
      await decide(attempt, "pay");
      for (let i = 0; i < 200 && ((await log(attempt.reference))[0]?.merchantPosts.length ?? 0) < 5; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const [transaction] = await log(attempt.reference);
      expect(transaction!.merchantPosts.map((p) => p.status)).toEqual([200, 200, 200, 200, 200]);
      const state = await paymentState(server, attempt.paymentId);
      expect(state.payment.status).toBe("PAID");
      expect(state.owned).toHaveLength(2);
      expect(state.emails.map((e) => e.dedupeKey)).toEqual([expect.stringMatching(/^receipt:/)]);
      expect(state.replies).toHaveLength(5);
    });

    it("can drop the merchant POST, leaving the browser result as the only one", async () => {
      await control({ merchantPost: "drop" });
      const showcase = await paidShowing(server);
      const attempt = await startPaidCheckout(server, showcase, 1);
      const result = await decide(attempt, "pay");
      expect((await log(attempt.reference))[0]!.merchantPosts).toEqual([]);
      expect((await paymentState(server, attempt.paymentId)).payment.status).toBe("PENDING");
      expect(resultOf(server, await browserPost(server, result.fields)).outcome).toBe("paid");
    });

    it("answers a reused transaction uuid with ERROR 104 and a malformed request with ERROR 102", async () => {
      const showcase = await paidShowing(server);
      const attempt = await startPaidCheckout(server, showcase, 1);
      await decide(attempt, "pay");
      const again = formOf(await (await postForm(attempt.url, attempt.params)).text());
      expect(again.fields).toMatchObject({ decision: "ERROR", reason_code: "104" });
      expect(resultOf(server, await browserPost(server, again.fields)).outcome).toBe("paid");

      const profile = server.runtime.config.cybersource.profile;
      const malformed: Record<string, string> = { ...attempt.params, transaction_uuid: "another-uuid", currency: "dollars" };
      delete malformed.signature;
      const signed = { ...malformed, signature: signFields(malformed, profile.secretKey) };
      const error = formOf(await (await postForm(attempt.url, signed)).text());
      expect(error.fields).toMatchObject({ decision: "ERROR", reason_code: "102", invalid_fields: "currency" });
      expect(verifyReply(error.fields, profile).ok).toBe(false);
    });
  });
}

describe("with CyberSource keys configured", () => {
  it("serves no sandbox at all", async () => {
    const server = await startTestServer(testBackends()[0]!, {
      CYBERSOURCE_URL: "https://testsecureacceptance.cybersource.com/pay",
      CYBERSOURCE_ACCESS_KEY: "0123456789abcdef0123456789abcdef",
      CYBERSOURCE_PROFILE_ID: "0FFEAFFB-8171-4F34-A22D-1CD38A28A384",
      CYBERSOURCE_SECRET_KEY: "super-secret-profile-key-0123456789",
    });
    try {
      expect(server.runtime.config.cybersource.sandbox).toBe(false);
      expect(registeredRoutes(server.app).filter((r) => r.url.startsWith("/sandbox"))).toEqual([]);
      for (const path of ["/sandbox/cybersource/pay", "/sandbox/cybersource/control", "/sandbox/cybersource/control/release"]) {
        const res = await fetch(`${server.url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
        expect(res.status, path).toBe(404);
      }
    } finally {
      await server.close();
    }
  });
});
