import { useEffect, useRef } from "react";
import { Outlet, ScrollRestoration, useLocation } from "react-router";
import { OfferBanner } from "./OfferBanner.tsx";
import { SiteHeader } from "./SiteHeader.tsx";

/** Moves focus to the new page's heading after each navigation (not on the first load). */
function useFocusOnNavigate() {
  const { pathname } = useLocation();
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const frame = requestAnimationFrame(() => {
      const target = document.querySelector<HTMLElement>("[data-page-title]") ?? document.getElementById("main");
      target?.focus({ preventScroll: true });
    });
    return () => cancelAnimationFrame(frame);
  }, [pathname]);
}

export function Layout() {
  useFocusOnNavigate();
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <SiteHeader />
      <main id="main" className="main" tabIndex={-1}>
        <OfferBanner />
        <Outlet />
      </main>
      <footer className="site-footer">
        <p>Admit · Tickets for student club events</p>
      </footer>
      <ScrollRestoration />
    </div>
  );
}
