import { errorCodeForStatus, errorPayload, retryAfterSeconds } from "@admit/api";
import type { FastifyReply } from "fastify";

/** Every REST error leaves through here, with the status from the one mapping table. */
export function sendError(reply: FastifyReply, error: unknown) {
  const { status, body } = errorPayload(error);
  if (status >= 500) reply.log.error({ err: error }, "request failed");
  const retryAfter = retryAfterSeconds(error);
  if (retryAfter !== undefined) reply.header("retry-after", String(retryAfter));
  return reply.status(status).header("cache-control", "no-store").send(body);
}

/**
 * A refusal decided before our handlers ran (Fastify's body parsing, the router, the auth library), which comes
 * with its own status: the same body, with the code the mapping table has for that status unless one is given.
 */
export function sendStatusError(reply: FastifyReply, status: number, message: string, code = errorCodeForStatus(status)) {
  return reply.status(status).header("cache-control", "no-store").send(errorBody(code, message));
}

export function errorBody(code: string, message: string) {
  return { error: { code, message }, detail: message };
}
