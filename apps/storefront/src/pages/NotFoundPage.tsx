import { isRouteErrorResponse, Link, useRouteError } from "react-router";
import { EmptyState, PageHeader } from "../ui/index.ts";

export function NotFoundPage() {
  return (
    <>
      <PageHeader title="Page not found" />
      <EmptyState icon="search" title="There's nothing at this address" action={<Link to="/">See upcoming events</Link>}>
        The link may be old or mistyped.
      </EmptyState>
    </>
  );
}

/** Shown instead of a blank page if a page fails to render. */
export function RouteErrorPage() {
  const error = useRouteError();
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  return (
    <main className="main" id="main">
      <h1 className="page-title">{notFound ? "Page not found" : "Something went wrong"}</h1>
      <p>
        {notFound ? "There's nothing at this address." : "This page ran into a problem. Reload it, or go back to the events."}{" "}
        <a href="/">Go to events</a>
      </p>
    </main>
  );
}
