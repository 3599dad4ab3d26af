import { seedRefund, seedRefundResult } from "@admit/api";
import { Decimal } from "@admit/domain";
import { orderPathSchema, refundOrderBodySchema, refundPathSchema, restRefundResultSchema, restRefundSchema } from "@admit/validators";
import type { FastifyInstance } from "fastify";
import type { Runtime } from "../runtime.ts";
import { restUser } from "./rest.ts";
import { route } from "./route.ts";

export function registerRefundRoutes(app: FastifyInstance, runtime: Runtime) {
  const { refunds } = runtime.services;

  route(app, {
    method: "POST",
    url: "/api/orders/:id/refunds/",
    summary: "Refund an order, or chosen tickets of it (club officers)",
    description:
      "Voids the tickets (their QR codes are refused at the door after its next sync; `return_to_sale` puts the seats " +
      "back on sale) and pays back `amount` (default: everything paid for them and not refunded yet). With CyberSource " +
      "REST keys the refund is sent automatically (status PENDING, retried until it succeeds); without them it is a " +
      "MANUAL task on the club dashboard. The same `idempotency_key` again returns the same refund and changes nothing. " +
      "409 REFUND_TOO_LARGE past what was paid, ALREADY_REFUNDED, TICKET_CHECKED_IN; 403 for another club's tickets; " +
      "404 for an order without the officer's club.",
    tags: ["Refunds"],
    auth: "officer",
    params: orderPathSchema,
    body: refundOrderBodySchema,
    responses: { 200: { description: "The refund (null for free tickets) and the tickets voided", schema: restRefundResultSchema } },
    handler: async ({ req, params, body }) =>
      seedRefundResult(
        await refunds.refundOrder(await restUser(runtime, req), {
          orderId: params.id,
          ...(body.club_id === undefined ? {} : { clubId: body.club_id }),
          ...(body.ticket_ids ? { ticketIds: body.ticket_ids } : {}),
          ...(body.amount === undefined ? {} : { amount: new Decimal(body.amount) }),
          reason: body.reason,
          returnToSale: body.return_to_sale,
          idempotencyKey: body.idempotency_key,
        }),
      ),
  });

  route(app, {
    method: "POST",
    url: "/api/refunds/:id/done/",
    summary: "Mark a manual refund done (club officers)",
    description:
      "After refunding it in the CyberSource Business Center. Records who and when, and e-mails the buyer; marking it " +
      "again changes nothing. 409 for a refund sent automatically.",
    tags: ["Refunds"],
    auth: "officer",
    params: refundPathSchema,
    responses: { 200: { description: "The refund, now SUCCEEDED", schema: restRefundSchema } },
    handler: async ({ req, params }) => seedRefund(await refunds.markDone(await restUser(runtime, req), params.id)),
  });
}
