import type { RouteObject } from "react-router";
import { lazyPage } from "../../shell/lazy-page.tsx";

// Officer pages load on first visit, so students never download the dashboard (or its QR drawing code).
const officerPage = (load: Parameters<typeof lazyPage>[0]) =>
  lazyPage(load, { signedIn: true, loading: "Loading the club dashboard", placeholderHeight: "10rem" });

/**
 * The club dashboard's routes, mounted as children of the app layout (so they get the header, focus management and
 * sign-in handling). The header's "Club dashboard" link points at /dashboard.
 */
export const officerRoutes: RouteObject[] = [
  { path: "dashboard", ...officerPage(async () => (await import("./OfficerHomePage.tsx")).OfficerHomePage) },
  { path: "dashboard/:clubId", ...officerPage(async () => (await import("./ClubDashboardPage.tsx")).ClubDashboardPage) },
  { path: "dashboard/:clubId/events/:eventId", ...officerPage(async () => (await import("./EventAdminPage.tsx")).EventAdminPage) },
  { path: "dashboard/:clubId/showings/:showingId", ...officerPage(async () => (await import("./ShowingAdminPage.tsx")).ShowingAdminPage) },
  { path: "dashboard/:clubId/orders", ...officerPage(async () => (await import("./ClubOrdersPage.tsx")).ClubOrdersPage) },
  { path: "dashboard/:clubId/orders/:orderId", ...officerPage(async () => (await import("./ClubOrderPage.tsx")).ClubOrderPage) },
];
