import type { PaymentChannel } from "@admit/domain";
import { paymentNotificationResponseSchema, paymentReplyFormSchema, type PaymentOutcome } from "@admit/validators";
import type { FastifyInstance } from "fastify";
import type { Runtime } from "../runtime.ts";
import { route } from "./route.ts";

const SIGNATURE_NOTE =
  "No sign-in: CyberSource (or the buyer's browser) posts here across sites without our cookies. The reply must sign decision, reason_code, transaction_id, the req_ amount, currency, reference, uuid, transaction type, profile and access key, and signed_date_time; anything else is refused with 403 PAYMENT_SIGNATURE_INVALID, changes nothing, and is kept for audit.";

/** Where the buyer's browser lands after paying: the storefront's result page. */
export function checkoutResultUrl(publicUrl: string, outcome: PaymentOutcome, reference: string): string {
  const query = new URLSearchParams({ outcome, reference });
  return `${publicUrl}/checkout/result?${query.toString()}`;
}

/** CyberSource's two result channels: the browser's receipt POST and the server-to-server merchant POST. */
export function registerPaymentCallbacks(app: FastifyInstance, runtime: Runtime) {
  const { payments } = runtime.services;
  const receive = async (body: Record<string, unknown>, channel: PaymentChannel) => {
    try {
      return await payments.receiveReply(body, channel);
    } catch (error) {
      app.log.warn({ channel, err: error }, "payment result refused");
      throw error;
    }
  };

  route(app, {
    method: "POST",
    url: "/api/tickets/payment_complete/",
    summary: "Payment result posted by the buyer's browser",
    description: `The hosted payment page sends the browser here with the signed result (and for a cancel). The result is applied once, however often it arrives, and the browser is sent on with 303 to ${"`/checkout/result?outcome=...&reference=...`"}. ${SIGNATURE_NOTE}`,
    tags: ["payments"],
    auth: "signature",
    bodyType: "form",
    body: paymentReplyFormSchema,
    responses: { 303: { description: "On to the storefront's checkout result page" } },
    handler: async ({ body, reply }) => {
      const result = await receive(body, "browser");
      return reply
        .status(303)
        .header("cache-control", "no-store")
        .header("location", checkoutResultUrl(runtime.config.publicUrl, result.outcome, result.referenceNumber))
        .send();
    },
  });

  route(app, {
    method: "POST",
    url: "/api/tickets/payment_notification/",
    summary: "Payment result posted by CyberSource (merchant POST URL)",
    description: `Set the profile's merchant POST URL to this address: it is the result that arrives even when the buyer closes the tab. Deliveries may repeat, arrive late, or come before or after the browser's. ${SIGNATURE_NOTE}`,
    tags: ["payments"],
    auth: "signature",
    bodyType: "form",
    body: paymentReplyFormSchema,
    responses: { 200: { description: "Recorded and applied", schema: paymentNotificationResponseSchema } },
    handler: async ({ body }) => {
      await receive(body, "merchant");
      return { ok: true as const };
    },
  });
}
