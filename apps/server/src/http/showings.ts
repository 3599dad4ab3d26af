import {
  cancelShowingBody,
  cancelShowingResultSchema,
  eventShowingParams,
  showingParams,
  ticketCountsSchema,
} from "@admit/validators";
import type { FastifyInstance } from "fastify";
import type { Runtime } from "../runtime.ts";
import { buyersCsv, buyersFilename } from "./buyers-csv.ts";
import { restActor, restUser } from "./rest.ts";
import { route } from "./route.ts";

export function registerShowingRoutes(app: FastifyInstance, runtime: Runtime) {
  route(app, {
    method: "GET",
    url: "/api/events/:eventId/showings/:showingId/tickets/",
    summary: "Ticket counts of a showing",
    description:
      "Per ticket type: how many exist (`totals`) and how many can be bought now (`available`: unowned, not under " +
      "an unexpired hold, for sale), sorted by type. 404 for unknown ids or a showing of another event.",
    tags: ["Showings"],
    auth: "public",
    params: eventShowingParams,
    responses: { 200: { description: "Counts per type", schema: ticketCountsSchema } },
    handler: async ({ req, params }) =>
      runtime.services.catalogue.counts(await restActor(runtime, req), params.showingId, params.eventId),
  });

  route(app, {
    method: "GET",
    url: "/api/showings/:id/buyers.csv",
    summary: "Buyers of a showing as CSV",
    description:
      "One row per owned ticket: ticket, name, username, email, type, attended, amount paid, complimentary, checked in at (in the club's time zone with its offset).",
    tags: ["Showings"],
    auth: "officer",
    params: showingParams,
    responses: { 200: { description: "The buyers list with a header row", contentType: "text/csv" } },
    handler: async ({ req, reply, params }) => {
      const { eventName, timeZone, buyers } = await runtime.services.buyers.list(await restUser(runtime, req), params.id);
      return reply
        .header("content-type", "text/csv; charset=utf-8")
        .header("content-disposition", `attachment; filename="${buyersFilename(eventName, params.id)}"`)
        .header("cache-control", "no-store")
        .send(buyersCsv(buyers, timeZone));
    },
  });

  route(app, {
    method: "POST",
    url: "/api/showings/:id/cancel/",
    summary: "Cancel a showing",
    description:
      "Officers of the showing's club only (404 for anyone else). Sales stop at once; every order's tickets of the showing are voided and refunded in full (checked-in ones too), complimentary tickets voided, every holder e-mailed the reason, pending checkouts released; doors refuse the codes after their next sync. Calling again finishes a cancellation that stopped part-way, never refunding twice. Body: `{ reason }`.",
    tags: ["Showings"],
    auth: "officer",
    params: showingParams,
    body: cancelShowingBody,
    responses: { 200: { description: "Cancelled", schema: cancelShowingResultSchema } },
    handler: async ({ req, params, body }) => {
      const result = await runtime.services.showingCancellation.cancel(await restUser(runtime, req), {
        showingId: params.id,
        reason: body.reason,
      });
      // The tRPC procedure's output schema, so both transports send the same JSON; a mismatch is our bug (500).
      const out = cancelShowingResultSchema.safeParse(result);
      if (!out.success) throw new Error(`A cancellation response does not match its schema: ${out.error.message}`);
      return out.data;
    },
  });
}
