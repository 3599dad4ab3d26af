import { createBrowserRouter, RouterProvider, type RouteObject } from "react-router";
import { EventsPage } from "./pages/EventsPage.tsx";
import { NotFoundPage, RouteErrorPage } from "./pages/NotFoundPage.tsx";
import { officerRoutes } from "./pages/officer/routes.tsx";
import { Layout } from "./shell/Layout.tsx";
import { lazyPage as page } from "./shell/lazy-page.tsx";

// Every page but the events list (the home page) loads on its first visit (the forms' schemas, the cart, tickets and
// their QR code come later).
const signedIn = { signedIn: true };

export const routes: RouteObject[] = [
  {
    element: <Layout />,
    errorElement: <RouteErrorPage />,
    children: [
      { index: true, element: <EventsPage /> },
      { path: "events/:eventId", ...page(async () => (await import("./pages/EventPage.tsx")).EventPage) },
      { path: "events/:eventId/showings/:showingId/lobby", ...page(async () => (await import("./pages/LobbyPage.tsx")).LobbyPage) },
      { path: "cart", ...page(async () => (await import("./pages/CartPage.tsx")).CartPage, signedIn) },
      {
        path: "checkout/result",
        ...page(async () => (await import("./pages/CheckoutResultPage.tsx")).CheckoutResultPage, signedIn),
      },
      { path: "tickets", ...page(async () => (await import("./pages/MyTicketsPage.tsx")).MyTicketsPage, signedIn) },
      { path: "tickets/:ticketId", ...page(async () => (await import("./pages/TicketPage.tsx")).TicketPage, signedIn) },
      { path: "orders", ...page(async () => (await import("./pages/OrdersPage.tsx")).OrdersPage, signedIn) },
      { path: "orders/:orderId", ...page(async () => (await import("./pages/OrderPage.tsx")).OrderPage, signedIn) },
      { path: "mailbox", ...page(async () => (await import("./pages/MailboxPage.tsx")).MailboxPage, signedIn) },
      { path: "mailbox/:messageId", ...page(async () => (await import("./pages/MailboxPage.tsx")).MailboxPage, signedIn) },
      { path: "sign-in", ...page(async () => (await import("./pages/SignInPage.tsx")).SignInPage) },
      { path: "sign-in/problem", ...page(async () => (await import("./pages/SignInProblemPage.tsx")).SignInProblemPage) },
      { path: "signed-out", ...page(async () => (await import("./pages/SignedOutPage.tsx")).SignedOutPage) },
      { path: "sign-up", ...page(async () => (await import("./pages/SignUpPage.tsx")).SignUpPage) },
      { path: "forgot-password", ...page(async () => (await import("./pages/ForgotPasswordPage.tsx")).ForgotPasswordPage) },
      { path: "reset-password", ...page(async () => (await import("./pages/ResetPasswordPage.tsx")).ResetPasswordPage) },
      { path: "verify-email", ...page(async () => (await import("./pages/VerifyEmailPage.tsx")).VerifyEmailPage) },
      { path: "account", ...page(async () => (await import("./pages/AccountPage.tsx")).AccountPage, signedIn) },
      ...officerRoutes,
      { path: "*", element: <NotFoundPage /> },
    ],
  },
];

const router = createBrowserRouter(routes);

const RELOADED_AT = "admit.reloadedForNewVersion";

// After a deploy, an open tab asks for page files that are gone (each build names them by content). Rather than an
// error page, load the new version of the site at the page the student was going to. Once: if the file is missing
// again right after that fresh load, something else is wrong and the error page says so.
window.addEventListener("vite:preloadError", () => {
  const last = Number(sessionStorage.getItem(RELOADED_AT) ?? 0);
  if (Date.now() - last < 30_000) return;
  sessionStorage.setItem(RELOADED_AT, String(Date.now()));
  const pending = router.state.navigation.location;
  window.location.assign(pending ? router.createHref(pending) : window.location.href);
});

export function App() {
  return <RouterProvider router={router} />;
}
