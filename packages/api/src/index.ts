export { appRouter, type AppRouter } from "./root.ts";
export { createInnerContext, resolveActor, type Context, type ContextDeps, type Logger } from "./context.ts";
export { errorCodeForStatus, errorCodeTable, errorPayload, retryAfterSeconds, toTRPCError, type ErrorPayload } from "./errors.ts";
export { createCallerFactory } from "./trpc.ts";
export { requireStorableInput } from "./input.ts";
export { seedCart, seedCheckout, seedOrder, seedRefund, seedRefundResult, seedTransferDone } from "./wire.ts";
