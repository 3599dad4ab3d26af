import {
  dropReminderSchema,
  reminderForgetSchema,
  waitlistJoinBody,
  waitlistPathParams,
  waitlistStatusSchema,
} from "@admit/validators";
import type { FastifyInstance } from "fastify";
import type { z } from "zod";
import type { Runtime } from "../runtime.ts";
import { restActor, restUser } from "./rest.ts";
import { route } from "./route.ts";

/** The tRPC procedure's output schema, so both transports send the same JSON; a mismatch is our bug (500). */
function out<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new Error(`A waitlist response does not match its schema: ${parsed.error.message}`);
  return parsed.data;
}

const STATUS = "`{ showingId, offerMinutes, waiting, waitableTypes, anyTypeWaitable, you: null | { state, type, count, place, joinedAt, offer: null | { count, expiresAt } }, reminder: null | { remindAt, sentAt } }`";

export function registerWaitlistRoutes(app: FastifyInstance, runtime: Runtime) {
  const { waitlists } = runtime.services;

  route(app, {
    method: "GET",
    url: "/api/showings/:id/waitlist/",
    summary: "A showing's waitlist",
    description:
      `How many people wait for tickets; which ticket types you may join for now (\`waitableTypes\`, and \`anyTypeWaitable\` for any type: exactly what the POST accepts, the order limit aside); signed in, also your place (1: next), the offer held for you (tickets in your cart until \`expiresAt\`) and your drop reminder: ${STATUS}. ` +
      "404 for an unknown showing.",
    tags: ["Waitlist"],
    auth: "public",
    params: waitlistPathParams,
    responses: { 200: { description: "The waitlist as the caller sees it", schema: waitlistStatusSchema } },
    handler: async ({ req, params }) => {
      const actor = await restActor(runtime, req);
      return out(waitlistStatusSchema, await waitlists.status(actor?.kind === "user" ? actor : null, params.id));
    },
  });

  route(app, {
    method: "POST",
    url: "/api/showings/:id/waitlist/",
    summary: "Join a sold-out showing's waitlist",
    description:
      "Body `{ count, type? }` (`type` null or left out: any type). When tickets come free, the first in line gets an offer: " +
      "the tickets held for them and put in their cart for the showing's offer time, with an e-mail linking to checkout; " +
      "an unused offer passes to the next person. Joining again while waiting changes the type and count and keeps the place; " +
      "after an offer ended, joining again goes to the back. 409 TICKETS_AVAILABLE while what you want is on sale (buy it " +
      "instead), 409 CONFLICT while an offer holds tickets for you, 403 ORDER_LIMIT_EXCEEDED past the showing's limit, " +
      "403 NOT_ON_SALE before the drop, 403 SHOWING_ENDED, 409 SHOWING_CANCELLED.",
    tags: ["Waitlist"],
    auth: "user",
    params: waitlistPathParams,
    body: waitlistJoinBody,
    responses: { 200: { description: "Your place", schema: waitlistStatusSchema } },
    handler: async ({ req, params, body }) =>
      out(waitlistStatusSchema, await waitlists.join(await restUser(runtime, req), { showingId: params.id, type: body.type ?? null, count: body.count })),
  });

  route(app, {
    method: "DELETE",
    url: "/api/showings/:id/waitlist/",
    summary: "Leave a showing's waitlist",
    description: "Gives up your place; tickets an offer held for you leave your cart and pass to the next person. Leaving when not in line changes nothing.",
    tags: ["Waitlist"],
    auth: "user",
    params: waitlistPathParams,
    responses: { 200: { description: "The waitlist without you", schema: waitlistStatusSchema } },
    handler: async ({ req, params }) => out(waitlistStatusSchema, await waitlists.leave(await restUser(runtime, req), params.id)),
  });

  route(app, {
    method: "POST",
    url: "/api/showings/:id/reminder/",
    summary: "Notify me before the drop",
    description:
      "An e-mail 30 minutes before the showing's lobby opens (or its drop, without a lobby), with the event page and the lobby link. " +
      "Asking again changes nothing. 409 CONFLICT when the showing has no drop ahead (already on sale).",
    tags: ["Waitlist"],
    auth: "user",
    params: waitlistPathParams,
    responses: { 200: { description: "When the reminder goes out", schema: dropReminderSchema } },
    handler: async ({ req, params }) => out(dropReminderSchema, await waitlists.remind(await restUser(runtime, req), params.id)),
  });

  route(app, {
    method: "DELETE",
    url: "/api/showings/:id/reminder/",
    summary: "Cancel a drop reminder",
    tags: ["Waitlist"],
    auth: "user",
    params: waitlistPathParams,
    responses: { 200: { description: "Whether there was a reminder to cancel", schema: reminderForgetSchema } },
    handler: async ({ req, params }) => out(reminderForgetSchema, await waitlists.forget(await restUser(runtime, req), params.id)),
  });
}
