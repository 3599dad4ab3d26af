import { seedCheckout } from "@admit/api";
import { checkoutResultSchema } from "@admit/validators";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { Runtime } from "../runtime.ts";
import { restUser } from "./rest.ts";
import { route } from "./route.ts";

/** POST /api/tickets/initiate_checkout/ (the seed's body is `{}`; the payment callbacks are registered elsewhere). */
export function registerCheckoutRoutes(app: FastifyInstance, runtime: Runtime) {
  route(app, {
    method: "POST",
    url: "/api/tickets/initiate_checkout/",
    summary: "Check out the cart",
    description:
      "Free carts are sold at once (sold_free_tickets: true). Paid carts are held for CHECKOUT_HOLD_MINUTES and the response carries the signed fields to POST to cybersource_url. Calling it again while that attempt is pending returns the same attempt without extending the hold. 400 CART_EMPTY for an empty cart; 403 CART_STALE when the cart must be refreshed with GET /api/tickets/cart/. A cart with tickets of a showing whose drop lobby runs checks out only during the student's turn (or with a waitlist offer): else 403 LOBBY_REQUIRED or 409 LOBBY_WINDOW_ENDED; an attempt started during the turn and resumed unchanged while its hold lasts goes on to payment after the turn.",
    tags: ["checkout"],
    auth: "user",
    body: z.object({}).optional(),
    responses: { 200: { description: "Sold, or held with the payment page's fields", schema: checkoutResultSchema } },
    handler: async ({ req }) => seedCheckout(await runtime.services.checkout.start(await restUser(runtime, req))),
  });
}
