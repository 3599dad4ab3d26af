import { createBrowserRouter, RouterProvider, type RouteObject } from "react-router";
import { AccountPage } from "./pages/AccountPage.tsx";
import { CartPage } from "./pages/CartPage.tsx";
import { CheckoutResultPage } from "./pages/CheckoutResultPage.tsx";
import { EventPage } from "./pages/EventPage.tsx";
import { EventsPage } from "./pages/EventsPage.tsx";
import { ForgotPasswordPage } from "./pages/ForgotPasswordPage.tsx";
import { MailboxPage } from "./pages/MailboxPage.tsx";
import { MyTicketsPage } from "./pages/MyTicketsPage.tsx";
import { NotFoundPage, RouteErrorPage } from "./pages/NotFoundPage.tsx";
import { officerRoutes } from "./pages/officer/routes.tsx";
import { ResetPasswordPage } from "./pages/ResetPasswordPage.tsx";
import { SignInPage } from "./pages/SignInPage.tsx";
import { SignUpPage } from "./pages/SignUpPage.tsx";
import { TicketPage } from "./pages/TicketPage.tsx";
import { VerifyEmailPage } from "./pages/VerifyEmailPage.tsx";
import { Layout } from "./shell/Layout.tsx";
import { RequireSignIn } from "./shell/RequireSignIn.tsx";

const signedIn = (element: React.ReactNode) => <RequireSignIn>{element}</RequireSignIn>;

export const routes: RouteObject[] = [
  {
    element: <Layout />,
    errorElement: <RouteErrorPage />,
    children: [
      { index: true, element: <EventsPage /> },
      { path: "events/:eventId", element: <EventPage /> },
      { path: "cart", element: signedIn(<CartPage />) },
      { path: "checkout/result", element: signedIn(<CheckoutResultPage />) },
      { path: "tickets", element: signedIn(<MyTicketsPage />) },
      { path: "tickets/:ticketId", element: signedIn(<TicketPage />) },
      { path: "mailbox", element: signedIn(<MailboxPage />) },
      { path: "mailbox/:messageId", element: signedIn(<MailboxPage />) },
      { path: "sign-in", element: <SignInPage /> },
      { path: "sign-up", element: <SignUpPage /> },
      { path: "forgot-password", element: <ForgotPasswordPage /> },
      { path: "reset-password", element: <ResetPasswordPage /> },
      { path: "verify-email", element: <VerifyEmailPage /> },
      { path: "account", element: signedIn(<AccountPage />) },
      ...officerRoutes,
      { path: "*", element: <NotFoundPage /> },
    ],
  },
];

const router = createBrowserRouter(routes);

export function App() {
  return <RouterProvider router={router} />;
}
