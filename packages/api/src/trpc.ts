import { DomainError } from "@admit/domain";
import { initTRPC, TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import type { Context } from "./context.ts";
import { errorPayload, toTRPCError } from "./errors.ts";
import { requireStorableInput } from "./input.ts";

// The single initTRPC site: procedures may only start from the bases exported here.
const t = initTRPC.context<Context>().create({
  errorFormatter({ shape, error }) {
    const { body } = errorPayload(error);
    return {
      ...shape,
      message: body.error.message,
      data: {
        ...shape.data,
        stack: undefined,
        appCode: body.error.code,
        details: body.error.details ?? null,
        issues: error.cause instanceof ZodError ? error.cause.issues.map((i) => ({ path: i.path.map(String), message: i.message })) : null,
      },
    };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const middleware = t.middleware;

/**
 * Turns DomainErrors and stray throws into TRPCErrors carrying the one mapping table's code. tRPC's own client
 * errors (e.g. a parse error, whose cause is a SyntaxError) are kept: unwrapping them would make bad input a 500.
 */
const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) throw toTRPCError(result.error);
  return result;
});

/** PostgreSQL text cannot hold NUL, and nothing needs deep nesting: refused in any field, before any schema. */
const refuseUnstorableInput = t.middleware(async ({ getRawInput, next }) => {
  requireStorableInput(await getRawInput());
  return next();
});

/*
 * Procedure bases authenticate (who is calling); they never authorize. Whether this caller may act on this club,
 * event, ticket or payment is decided once, by the domain service the procedure calls, which REST calls too.
 */
export const publicProcedure = t.procedure.use(mapErrors).use(refuseUnstorableInput);

function unauthenticated(ctx: Context): TRPCError {
  const cause = ctx.credentialError ?? new DomainError("UNAUTHENTICATED", "Sign in to continue.");
  return toTRPCError(cause);
}

/** A signed-in person (session cookie or API token). */
export const userProcedure = publicProcedure.use(({ ctx, next }) => {
  if (ctx.actor?.kind !== "user") throw unauthenticated(ctx);
  return next({ ctx: { ...ctx, actor: ctx.actor } });
});

/** A paired, unrevoked door device. */
export const deviceProcedure = publicProcedure.use(({ ctx, next }) => {
  if (ctx.actor?.kind !== "device") throw unauthenticated(ctx);
  return next({ ctx: { ...ctx, actor: ctx.actor } });
});

/**
 * A paired door device, or a revoked one's own token (`revokedAt` set): only for the upload of scans, which records
 * a revoked device's scans made before its revocation so a tablet that was offline loses nothing it admitted.
 */
export const deviceUploadProcedure = publicProcedure.use(({ ctx, next }) => {
  if (ctx.actor?.kind === "device") return next({ ctx: { ...ctx, device: ctx.actor, revokedAt: null as Date | null } });
  if (ctx.revokedDevice) {
    const { revokedAt, ...device } = ctx.revokedDevice;
    return next({ ctx: { ...ctx, device, revokedAt } });
  }
  throw unauthenticated(ctx);
});
