import { seedOrder } from "@admit/api";
import { orderListInputSchema, orderPathSchema, orderSchema } from "@admit/validators";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { Runtime } from "../runtime.ts";
import { restUser } from "./rest.ts";
import { route } from "./route.ts";

/** The same output schema as tRPC's order.*, so both transports send identical JSON; a mismatch is our bug (500). */
function respond<S extends z.ZodType>(schema: S, value: z.input<S>): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new Error(`An order response does not match its schema: ${result.error.message}`);
  return result.data;
}

/** Orders: what the caller bought (the same service methods as tRPC's order.list and order.get). */
export function registerOrderRoutes(app: FastifyInstance, runtime: Runtime) {
  const { orders } = runtime.services;

  route(app, {
    method: "GET",
    url: "/api/orders/",
    summary: "List my orders",
    description:
      "The caller's orders, newest first: lines, total, status, payment reference, tickets and refunds. `limit` orders a page (20 unless given, at most 100); for the next page pass the last order's id as `before`.",
    tags: ["orders"],
    auth: "user",
    query: orderListInputSchema,
    responses: { 200: { description: "The caller's orders", schema: z.array(orderSchema) } },
    handler: async ({ req, query }) => {
      const actor = await restUser(runtime, req);
      const page = await orders.listMine(actor, {
        ...(query.limit === undefined ? {} : { limit: query.limit }),
        ...(query.before === undefined ? {} : { before: query.before }),
      });
      return respond(z.array(orderSchema), page.map(seedOrder));
    },
  });

  route(app, {
    method: "GET",
    url: "/api/orders/:id/",
    summary: "Get one order",
    description:
      "For the buyer and for the owners and officers of a club whose showing is in the order; 404 for anyone else and for an unknown id, 400 for an id that is not a UUID.",
    tags: ["orders"],
    auth: "user",
    params: orderPathSchema,
    responses: { 200: { description: "The order", schema: orderSchema } },
    handler: async ({ req, params }) => respond(orderSchema, seedOrder(await orders.get(await restUser(runtime, req), params.id))),
  });
}
