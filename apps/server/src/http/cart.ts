import { seedCart } from "@admit/api";
import { cartChangeResultSchema, cartQuantitiesSchema, cartSchema, showingPathSchema } from "@admit/validators";
import type { FastifyInstance } from "fastify";
import type { Runtime } from "../runtime.ts";
import { restUser } from "./rest.ts";
import { route } from "./route.ts";

/** The seed API's cart routes; the same service methods as tRPC's cart.get, cart.add and cart.remove. */
export function registerCartRoutes(app: FastifyInstance, runtime: Runtime) {
  const { carts } = runtime.services;

  route(app, {
    method: "GET",
    url: "/api/tickets/cart/",
    summary: "View the cart",
    description:
      "Stale tickets (sold, held by someone else, showing ended or not on sale) are swapped for free tickets of the same showing and type; what could not be swapped is listed in sold_out and leaves the cart.",
    tags: ["cart"],
    auth: "user",
    responses: { 200: { description: "The cart, its total with group discounts, and any pending hold's expiry", schema: cartSchema } },
    handler: async ({ req }) => seedCart(await carts.view(await restUser(runtime, req))),
  });

  route(app, {
    method: "POST",
    url: "/api/events/:eventId/showings/:showingId/add_to_cart/",
    summary: "Add tickets of a showing to the cart",
    description:
      "All or nothing. Refused with 403 when the showing ended (SHOWING_ENDED), is not on sale yet (NOT_ON_SALE), the order limit would be passed counting tickets already owned (ORDER_LIMIT_EXCEEDED), or too few tickets of a type are left (NOT_ENOUGH_TICKETS). While the showing's drop lobby runs (from its opening until the showing is over), only a student whose turn it is, or who holds an unexpired waitlist offer for the showing, may add: others get 403 LOBBY_REQUIRED (the message and `details.lobbyPath` name the lobby to join), and a student whose turn ran out or ended with an order 409 LOBBY_WINDOW_ENDED.",
    tags: ["cart"],
    auth: "user",
    params: showingPathSchema,
    body: cartQuantitiesSchema,
    responses: { 200: { description: "Added", schema: cartChangeResultSchema } },
    handler: async ({ req, params, body }) =>
      carts.add(await restUser(runtime, req), { ...params, quantities: body.quantities }),
  });

  route(app, {
    method: "POST",
    url: "/api/events/:eventId/showings/:showingId/remove_from_cart/",
    summary: "Remove tickets of a showing from the cart",
    description: "Removes up to the given counts and releases any checkout hold on the removed tickets.",
    tags: ["cart"],
    auth: "user",
    params: showingPathSchema,
    body: cartQuantitiesSchema,
    responses: { 200: { description: "Removed", schema: cartChangeResultSchema } },
    handler: async ({ req, params, body }) =>
      carts.remove(await restUser(runtime, req), { ...params, quantities: body.quantities }),
  });
}
