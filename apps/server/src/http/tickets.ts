import { seedTransferDone } from "@admit/api";
import {
  attendanceBodySchema,
  returnResultSchema,
  ticketPathSchema,
  ticketSchema,
  transferBodySchema,
  transferResultSchema,
} from "@admit/validators";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { Runtime } from "../runtime.ts";
import { restUser } from "./rest.ts";
import { route } from "./route.ts";

/**
 * The same output schema as tRPC's, so both transports send identical JSON. A mismatch is our bug: a plain Error
 * (500), not the 400 a ZodError would map to.
 */
function respond<S extends z.ZodType>(schema: S, value: z.input<S>): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new Error(`A ticket response does not match its schema: ${result.error.message}`);
  return result.data;
}

/** The seed API's ticket routes; the same service methods as tRPC's ticket.* procedures. */
export function registerTicketRoutes(app: FastifyInstance, runtime: Runtime) {
  const { tickets, ticketTransfers, returns, exchange } = runtime.services;

  route(app, {
    method: "GET",
    url: "/api/tickets/",
    summary: "List my tickets",
    description: "Every ticket the caller owns, soonest showing first. Not paginated.",
    tags: ["tickets"],
    auth: "user",
    responses: { 200: { description: "The caller's tickets", schema: z.array(ticketSchema) } },
    handler: async ({ req }) => respond(z.array(ticketSchema), await tickets.listMine(await restUser(runtime, req))),
  });

  route(app, {
    method: "GET",
    url: "/api/tickets/:id/",
    summary: "Get one ticket",
    description: "For the ticket's owner and the owners and officers of the event's club; 404 for anyone else.",
    tags: ["tickets"],
    auth: "user",
    params: ticketPathSchema,
    responses: { 200: { description: "The ticket", schema: ticketSchema } },
    handler: async ({ req, params }) => respond(ticketSchema, await tickets.get(await restUser(runtime, req), params.id)),
  });

  route(app, {
    method: "GET",
    url: "/api/tickets/:id/qr/",
    summary: "Get my ticket's QR code",
    description:
      "A PNG of the ticket's signed QR code at its current generation, for the owner only (404 for anyone else). Not stored by shared caches.",
    tags: ["tickets"],
    auth: "user",
    params: ticketPathSchema,
    responses: { 200: { description: "The QR code", contentType: "image/png" } },
    handler: async ({ req, reply, params }) => {
      const png = await tickets.ownQrPng(await restUser(runtime, req), params.id);
      return reply.header("cache-control", "private, no-store").type("image/png").send(png);
    },
  });

  route(app, {
    method: "PATCH",
    url: "/api/tickets/:id/",
    summary: "Mark a ticket attended or not",
    description:
      "Owners and officers of the event's club only (404 for anyone else, the ticket's owner included). Recorded in the check-in log with who changed it and when. 409 when nobody holds the ticket.",
    tags: ["tickets"],
    auth: "officer",
    params: ticketPathSchema,
    body: attendanceBodySchema,
    responses: { 200: { description: "The ticket after the change", schema: ticketSchema } },
    handler: async ({ req, params, body }) =>
      respond(ticketSchema, await tickets.setAttended(await restUser(runtime, req), params.id, body.attended)),
  });

  route(app, {
    method: "POST",
    url: "/api/tickets/:id/transfer/",
    summary: "Transfer my ticket to another account",
    description:
      "Owner only; 404 for an unknown username or a ticket the caller does not own. 403 TRANSFER_NOT_ALLOWED when the ticket is not transferable, goes to oneself, was already used at the door, or its showing ended. 409 EXCHANGE_LISTED while it is offered on the exchange (withdraw it first). The QR generation goes up, so the sender's saved QR code stops working; both people get an e-mail.",
    tags: ["tickets"],
    auth: "user",
    params: ticketPathSchema,
    body: transferBodySchema,
    responses: { 200: { description: "Transferred", schema: transferResultSchema } },
    handler: async ({ req, params, body }) =>
      respond(
        transferResultSchema,
        seedTransferDone(await ticketTransfers.transfer(await restUser(runtime, req), params.id, body.username)),
      ),
  });

  route(app, {
    method: "POST",
    url: "/api/tickets/:id/return/",
    summary: "Return my ticket",
    description:
      "The buyer holding their own ticket returns it while its type allows returns and before the deadline (the type's hours before the showing starts). A paid ticket is refunded in full (automatically through CyberSource, or as a task for the club without REST keys), a free one released; the seat goes back on sale and the old QR code stops working. 403 RETURN_NOT_ALLOWED (type takes no returns, complimentary, transferred), 403 RETURN_DEADLINE_PASSED, 409 TICKET_CHECKED_IN, 409 SHOWING_CANCELLED, 409 ALREADY_REFUNDED, 409 EXCHANGE_LISTED while it is offered on the exchange, 404 for a ticket that is not the caller's. No body.",
    tags: ["tickets"],
    auth: "user",
    params: ticketPathSchema,
    responses: { 200: { description: "Returned", schema: returnResultSchema } },
    handler: async ({ req, params }) => respond(returnResultSchema, await returns.returnTicket(await restUser(runtime, req), params.id)),
  });

  route(app, {
    method: "POST",
    url: "/api/tickets/:id/exchange/",
    summary: "Offer my ticket on the exchange",
    description:
      "The owner offers the ticket on the face-value exchange: it can be bought by another student at its list price through the normal cart and checkout (those on the showing's waitlist are offered it first). When it sells, the buyer gets it with a new QR generation (the seller's code stops working), and the seller is refunded what they paid (automatically through CyberSource, or as a task for the club without REST keys; nothing for a free or complimentary ticket). Until then the seller still owns it and can withdraw the offer. Offering it again changes nothing. 409 EXCHANGE_NOT_ALLOWED (the type does not allow the exchange), 409 TICKET_CHECKED_IN, 409 SHOWING_CANCELLED, 403 SHOWING_ENDED, 404 for a ticket that is not the caller's. No body.",
    tags: ["tickets"],
    auth: "user",
    params: ticketPathSchema,
    responses: { 200: { description: "The ticket, offered (exchange.listed_at set)", schema: ticketSchema } },
    handler: async ({ req, params }) => respond(ticketSchema, await exchange.list(await restUser(runtime, req), params.id)),
  });

  route(app, {
    method: "DELETE",
    url: "/api/tickets/:id/exchange/",
    summary: "Withdraw my ticket from the exchange",
    description:
      "The owner takes the offer back; withdrawing a ticket that is not offered changes nothing. 409 EXCHANGE_IN_PROGRESS while another student is paying for it (a checkout or waitlist offer whose hold has not expired); 404 for a ticket that is not the caller's.",
    tags: ["tickets"],
    auth: "user",
    params: ticketPathSchema,
    responses: { 200: { description: "The ticket, no longer offered (exchange.listed_at null)", schema: ticketSchema } },
    handler: async ({ req, params }) => respond(ticketSchema, await exchange.withdraw(await restUser(runtime, req), params.id)),
  });
}
