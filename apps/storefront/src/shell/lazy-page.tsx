import type { ComponentType } from "react";
import type { RouteObject } from "react-router";
import { SkeletonList } from "../ui/Skeleton.tsx";
import { RequireSignIn } from "./RequireSignIn.tsx";

interface LazyPageOptions {
  /** Only for signed-in people (everyone else is sent to sign in and brought back). */
  signedIn?: boolean;
  /** What a screen reader hears while the page's file arrives on a direct visit. */
  loading?: string;
  /** The placeholder cards' height. */
  placeholderHeight?: string;
}

/**
 * A route whose page is its own file, fetched on the first visit to it, so a first visit downloads only what the home
 * page needs. The router's own `lazy` fetches the page before the navigation completes: the old page stays until the
 * new one can be drawn, and focus moves to a heading that is already there. Opened directly, a page shows a placeholder
 * inside the site's layout while its file arrives. (A file gone after a deploy: see App.tsx's `vite:preloadError`.)
 */
export function lazyPage(load: () => Promise<ComponentType>, options: LazyPageOptions = {}): Pick<RouteObject, "lazy" | "hydrateFallbackElement"> {
  return {
    hydrateFallbackElement: <SkeletonList count={2} height={options.placeholderHeight} label={options.loading ?? "Loading the page"} />,
    lazy: async () => {
      const Page = await load();
      return {
        element: options.signedIn ? (
          <RequireSignIn>
            <Page />
          </RequireSignIn>
        ) : (
          <Page />
        ),
      };
    },
  };
}
