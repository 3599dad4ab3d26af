import { accountRouter } from "./routers/account.ts";
import { cartRouter } from "./routers/cart.ts";
import { checkoutRouter } from "./routers/checkout.ts";
import { clubRouter } from "./routers/club.ts";
import { doorRouter } from "./routers/door.ts";
import { eventRouter } from "./routers/event.ts";
import { kioskRouter } from "./routers/kiosk.ts";
import { lobbyRouter } from "./routers/lobby.ts";
import { mailboxRouter } from "./routers/mailbox.ts";
import { orderRouter } from "./routers/order.ts";
import { paymentRouter } from "./routers/payment.ts";
import { refundRouter } from "./routers/refund.ts";
import { showingRouter } from "./routers/showing.ts";
import { ticketRouter } from "./routers/ticket.ts";
import { waitlistRouter } from "./routers/waitlist.ts";
import { router } from "./trpc.ts";

export const appRouter = router({
  account: accountRouter,
  cart: cartRouter,
  checkout: checkoutRouter,
  club: clubRouter,
  door: doorRouter,
  event: eventRouter,
  kiosk: kioskRouter,
  lobby: lobbyRouter,
  mailbox: mailboxRouter,
  order: orderRouter,
  payment: paymentRouter,
  refund: refundRouter,
  showing: showingRouter,
  ticket: ticketRouter,
  waitlist: waitlistRouter,
});

export type AppRouter = typeof appRouter;
