import { accountRouter } from "./routers/account.ts";
import { clubRouter } from "./routers/club.ts";
import { router } from "./trpc.ts";

export const appRouter = router({
  account: accountRouter,
  club: clubRouter,
});

export type AppRouter = typeof appRouter;
