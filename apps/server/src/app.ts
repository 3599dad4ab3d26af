import { appRouter, createInnerContext, resolveActor, retryAfterSeconds, type AppRouter } from "@admit/api";
import { fastifyTRPCPlugin, type FastifyTRPCPluginOptions } from "@trpc/server/adapters/fastify";
import Fastify, { type FastifyBaseLogger } from "fastify";
import { registerAuthRoutes } from "./http/auth-routes.ts";
import { registerBodyTypes } from "./http/body-types.ts";
import { registerCartRoutes } from "./http/cart.ts";
import { registerCheckoutRoutes } from "./http/checkout.ts";
import { registerCompression } from "./http/compression.ts";
import { registerDoorStream } from "./http/door-stream.ts";
import { sendError, sendStatusError } from "./http/errors.ts";
import { registerFinanceRoutes } from "./http/finance.ts";
import { requestHeaders } from "./http/headers.ts";
import { registerHealth } from "./http/health.ts";
import { registerPaymentCallbacks } from "./http/payment-callbacks.ts";
import { registerSecurityHeaders } from "./http/security-headers.ts";
import { registerMail } from "./http/mailbox.ts";
import { registerOrderRoutes } from "./http/orders.ts";
import { registerOpenApi, trackRoutes } from "./http/openapi.ts";
import { registerLobbyRoutes } from "./http/lobby.ts";
import { registerOriginCheck } from "./http/origin-check.ts";
import { registerRefundRoutes } from "./http/refunds.ts";
import { registerShowingRoutes } from "./http/showings.ts";
import { registerTicketRoutes } from "./http/tickets.ts";
import { registerWaitlistRoutes } from "./http/waitlist.ts";
import { registerWebApps } from "./http/web-apps.ts";
import type { Runtime } from "./runtime.ts";

export async function buildApp(runtime: Runtime, logger?: FastifyBaseLogger) {
  const { config, services, auth, db } = runtime;
  const app = Fastify({
    ...(logger ? { loggerInstance: logger } : { logger: false }),
    trustProxy: config.trustProxy,
    bodyLimit: 1_000_000,
    // Keep clients' own request ids out of logs unless they are well-formed.
    genReqId: () => crypto.randomUUID(),
  });
  trackRoutes(app);

  // Bad JSON, wrong content types and oversized bodies: a 4xx with our error body, never a 500.
  app.setErrorHandler((error, req, reply) => {
    const status = (error as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500) {
      const message =
        status === 415
          ? `This endpoint does not take ${req.headers["content-type"]?.split(";", 1)[0]?.slice(0, 100) || "this kind of"} bodies.`
          : error instanceof Error
            ? error.message
            : "Bad request.";
      return sendStatusError(reply, status, message);
    }
    return sendError(reply, error);
  });

  // First, so every answer (refusals included) gets them.
  await registerSecurityHeaders(app, config);
  await registerCompression(app);
  // Before any route: both refuse a request before its body is read.
  await registerOriginCheck(app, { publicUrl: config.publicUrl, auth });
  await registerBodyTypes(app);
  registerHealth(app, db, auth.campus);
  registerAuthRoutes(app, auth, config.publicUrl);
  registerMail(app, runtime);
  registerShowingRoutes(app, runtime);
  registerFinanceRoutes(app, runtime);
  registerCartRoutes(app, runtime);
  registerCheckoutRoutes(app, runtime);
  registerTicketRoutes(app, runtime);
  registerOrderRoutes(app, runtime);
  registerRefundRoutes(app, runtime);
  registerLobbyRoutes(app, runtime);
  registerWaitlistRoutes(app, runtime);
  registerDoorStream(app, runtime);
  registerOpenApi(app, runtime);
  registerPaymentCallbacks(app, runtime);
  if (config.cybersource.sandbox) {
    // Loaded only when enabled: a deployment with real CyberSource keys never even imports the fake payment page.
    const { registerCybersourceSandbox } = await import("./http/cybersource-sandbox.ts");
    registerCybersourceSandbox(app, runtime);
  }

  await app.register(fastifyTRPCPlugin, {
    prefix: "/trpc",
    trpcOptions: {
      router: appRouter,
      createContext: async ({ req }) => {
        const { actor, credentialError, revokedDevice } = await resolveActor(runtime, requestHeaders(req), req.ip);
        return createInnerContext({
          services,
          actor,
          credentialError,
          revokedDevice,
          logger: req.log,
          features: { campusSignOn: Boolean(config.oidc), campusSignOnAvailable: auth.campus?.available ?? false },
          clientAddress: req.ip,
        });
      },
      responseMeta: ({ errors }) => {
        const retryAfter = errors.map(retryAfterSeconds).find((seconds) => seconds !== undefined);
        return retryAfter === undefined ? {} : { headers: { "retry-after": String(retryAfter) } };
      },
      onError: ({ error, path }) => {
        if (error.code === "INTERNAL_SERVER_ERROR") app.log.error({ err: error.cause ?? error, path }, "procedure failed");
      },
    } satisfies FastifyTRPCPluginOptions<AppRouter>["trpcOptions"],
  });

  await registerWebApps(app);
  return app;
}
