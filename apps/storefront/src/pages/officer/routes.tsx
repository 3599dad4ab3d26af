import { lazy, Suspense, type ComponentType, type ReactNode } from "react";
import type { RouteObject } from "react-router";
import { RequireSignIn } from "../../shell/RequireSignIn.tsx";
import { SkeletonList } from "../../ui/index.ts";

// Officer pages load on first visit, so students never download the dashboard (or its QR drawing code).
const page = (load: () => Promise<{ default: ComponentType }>) => lazy(load);
const OfficerHomePage = page(() => import("./OfficerHomePage.tsx").then((m) => ({ default: m.OfficerHomePage })));
const ClubDashboardPage = page(() => import("./ClubDashboardPage.tsx").then((m) => ({ default: m.ClubDashboardPage })));
const EventAdminPage = page(() => import("./EventAdminPage.tsx").then((m) => ({ default: m.EventAdminPage })));
const ShowingAdminPage = page(() => import("./ShowingAdminPage.tsx").then((m) => ({ default: m.ShowingAdminPage })));

function officerPage(element: ReactNode) {
  return (
    <RequireSignIn>
      <Suspense fallback={<SkeletonList count={2} height="10rem" label="Loading the club dashboard" />}>{element}</Suspense>
    </RequireSignIn>
  );
}

/**
 * The club dashboard's routes, mounted as children of the app layout (so they get the header, focus management and
 * sign-in handling). The header's "Club dashboard" link points at /dashboard.
 */
export const officerRoutes: RouteObject[] = [
  { path: "dashboard", element: officerPage(<OfficerHomePage />) },
  { path: "dashboard/:clubId", element: officerPage(<ClubDashboardPage />) },
  { path: "dashboard/:clubId/events/:eventId", element: officerPage(<EventAdminPage />) },
  { path: "dashboard/:clubId/showings/:showingId", element: officerPage(<ShowingAdminPage />) },
];
