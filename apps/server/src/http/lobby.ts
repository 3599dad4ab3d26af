import { statusTag } from "@admit/domain";
import { lobbyDrawSchema, lobbyStatusSchema, showingParams } from "@admit/validators";
import type { FastifyInstance } from "fastify";
import type { z } from "zod";
import type { Runtime } from "../runtime.ts";
import { restActor, restUser } from "./rest.ts";
import { route } from "./route.ts";

/** The tRPC procedures' output schemas, so both transports send the same JSON; a mismatch is our bug (500). */
function out<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new Error(`A lobby response does not match its schema: ${parsed.error.message}`);
  return parsed.data;
}

const NO_LOBBY = "404 for an unknown showing or one without a lobby.";

export function registerLobbyRoutes(app: FastifyInstance, runtime: Runtime) {
  const { lobbies } = runtime.services;

  route(app, {
    method: "GET",
    url: "/api/showings/:id/lobby/",
    summary: "Your place in a showing's drop lobby",
    description:
      "The lobby's phase (NOT_OPEN, OPEN before the drop, RUNNING while students are admitted in turn, SOLD_OUT, ENDED, " +
      "OFF), its times, how many wait, and your place: WAITING with `position` (after the draw), `ahead` and " +
      "`estimatedWaitSeconds`, or ADMITTED with `admitUntil` (add to the cart and check out before it). Poll after " +
      "`pollAfterMs`, sending the last `ETag` as `If-None-Match`: while nothing you see changed the answer is a 304 " +
      `with no body. Anyone may look; signed out, \`you\` is null. ${NO_LOBBY}`,
    tags: ["Lobby"],
    auth: "public",
    params: showingParams,
    responses: {
      200: { description: "The lobby as you see it, with an ETag", schema: lobbyStatusSchema },
      304: { description: "Nothing changed since the ETag sent in If-None-Match" },
    },
    handler: async ({ req, reply, params }) => {
      const actor = await restActor(runtime, req);
      const status = await lobbies.status(actor?.kind === "user" ? actor : null, params.id);
      const tag = statusTag(status);
      reply.header("etag", tag).header("cache-control", "private, no-cache");
      const known = req.headers["if-none-match"]?.split(",").map((t) => t.trim().replace(/^W\//, ""));
      if (known?.includes(tag) || known?.includes("*")) return reply.code(304).send();
      return reply.send(out(lobbyStatusSchema, status));
    },
  });

  route(app, {
    method: "POST",
    url: "/api/showings/:id/lobby/join/",
    summary: "Join a showing's drop lobby",
    description:
      "One place per account: joining again returns the same place. Before the drop you get a place in the draw " +
      "(random, not by arrival); after it, behind everyone already there. 409 LOBBY_NOT_OPEN before the lobby opens " +
      `(the message and \`details.opensAt\` say when), 409 once the showing is over. ${NO_LOBBY}`,
    tags: ["Lobby"],
    auth: "user",
    params: showingParams,
    responses: { 200: { description: "Your place", schema: lobbyStatusSchema } },
    handler: async ({ req, params }) => out(lobbyStatusSchema, await lobbies.join(await restUser(runtime, req), params.id)),
  });

  route(app, {
    method: "POST",
    url: "/api/showings/:id/lobby/leave/",
    summary: "Leave a showing's drop lobby",
    description:
      "Gives your place up; an admitted student's turn passes to the next. Joining again before your place comes up " +
      `puts you back where you were, after it behind everyone. Leaving twice changes nothing. ${NO_LOBBY}`,
    tags: ["Lobby"],
    auth: "user",
    params: showingParams,
    responses: { 200: { description: "The lobby, your place LEFT", schema: lobbyStatusSchema } },
    handler: async ({ req, params }) => out(lobbyStatusSchema, await lobbies.leave(await restUser(runtime, req), params.id)),
  });

  route(app, {
    method: "GET",
    url: "/api/showings/:id/lobby/draw/",
    summary: "The draw record of a showing's lobby",
    description:
      "Proof the draw was fair, without names: `seedCommitment` (SHA-256 of the seed) is public from the start, the " +
      "`seed` once the draw is made, and every place with its draw key. A student's draw key is HMAC-SHA256(seed, " +
      "their user id) in hex; those who joined before the drop (`inDraw`) are placed in ascending draw-key order, " +
      `later arrivals after them in arrival order. ${NO_LOBBY}`,
    tags: ["Lobby"],
    auth: "public",
    params: showingParams,
    responses: { 200: { description: "The draw record", schema: lobbyDrawSchema } },
    handler: async ({ params }) => out(lobbyDrawSchema, await lobbies.drawAudit(params.id)),
  });
}
