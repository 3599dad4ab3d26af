import { mailboxAttachmentParamsSchema } from "@admit/validators";
import type { FastifyInstance } from "fastify";
import type { Runtime } from "../runtime.ts";
import { DOOR_STREAM_URL } from "./door-stream.ts";
import { restUser } from "./rest.ts";
import { route } from "./route.ts";

const SHOWN_INLINE = new Set(["image/png", "image/jpeg", "image/gif", "image/webp"]);

/**
 * Mail on the HTTP side: counts the requests in flight (the sender holds back while many are), wakes the outbox
 * sender after every successful write (its transaction has committed by the time the response is sent), and
 * serves the development mailbox's attachments.
 */
export function registerMail(app: FastifyInstance, runtime: Runtime) {
  app.addHook("onRequest", async (req, reply) => {
    // A door's event stream stays open for hours and costs nothing while it waits: it is not load.
    if (req.routeOptions.url === DOOR_STREAM_URL) return;
    runtime.load.inFlight++;
    // "close" comes once, whether the response was sent or the client went away.
    reply.raw.once("close", () => runtime.load.inFlight--);
  });
  app.addHook("onResponse", async (req, reply) => {
    if (req.method !== "GET" && req.method !== "HEAD" && reply.statusCode < 400) runtime.mailSender.nudge();
  });

  route(app, {
    method: "GET",
    url: "/api/dev/mailbox/:id/attachments/:index",
    summary: "An attachment of a message in the development mailbox (only while no SMTP server is configured)",
    description: "The inline images (ticket QR codes) exactly as they were sent. Your own messages; site admins see all.",
    tags: ["development mailbox"],
    auth: "user",
    params: mailboxAttachmentParamsSchema,
    responses: { 200: { description: "The attachment's bytes", contentType: "image/png" } },
    handler: async ({ req, reply, params }) => {
      const user = await restUser(runtime, req);
      const file = await runtime.services.mailbox.attachment(user, params.id, params.index);
      const inline = SHOWN_INLINE.has(file.contentType);
      return reply
        .header("cache-control", "private, no-store")
        .header("x-content-type-options", "nosniff")
        .header("content-security-policy", "default-src 'none'; sandbox")
        .header(
          "content-disposition",
          `${inline ? "inline" : "attachment"}; filename="${file.filename.replace(/[^\w.-]/g, "_")}"`,
        )
        .type(inline ? file.contentType : "application/octet-stream")
        .send(file.content);
    },
  });
}
