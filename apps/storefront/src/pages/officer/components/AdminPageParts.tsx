import type { ReactNode } from "react";
import { Link } from "react-router";
import { Button, EmptyState, ErrorState, PageHeader, Skeleton, SkeletonList } from "../../../ui/index.ts";

/* The pieces the event and showing admin pages share; both are about one subject found in the club's events. */

/** What the page is about, as its headings and messages name it. */
export type AdminSubject = "event" | "showing";

const capitalized = (subject: AdminSubject) => subject.charAt(0).toUpperCase() + subject.slice(1);

export interface AdminPageLoadingProps {
  subject: AdminSubject;
  crumbs: ReactNode;
  /** The club's events, which the page finds its subject in. */
  events: { isError: boolean; error: unknown; refetch: () => Promise<unknown> };
}

/** Placeholders while the club's events load, and what went wrong if they failed to. */
export function AdminPageLoading({ subject, crumbs, events }: AdminPageLoadingProps) {
  return (
    <>
      <PageHeader eyebrow={crumbs} title={<Skeleton width="min(20rem, 70%)" height="1.2em" />} documentTitle={capitalized(subject)} />
      {events.isError ? (
        <ErrorState error={events.error} onRetry={() => void events.refetch()} title={`This ${subject} didn't load`} />
      ) : (
        <SkeletonList count={2} height="10rem" label={`Loading the ${subject}`} />
      )}
    </>
  );
}

/** For an address whose subject is not among the club's events, e.g. one deleted since the link was made. */
export function AdminPageNotFound({ subject, crumbs, clubPath }: { subject: AdminSubject; crumbs: ReactNode; clubPath: string }) {
  return (
    <>
      <PageHeader eyebrow={crumbs} title={`${capitalized(subject)} not found`} />
      <EmptyState icon="search" title={`This ${subject} isn't in this club`} action={<Link to={clubPath}>Back to the club's events</Link>}>
        It may have been deleted.
      </EmptyState>
    </>
  );
}

/** The header buttons for changing or deleting the subject. */
export function AdminPageActions({ subject, onEdit, onDelete }: { subject: AdminSubject; onEdit: () => void; onDelete: () => void }) {
  return (
    <>
      <Button variant="secondary" onClick={onEdit}>
        {`Edit ${subject}`}
      </Button>
      <Button variant="danger" onClick={onDelete}>
        {`Delete ${subject}`}
      </Button>
    </>
  );
}
