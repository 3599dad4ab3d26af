import { requireStorableInput, resolveActor } from "@admit/api";
import { DomainError, type Actor, type UserActor } from "@admit/domain";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { z } from "zod";
import type { Runtime } from "../runtime.ts";
import { sendError } from "./errors.ts";
import { requestHeaders } from "./headers.ts";

/** The caller of a REST request, resolved exactly as for tRPC (cookie, bearer token or device token). */
export async function restActor(runtime: Runtime, req: FastifyRequest): Promise<Actor> {
  const { actor, credentialError } = await resolveActor(runtime, requestHeaders(req), req.ip);
  if (!actor && credentialError) throw credentialError;
  return actor;
}

export async function restUser(runtime: Runtime, req: FastifyRequest): Promise<UserActor> {
  const actor = await restActor(runtime, req);
  if (actor?.kind !== "user") throw new DomainError("UNAUTHENTICATED", "Sign in to continue.");
  return actor;
}

/** Parses params, query or body with a shared zod schema; a mismatch is a 400 naming the field. */
export function parse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  requireStorableInput(value);
  const result = schema.safeParse(value);
  if (!result.success) {
    const message = result.error.issues
      .map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message))
      .join("; ");
    throw new DomainError("VALIDATION_FAILED", message);
  }
  return result.data;
}

/** Wraps a REST handler so every throw leaves as the one JSON error body with its mapped status. */
export function handle(fn: (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    try {
      const result = await fn(req, reply);
      if (reply.sent) return reply;
      return reply.header("cache-control", "no-store").send(result);
    } catch (error) {
      return sendError(reply, error);
    }
  };
}
